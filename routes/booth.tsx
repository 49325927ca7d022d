/**
 * `GET /` (the voting booth), `POST /vote` (its no-JavaScript steps) and
 * `/parties.css`. Without JavaScript a party button posts the details and
 * answers with the confirm page; "Confirm vote" posts again and, once the
 * vote is durable, redirects (303) to the receipt's address, so Back and
 * Reload never send it twice. `?kiosk` marks a shared booth.
 */
import { Hono } from "hono";
import type { Context } from "hono";
import { getCookie, setCookie } from "hono/cookie";
import { Island } from "../runtime/Island.tsx";
import { renderPage } from "../components/Layout.tsx";
import { boothWords } from "../components/booth_words.ts";
import { ErrorSummary } from "../components/ErrorSummary.tsx";
import { PartyChoice } from "../components/PartyChoice.tsx";
import { MockPollBanner } from "../components/NotOpenBooth.tsx";
import type { BuildManifest } from "../runtime/manifest.ts";
import { BallotTokens } from "../lib/election/ballot_tokens.ts";
import {
  type ErrorCode,
  errorField,
  messages,
  VoteError,
  voteError,
} from "../lib/election/errors.ts";
import { EN, type MessageKey } from "../lib/i18n/en.ts";
import { type LogoUrls, partyViews } from "../lib/logos/party_views.ts";
import type { ElectionStore } from "../lib/store/store.ts";
import { ballotFromForm, checkBallot } from "../lib/election/vote_schema.ts";
import { castVote, checkVoter, type VotingDeps } from "../lib/election/cast_vote.ts";
import { boothMode, checkRollVote, MODE_FIELDS } from "../lib/election/roll_vote.ts";
import { clientAddress } from "./_admin_session.ts";
import { boothState } from "../lib/election/election_day.ts";
import { translate } from "../lib/i18n/catalogue.ts";
import type { Locale } from "../lib/i18n/format.ts";
import VoteBooth from "../islands/VoteBooth.tsx";
import { statusOf } from "./_errors.ts";
import { localeOf } from "./_locale.ts";
import { SLIP_COOKIE } from "./receipt.tsx";
import { isKiosk } from "./_kiosk.ts";

/** What the booth pages need. */
export interface BoothDeps {
  store: ElectionStore;
  assets: BuildManifest | null;
  logos?: LogoUrls;
  voting: VotingDeps;
  /** The election's time zone, for when voting opens. */
  timeZone: string;
}

/**
 * The browser's own memory of the ballots it cast without JavaScript: `token.RECEIPT` pairs (never
 * a party), newest last. A resent first step finds its receipt here even when the server has
 * restarted, or the request reaches another instance, and so never shows the previous choice.
 */
const CAST_COOKIE = "cast";
/** How many ballots a shared device's cookie remembers (a kiosk's Back goes back several voters). */
const CAST_KEPT = 20;

/** The receipt a token cast in this browser, from the `cast` cookie. */
function castReceiptOf(c: Context, token: string): string | null {
  for (const pair of (getCookie(c, CAST_COOKIE) ?? "").split("_")) {
    const [t, receipt] = pair.split(".");
    if (t === token && receipt) return receipt;
  }
  return null;
}

/** Adds a cast ballot's token and receipt to the `cast` cookie, for an election day. */
function rememberCast(c: Context, token: string, receipt: string) {
  const kept = (getCookie(c, CAST_COOKIE) ?? "").split("_")
    .filter((pair) => /^[0-9a-f]{32}\.[0-9A-Z-]+$/.test(pair))
    .slice(-(CAST_KEPT - 1));
  setCookie(c, CAST_COOKIE, [...kept, `${token}.${receipt}`].join("_"), {
    path: "/vote",
    httpOnly: true,
    sameSite: "Strict",
    maxAge: 24 * 3600,
  });
}

/** Style sheets and body class of every booth page (booth, confirm, receipt, check). */
export const BOOTH_PAGE = {
  styles: ["app", "booth"],
  stylesheets: ["/parties.css"],
  bodyClass: "page-booth",
};

/** Each party's colour as a CSS custom property on `.party-<id>` (ids are `[a-z0-9-]`). */
function partiesCss(store: ElectionStore): string {
  return store.parties.map((p) => `.party-${p.id}{--party:${p.color}}`).join("\n") + "\n";
}

/** The booth routes. */
export function booth({ store, assets, logos, voting, timeZone }: BoothDeps): Hono {
  // Per request: a roll imported from the admin panel changes the booth's fields.
  const kind = () => {
    const mode = boothMode(store.roll);
    const intro =
      ({ open: "booth_intro", roll: "booth_intro_roll", codes: "booth_intro_codes" } as const)[
        mode
      ];
    return { mode, fields: MODE_FIELDS[mode], intro };
  };
  const views = {
    en: partyViews(store.parties, logos, "en"),
    hi: partyViews(store.parties, logos, "hi"),
  };
  const partyIds = store.parties.map((p) => p.id);
  const tokens = new BallotTokens();

  /** The booth; `token` (kept from the form, else fresh) follows the ballot to its confirm step. */
  function boothPage(
    c: Context,
    values: Record<string, string>,
    errors: Record<string, string>,
    token = tokens.issue(),
  ) {
    const locale = localeOf(c);
    const words = boothWords(locale);
    const kiosk = isKiosk(c);
    const { mode, intro } = kind();
    const props = {
      parties: views[locale],
      values,
      errors,
      tally: store.snapshot(),
      words,
      locale,
      kiosk,
      mode,
      timeZone,
      token,
    };
    const state = boothState(props.tally);
    c.header("Cache-Control", "no-store");
    return renderPage(
      <>
        {(state === "open" || state === "mock") && (
          <div class="booth-intro">
            <h1>{translate(locale, "booth_heading")}</h1>
            <p>{translate(locale, intro)}</p>
          </div>
        )}
        <ErrorSummary errors={errors} heading={words.error_summary} />
        <Island of={VoteBooth} props={props} />
      </>,
      {
        ...BOOTH_PAGE,
        title: translate(locale, "booth_title"),
        assets,
        path: "/",
        keepQuery: kiosk ? "kiosk" : undefined,
        locale,
        hasErrors: Object.keys(errors).length > 0,
      },
    );
  }

  function confirmPage(
    c: Context,
    locale: Locale,
    values: Record<string, string>,
    { party, token, phase }: { party: string; token: string; phase?: string },
  ) {
    const words = boothWords(locale);
    const kiosk = isKiosk(c);
    const { fields } = kind();
    // Never kept: Back after the vote must not show the choice again (a shared device).
    c.header("Cache-Control", "no-store");
    return renderPage(
      <form class="confirm-form" method="post" action={kiosk ? "/vote?kiosk" : "/vote"}>
        {boothState(store.snapshot()) === "mock" && <MockPollBanner words={words} />}
        <PartyChoice
          party={views[locale].find((p) => p.id === party)!}
          words={words}
          locale={locale}
          asPage
        >
          {fields.map((f) => <input key={f} type="hidden" name={f} value={values[f]} />)}
          <input type="hidden" name="party" value={party} />
          <input type="hidden" name="token" value={token || tokens.issue()} />
          {/* The phase the booth showed goes on to the vote, whatever this page shows. */}
          {phase !== undefined && <input type="hidden" name="phase" value={phase} />}
        </PartyChoice>
      </form>,
      {
        ...BOOTH_PAGE,
        title: translate(locale, "confirm_title"),
        assets,
        path: "/",
        keepQuery: kiosk ? "kiosk" : undefined,
        locale,
      },
    );
  }

  function toReceipt(c: Context, receipt: string) {
    return c.redirect(
      `/receipt/${receipt}${isKiosk(c) ? "?kiosk" : ""}`,
      303,
    );
  }

  return new Hono()
    .get("/", (c) => c.html(boothPage(c, {}, {})))
    .get("/vote", (c) => c.redirect("/", 303))
    .get("/parties.css", (c) => {
      c.header("Cache-Control", "no-cache");
      return c.body(partiesCss(store), 200, { "Content-Type": "text/css; charset=utf-8" });
    })
    .post("/vote", async (c) => {
      const locale = localeOf(c);
      const form = await c.req.parseBody().catch(() => ({} as Record<string, unknown>));
      const values: Record<string, string> = {};
      const { mode, fields } = kind();
      for (const key of fields) values[key] = typeof form[key] === "string" ? form[key] : "";
      // The booth's token is on its form, the confirm page and "Change": once it has cast a
      // ballot, any of them sent again (Back, Reload) leads to the receipt, never to the choice.
      const token = typeof form.token === "string" ? form.token : "";
      const earlier = token && (tokens.receiptOf(token) ?? castReceiptOf(c, token));
      if (earlier) return toReceipt(c, earlier);
      if (form.step === "change") return c.html(boothPage(c, values, {}, token || undefined));
      // A booth closed (or not open yet) has no fields to point errors at: it says so, nothing more.
      const state = boothState(store.snapshot());
      if (state === "closed" || state === "not_open") return c.html(boothPage(c, {}, {}), 409);
      // The booth's form says "mock" when it showed the mock poll: that vote never counts for real.
      const phase = typeof form.phase === "string" ? form.phase : undefined;
      const input = ballotFromForm({
        ...values,
        party: form.party,
        ...(phase !== undefined ? { phase } : {}),
      });
      const words = { locale, messages: boothWords(locale) };
      const checked = mode === "open"
        ? checkBallot(input, partyIds, words)
        : checkRollVote(input, partyIds, mode, words);
      try {
        if (!checked.ok) throw checked.error;
        const now = boothState(store.snapshot());
        if (now === "closed") throw voteError("voting_closed");
        if (now === "not_open") throw voteError("voting_not_open");
        if (phase === "mock" && now === "open") throw voteError("mock_poll_over");
        if (form.step !== "confirm") {
          // The roll's answer (a wrong code, a name not on it) before the confirm step, not after.
          const voter = await checkVoter(voting, input, clientAddress(c), { words });
          if (!voter.ok && "retryAfter" in voter) {
            c.header("Retry-After", String(voter.retryAfter));
            const field = mode === "codes" ? "code" : "voterId";
            return c.html(
              boothPage(c, values, { [field]: voter.message }, token || undefined),
              429,
            );
          }
          if (!voter.ok) throw voter.error;
          return c.html(
            confirmPage(c, locale, values, { party: checked.ballot.party, token, phase }),
          );
        }
        const outcome = await castVote(voting, input, clientAddress(c), { words });
        if (!outcome.ok && "retryAfter" in outcome) {
          c.header("Retry-After", String(outcome.retryAfter));
          const field = mode === "codes" ? "code" : "voterId";
          return c.html(
            boothPage(c, values, { [field]: outcome.message }, token || undefined),
            429,
          );
        }
        if (!outcome.ok) throw outcome.error;
        const receipt = outcome.receipt;
        if (token) tokens.remember(token, receipt.receipt);
        setCookie(c, SLIP_COOKIE, `${receipt.receipt}.${receipt.party}`, {
          path: "/receipt/",
          httpOnly: true,
          sameSite: "Strict",
          maxAge: 60,
        });
        if (token) rememberCast(c, token, receipt.receipt);
        return toReceipt(c, receipt.receipt);
      } catch (e) {
        if (!(e instanceof VoteError)) throw e;
        const again = token && (tokens.receiptOf(token) ?? castReceiptOf(c, token));
        if (again) return toReceipt(c, again);
        const errors = checked.ok ? {} : { ...checked.fields };
        // Field messages are already in the voter's language; the election's refusals are by code.
        const known = Object.hasOwn(EN, e.code) && e.message === messages[e.code as ErrorCode];
        errors[errorField(e)] = known ? translate(locale, e.code as MessageKey) : e.message;
        return c.html(boothPage(c, values, errors, token || undefined), statusOf(e));
      }
    });
}
