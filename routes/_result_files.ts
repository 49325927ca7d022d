/** The result files, as the administrator's exports and as the public download after the close. */
import type { Context } from "hono";
import type { Tally } from "../lib/election/types.ts";
import {
  resultCsv,
  resultJson,
  resultSummary,
  resultSummaryCsv,
} from "../lib/admin/result_export.ts";

/** The result files by name. */
export const RESULT_FILES = ["result.csv", "result.json", "summary.csv"] as const;

/** One of the result files. */
export type ResultFile = typeof RESULT_FILES[number];

/** Answers one result file as a download. */
export function resultFile(c: Context, file: ResultFile, tally: Tally, timeZone: string): Response {
  const options = { now: Date.now(), timeZone };
  const headers = { "Content-Disposition": `attachment; filename="${file}"` };
  if (file === "result.json") return c.json(resultJson(tally, options), 200, headers);
  const text = file === "result.csv"
    ? resultCsv(tally)
    : resultSummaryCsv(resultSummary(tally, options));
  return c.body(text, 200, { "Content-Type": "text/csv; charset=utf-8", ...headers });
}
