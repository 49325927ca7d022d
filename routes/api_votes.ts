/**
 * `POST /api/votes`: cast a vote as JSON. Two ways in, one answer: the Hono
 * route (`apiVotes`), and the guarded server's express lane (`voteLane`), which
 * answers a plain vote from its headers and body without the app's fetch
 * `Request` and `Response` (a third of the vote's cost on the main thread).
 */
import { Hono } from "hono";
import { castVote, type VotingDeps } from "../lib/election/cast_vote.ts";
import { checkJsonType, MAX_BODY_BYTES, parseJson, readJson } from "./_body.ts";
import { catalogue } from "../lib/i18n/catalogue.ts";
import type { Locale } from "../lib/i18n/format.ts";
import { localeOf, localeOfHeaders, VARY_LANGUAGE } from "./_locale.ts";
import { clientAddress } from "./_admin_session.ts";
import { errorIn, HttpError, statusOf } from "./_errors.ts";
import { VoteError } from "../lib/election/errors.ts";
import { openingText } from "../lib/election/election_day.ts";
import type { Receipt } from "../lib/election/types.ts";
import { refuseOtherOrigins, SECURITY_HEADERS } from "./_security.ts";
import type { ExpressRoute, NodeHeaders, PlainAnswer } from "../serve.ts";

/** A vote's answer: its receipt, or the error (with the seconds to wait, when throttled). */
type VoteAnswer =
  | { ok: true; receipt: Receipt }
  | { ok: false; error: VoteError | HttpError; retryAfter?: number };

/** Casts `input` and words the outcome in `locale`; only an unexpected failure throws. */
async function answerVote(
  voting: VotingDeps,
  timeZone: string,
  input: unknown,
  client: string,
  locale: Locale,
): Promise<VoteAnswer> {
  const words = catalogue(locale);
  const outcome = await castVote(voting, input, client, { words: { locale, messages: words } });
  if (outcome.ok) return outcome;
  if ("retryAfter" in outcome) {
    const error = new HttpError("too_many_requests", outcome.message);
    return { ok: false, error, retryAfter: outcome.retryAfter };
  }
  if (outcome.error.code === "voting_not_open") {
    const day = voting.store.snapshot().day;
    const at = { at: words.voting_not_open_at, byAdmin: words.voting_not_open };
    const message = openingText(at, locale, day, timeZone) ?? words.voting_not_open;
    return { ok: false, error: new VoteError("voting_not_open", message) };
  }
  return { ok: false, error: outcome.error };
}

/**
 * The JSON voting endpoint, answering 201 with the receipt; before the
 * opening, 409 `voting_not_open` naming the opening time in `timeZone`.
 */
export function apiVotes(voting: VotingDeps, timeZone: string): Hono {
  return new Hono().post("/", async (c) => {
    const locale = localeOf(c);
    const answer = await answerVote(voting, timeZone, await readJson(c), clientAddress(c), locale);
    if (answer.ok) return c.json(answer.receipt, 201);
    if (answer.retryAfter !== undefined) c.header("Retry-After", String(answer.retryAfter));
    throw answer.error;
  });
}

/** A `Host` of a name or an address and a port: anything else is the app's to judge. */
const PLAIN_HOST = /^[A-Za-z0-9.-]+(:\d{1,5})?$|^\[[0-9A-Fa-f:.]+\](:\d{1,5})?$/;

/** What the app's middleware puts on every answer to a client over plain HTTP. */
const LANE_HEADERS = [
  ...SECURITY_HEADERS.flat(),
  "Vary",
  VARY_LANGUAGE,
];

function plain(status: number, body: unknown, more: string[] = []): PlainAnswer {
  const text = JSON.stringify(body);
  return {
    status,
    headers: ["Content-Type", "application/json", ...LANE_HEADERS, ...more],
    body: text,
  };
}

/**
 * The express lane of `POST /api/votes` for the guarded server (`serve.ts`),
 * giving the answer the app would give: the same checks (the cross-site
 * refusal, the JSON body, the vote), the same statuses, bodies and headers
 * (`tests/vote_lane_test.ts` compares the two).
 *
 * It takes only what needs none of the app's middleware beyond those checks:
 * a direct client (the server leaves a trusted proxy's requests to the app,
 * which reads the forwarded address and charges that client's budget; the
 * server has charged a direct client's already), over plain HTTP (the
 * guarded server has no TLS, so no HSTS), with no query (`?lang=` is the
 * app's), a plain `Host`, and a `Content-Length` within `MAX_BODY_BYTES` (a
 * streamed body, or a larger one, gets the app's 413 or its count).
 *
 * @param voting What casting needs.
 * @param timeZone The election's time zone, for the opening time of a vote too early.
 * @returns The lane.
 */
export function voteLane(voting: VotingDeps, timeZone: string): ExpressRoute {
  return {
    method: "POST",
    target: "/api/votes",
    takes(headers) {
      const length = headers["content-length"];
      return length !== undefined && headers["transfer-encoding"] === undefined &&
        PLAIN_HOST.test(headers.host ?? "") && parseInt(length, 10) <= MAX_BODY_BYTES;
    },
    async answer(headers: NodeHeaders, body: string, client: string) {
      const locale = localeOfHeaders(headers.cookie, headers["accept-language"]);
      try {
        const origin = headers.origin;
        const site = headers["sec-fetch-site"];
        if (origin !== undefined || site !== undefined) {
          // As the app compares it: the host of the URL the request names.
          refuseOtherOrigins(origin, site, new URL(`http://${headers.host}/`).host);
        }
        checkJsonType(headers["content-type"]);
        const answer = await answerVote(voting, timeZone, parseJson(body, locale), client, locale);
        if (answer.ok) return plain(201, answer.receipt);
        const wait = answer.retryAfter === undefined ? [] : ["Retry-After", `${answer.retryAfter}`];
        return plain(statusOf(answer.error), errorIn(locale, answer.error), wait);
      } catch (e) {
        if (e instanceof VoteError || e instanceof HttpError) {
          return plain(statusOf(e), errorIn(locale, e));
        }
        console.error("Unexpected error on POST /api/votes:", e);
        const internal = new HttpError("internal");
        return plain(statusOf(internal), errorIn(locale, internal));
      }
    },
  };
}
