/**
 * `GET /present`: the projector view. The QR code of the booth's LAN URL and
 * the link, large enough to read from the back of a hall, beside the live
 * turnout; after the close, the winner.
 */
import { Hono } from "hono";
import { Island } from "../runtime/Island.tsx";
import { renderPage } from "../components/Layout.tsx";
import PresentBoard from "../islands/PresentBoard.tsx";
import type { BuildManifest } from "../runtime/manifest.ts";
import { joinQrSvg } from "../lib/server/join_qr.ts";
import type { ElectionStore } from "../lib/store/store.ts";
import { adminSay, adminWords, pick } from "../lib/i18n/catalogue.ts";
import { RESULT_KEYS } from "../lib/election/describe_result.ts";
import { fillNodes } from "../components/fill_nodes.tsx";
import { localeOf } from "./_locale.ts";

/** What the projector view needs. */
export interface PresentDeps {
  store: ElectionStore;
  assets: BuildManifest | null;
  /** The booth URL voters are given; null falls back to the address the page was asked at. */
  joinUrl: () => string | null;
}

/** The projector route (mounted at `/present`). */
export function present({ store, assets, joinUrl }: PresentDeps): Hono {
  return new Hono().get("/", async (c) => {
    const booth = joinUrl() ?? `${new URL(c.req.url).origin}/`;
    // Once voting has closed the code leads to the result, not to a closed booth.
    const closed = store.snapshot().status === "closed";
    const url = closed ? `${booth}results` : booth;
    const qr = await joinQrSvg(url);
    const locale = localeOf(c);
    const say = adminWords(locale);
    const words = {
      ...pick(locale, RESULT_KEYS),
      present_open: say.present_open,
      present_closed: say.present_closed,
      present_not_open: say.present_not_open,
      present_mock_not_open: say.present_mock_not_open,
      present_sealed: say.present_sealed,
      admin_vote: say.admin_vote,
      admin_votes: say.admin_votes,
      admin_of_limit: say.admin_of_limit,
      admin_sentence: say.admin_sentence,
    };
    c.header("Cache-Control", "no-store");
    return c.html(renderPage(
      <div class="present">
        <section class="present-join" aria-labelledby="join-title">
          <h1 id="join-title">{closed ? say.present_scan_results : say.present_scan_vote}</h1>
          <div
            class="present-qr"
            role="img"
            aria-label={adminSay(locale, "present_qr", { url })}
            dangerouslySetInnerHTML={{ __html: qr }}
          />
          <p class="present-link">
            {fillNodes(say.present_or_open, {
              link: (
                <a href={url} data-join>
                  {url.replace(/^https?:\/\//, "").replace(/\/$/, "")}
                </a>
              ),
            })}
          </p>
        </section>
        <Island of={PresentBoard} props={{ tally: store.snapshot(), locale, words }} />
      </div>,
      {
        title: say.present_title,
        locale,
        assets,
        path: "/present",
        styles: ["app", "present"],
        bodyClass: "page-present",
        bare: true,
      },
    ));
  });
}
