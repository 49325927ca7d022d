/** `GET /results`: the public dashboard, rendered with the current tally. */
import { Hono } from "hono";
import { Island } from "../runtime/Island.tsx";
import { renderPage } from "../components/Layout.tsx";
import LiveTally from "../islands/LiveTally.tsx";
import type { BuildManifest } from "../runtime/manifest.ts";
import { type LogoUrls, partyViews } from "../lib/logos/party_views.ts";
import type { ElectionStore } from "../lib/store/store.ts";
import { boardWords } from "../components/board_words.ts";
import { translate } from "../lib/i18n/catalogue.ts";
import { localeOf } from "./_locale.ts";

/** What the dashboard needs. */
export interface ResultsDeps {
  store: ElectionStore;
  assets: BuildManifest | null;
  logos?: LogoUrls;
}

/** The dashboard route. */
export function results({ store, assets, logos }: ResultsDeps): Hono {
  const views = {
    en: partyViews(store.parties, logos, "en"),
    hi: partyViews(store.parties, logos, "hi"),
  };
  return new Hono().get("/", (c) => {
    const locale = localeOf(c);
    const parties = views[locale];
    const words = boardWords(locale);
    const tally = store.snapshot();
    c.header("Cache-Control", "no-store");
    return c.html(renderPage(
      <>
        <h1 class="results-title">{translate(locale, "results_title")}</h1>
        <Island
          of={LiveTally}
          props={{ tally, parties, updatedAt: new Date().toISOString(), words, locale }}
        />
      </>,
      {
        title: translate(locale, "results_title"),
        assets,
        locale,
        path: "/results",
        styles: ["app", "results"],
        stylesheets: ["/parties.css"],
        bodyClass: "page-results",
      },
    ));
  });
}
