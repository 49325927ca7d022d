/** `GET /` (the voting booth), `POST /vote` (its form post, answered with HTML) and `/parties.css`. */
import { Hono } from "hono";
import type { Context } from "hono";
import { Island } from "../runtime/Island.tsx";
import { renderPage } from "../components/Layout.tsx";
import { Receipt } from "../components/Receipt.tsx";
import { VOTER_FIELDS } from "../components/VoterDetails.tsx";
import type { BuildManifest } from "../runtime/manifest.ts";
import { errorField, VoteError } from "../lib/election/errors.ts";
import { type LogoUrls, partyViews } from "../lib/logos/party_views.ts";
import type { ElectionStore } from "../lib/store/store.ts";
import { ballotFromForm, checkBallot } from "../lib/election/vote_schema.ts";
import VoteBooth from "../islands/VoteBooth.tsx";
import { statusOf } from "./_errors.ts";

/** What the booth pages need. */
export interface BoothDeps {
  store: ElectionStore;
  assets: BuildManifest | null;
  logos?: LogoUrls;
}

const PAGE = { styles: ["app", "booth"], stylesheets: ["/parties.css"], bodyClass: "page-booth" };

/** Each party's colour as a CSS custom property on `.party-<id>` (ids are `[a-z0-9-]`). */
function partiesCss(store: ElectionStore): string {
  return store.parties.map((p) => `.party-${p.id}{--party:${p.color}}`).join("\n") + "\n";
}

/** The booth routes. */
export function booth({ store, assets, logos }: BoothDeps): Hono {
  const parties = partyViews(store.parties, logos);
  const partyIds = parties.map((p) => p.id);

  function boothPage(c: Context, values: Record<string, string>, errors: Record<string, string>) {
    const open = store.snapshot().status === "open";
    const html = renderPage(
      <>
        <div class="booth-intro">
          <h1>Cast your vote</h1>
          <p>
            Fill in your details, then press the button of the party you choose. One voter, one
            vote.
          </p>
        </div>
        <Island of={VoteBooth} props={{ parties, values, errors, open }} />
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
      for (const key of VOTER_FIELDS) values[key] = typeof form[key] === "string" ? form[key] : "";
      const checked = checkBallot(ballotFromForm({ ...values, party: form.party }), partyIds);
      try {
        if (!checked.ok) throw checked.error;
        const receipt = await store.cast(checked.ballot);
        const party = parties.find((p) => p.id === receipt.party)!;
        c.header("Cache-Control", "no-store");
        return c.html(
          renderPage(<Receipt receipt={receipt} party={party} />, {
            ...PAGE,
            title: "Your vote is counted",
            assets,
          }),
        );
      } catch (e) {
        if (!(e instanceof VoteError)) throw e;
        const errors = checked.ok ? {} : checked.fields;
        errors[errorField(e)] = e.message;
        return c.html(boothPage(c, values, errors), statusOf(e));
      }
    });
}
