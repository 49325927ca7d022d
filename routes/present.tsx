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
    c.header("Cache-Control", "no-store");
    return c.html(renderPage(
      <div class="present">
        <section class="present-join" aria-labelledby="join-title">
          <h1 id="join-title">{closed ? "Scan for the results" : "Scan to vote"}</h1>
          <div
            class="present-qr"
            role="img"
            aria-label={`QR code of ${url}`}
            dangerouslySetInnerHTML={{ __html: qr }}
          />
          <p class="present-link">
            or open <a href={url} data-join>{url.replace(/^https?:\/\//, "").replace(/\/$/, "")}</a>
          </p>
        </section>
        <Island of={PresentBoard} props={{ tally: store.snapshot() }} />
      </div>,
      {
        title: "Join the vote",
        assets,
        path: "/present",
        styles: ["app", "present"],
        bodyClass: "page-present",
        bare: true,
      },
    ));
  });
}
