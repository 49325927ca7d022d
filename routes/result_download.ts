/**
 * `GET /results/result.csv`, `/results/result.json`, `/results/summary.csv`:
 * the public download of the result, once voting has closed (404 before).
 */
import { Hono } from "hono";

import type { ElectionStore } from "../lib/store/store.ts";
import { RESULT_FILES, resultFile } from "./_result_files.ts";
import { HttpError } from "./_errors.ts";

/** The public result files (mounted at `/results`). */
export function resultDownload(store: ElectionStore, timeZone: string): Hono {
  return new Hono().get("/:file{result\\.csv|result\\.json|summary\\.csv}", (c) => {
    const tally = store.snapshot();
    if (tally.status !== "closed") {
      throw new HttpError("not_found", { reason: "result_not_yet" });
    }
    c.header("Cache-Control", "no-store");
    const file = RESULT_FILES.find((f) => f === c.req.param("file"))!;
    return resultFile(c, file, tally, timeZone);
  });
}
