/** `GET /` (the voting booth), `POST /vote` (its form post, answered with HTML) and `/parties.css`. */
import { Hono } from "hono";
import type { Context } from "hono";
import { Island } from "../runtime/Island.tsx";
import { renderPage } from "../components/Layout.tsx";
import { Receipt } from "../components/Receipt.tsx";
import type { BuildManifest } from "../runtime/manifest.ts";
import { type LogoUrls, partyViews } from "../lib/logos/party_views.ts";
import type { ElectionStore } from "../lib/store/store.ts";
import { ballotFromForm } from "../lib/election/vote_schema.ts";
import { castVote, type VotingDeps } from "../lib/election/cast_vote.ts";
import { boothMode, MODE_FIELDS } from "../lib/election/roll_vote.ts";
import { clientAddress } from "./_admin_session.ts";
import VoteBooth from "../islands/VoteBooth.tsx";
import { statusOf } from "./_errors.ts";

/** What the booth pages need. */
export interface BoothDeps {
  store: ElectionStore;
  assets: BuildManifest | null;
  logos?: LogoUrls;
  voting: VotingDeps;
}

const PAGE = { styles: ["app", "booth"], stylesheets: ["/parties.css"], bodyClass: "page-booth" };

/** Each party's colour as a CSS custom property on `.party-<id>` (ids are `[a-z0-9-]`). */
function partiesCss(store: ElectionStore): string {
  return store.parties.map((p) => `.party-${p.id}{--party:${p.color}}`).join("\n") + "\n";
}

/** The booth routes. */
export function booth({ store, assets, logos, voting }: BoothDeps): Hono {
  const parties = partyViews(store.parties, logos);
  const mode = boothMode(store.roll);
  const intro = {
    open: "Fill in your details, then press the button of the party you choose.",
    roll:
      "Enter your name as on the electoral roll and your voter ID, then press the button of the party you choose.",
    codes:
      "Enter your voter ID and the one-time code from your voter slip, then press the button of the party you choose.",
  }[mode];

  function boothPage(c: Context, values: Record<string, string>, errors: Record<string, string>) {
    const open = store.snapshot().status === "open";
    const html = renderPage(
      <>
        <div class="booth-intro">
          <h1>Cast your vote</h1>
          <p>{intro} One voter, one vote.</p>
        </div>
        <Island of={VoteBooth} props={{ parties, values, errors, open, mode }} />
      </>,
      { ...PAGE, title: "Voting booth", assets, path: "/" },
    );
    c.header("Cache-Control", "no-store");
    return html;
  }

  return new Hono()
    .get("/", (c) => c.html(boothPage(c, {}, {})))
    .get("/parties.css", (c) => {
      c.header("Cache-Control", "no-cache");
      return c.body(partiesCss(store), 200, { "Content-Type": "text/css; charset=utf-8" });
    })
    .post("/vote", async (c) => {
      const form = await c.req.parseBody().catch(() => ({} as Record<string, unknown>));
      const values: Record<string, string> = {};
      for (const key of MODE_FIELDS[mode]) {
        values[key] = typeof form[key] === "string" ? form[key] : "";
      }
      const input = ballotFromForm({ ...values, party: form.party });
      const outcome = await castVote(voting, input, clientAddress(c));
      if (outcome.ok) {
        const receipt = outcome.receipt;
        const party = parties.find((p) => p.id === receipt.party)!;
        c.header("Cache-Control", "no-store");
        return c.html(
          renderPage(<Receipt receipt={receipt} party={party} />, {
            ...PAGE,
            title: "Your vote is counted",
            assets,
          }),
        );
      }
      if ("retryAfter" in outcome) {
        c.header("Retry-After", String(outcome.retryAfter));
        return c.html(boothPage(c, values, { code: outcome.message }), 429);
      }
      return c.html(boothPage(c, values, outcome.fields), statusOf(outcome.error));
    });
}
