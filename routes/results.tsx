/** `GET /results`: the public dashboard, rendered with the current tally. */
import { Hono } from "hono";
import { Fragment } from "preact";
import { Island } from "../runtime/Island.tsx";
import { renderPage } from "../components/Layout.tsx";
import LiveTally, { dashboardTitle } from "../islands/LiveTally.tsx";
import type { BuildManifest } from "../runtime/manifest.ts";
import { type LogoUrls, partyViews } from "../lib/logos/party_views.ts";
import type { ElectionStore } from "../lib/store/store.ts";
import { boardWords } from "../components/board_words.ts";
import { localeOf } from "./_locale.ts";
import { catalogue, translate } from "../lib/i18n/catalogue.ts";
import { formatNumber, type Locale } from "../lib/i18n/format.ts";
import { fillNodes } from "../components/fill_nodes.tsx";

/** After the close, links to the public result files (`/results/result.csv`, …). */
function ResultFiles({ locale }: { locale: Locale }) {
  const say = catalogue(locale);
  const files = [
    ["/results/result.csv", say.download_csv],
    ["/results/result.json", say.download_json],
    ["/results/summary.csv", say.download_summary],
  ] as const;
  return (
    <p class="result-files">
      {say.downloads_label} {files.map(([href, label], i) => (
        <Fragment key={href}>
          {i > 0 && " · "}
          <a href={href} download>{label}</a>
        </Fragment>
      ))}
    </p>
  );
}

/** What the dashboard needs. */
export interface ResultsDeps {
  store: ElectionStore;
  /** The audit log, whose head is shown once voting has closed. */
  audit?: { readonly head: { seq: number; hash: string } };
  assets: BuildManifest | null;
  logos?: LogoUrls;
  /** The election's time zone, for the times shown. */
  timeZone: string;
}

/** The dashboard route. */
export function results({ store, assets, logos, timeZone, audit }: ResultsDeps): Hono {
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
        <Island
          of={LiveTally}
          props={{
            tally,
            parties,
            updatedAt: new Date().toISOString(),
            timeZone,
            words,
            locale,
            rollVoters: store.roll?.voters ?? null,
          }}
        />
        {tally.status === "closed" && <ResultFiles locale={locale} />}
        {tally.status === "closed" && audit && (
          <p class="audit-head">
            {fillNodes(
              translate(locale, "audit_head", {
                seq: formatNumber(locale, audit.head.seq),
                hash: "{hash}",
              }),
              { hash: <code>{audit.head.hash}</code> },
            )}
          </p>
        )}
      </>,
      {
        title: dashboardTitle(tally, words),
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
