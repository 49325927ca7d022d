/**
 * `GET /results/result.csv`, `/results/result.json`, `/results/summary.csv`:
 * the public download of the result, once voting has closed (404 before).
 */
import { Hono } from "hono";
import type { BuildManifest } from "../runtime/manifest.ts";
import { translate } from "../lib/i18n/catalogue.ts";
import { localeOf } from "./_locale.ts";
import { problemHtml, wantsHtml } from "./not_found.tsx";

import type { ElectionStore } from "../lib/store/store.ts";
import { RESULT_FILES, resultFile } from "./_result_files.ts";
import { HttpError } from "./_errors.ts";

/**
 * The public result files (mounted at `/results`). Before the close a browser
 * gets a page saying when the files come, anything else the contract's 404.
 */
export function resultDownload(
  store: ElectionStore,
  timeZone: string,
  assets: BuildManifest | null,
): Hono {
  return new Hono().get("/:file{result\\.csv|result\\.json|summary\\.csv}", (c) => {
    const tally = store.snapshot();
    if (tally.status !== "closed") {
      if (wantsHtml(c)) {
        const locale = localeOf(c);
        c.header("Cache-Control", "no-store");
        const text = [translate(locale, "result_not_yet")];
        return c.html(problemHtml(locale, assets, { title: "not_found_title", text }), 404);
      }
      throw new HttpError("not_found", { reason: "result_not_yet" });
    }
    c.header("Cache-Control", "no-store");
    const file = RESULT_FILES.find((f) => f === c.req.param("file"))!;
    return resultFile(c, file, tally, timeZone);
  });
}
