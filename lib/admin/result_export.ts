/**
 * The result as files people open: `result.csv` is one table (party, name,
 * votes, share); the totals, the status and the winner by name are in the
 * JSON and in the separate `summary.csv`. Every CSV starts with a UTF-8
 * byte-order mark so that spreadsheet programs read Hindi names correctly.
 */
import type { Tally } from "../election/types.ts";
import { isoWithOffset } from "../election/local_time.ts";
import { csvRow } from "./csv.ts";

/** The UTF-8 byte-order mark: tells Excel the file is UTF-8, not the local code page. */
export const BOM = "\uFEFF";

/** What the summary says about the election as exported. */
export interface ResultSummary {
  /** Whether voting is open or closed. */
  status: Tally["status"];
  /** Why voting closed (`limit`, `admin` or `schedule`); null while open. */
  closedReason: Tally["closedReason"];
  /** Votes counted, NOTA included, as the results mode shows them (null while sealed). */
  total: number | null;
  /** The vote limit; null for none. */
  limit: number | null;
  /** The winner by name and id; null for a tie, no vote, or while open. */
  winner: { id: string; name: string } | null;
  /** The parties tied for the lead, by name and id; empty otherwise. */
  tie: { id: string; name: string }[];
  /** When it was exported: ISO 8601 with the election's offset. */
  exportedAt: string;
  /** The election's time zone, e.g. `Asia/Kolkata`. */
  timeZone: string;
}

/** A party's share, or null while the results mode hides its votes. */
function shareOf(votes: number | null, total: number | null): string | null {
  if (votes === null || total === null) return null;
  return total === 0 ? "0.0%" : `${(votes / total * 100).toFixed(1)}%`;
}

/**
 * Summarises the result: totals, status and the winner by name.
 *
 * @param tally The tally to export.
 * @param options When (epoch milliseconds) and in which time zone.
 * @returns The summary.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { resultSummary } from "./result_export.ts";
 * const tally = {
 *   status: "closed" as const, total: 3, limit: 3, closedReason: "limit" as const,
 *   results: "live" as const, step: { size: 10, published: 1 },
 *   result: { winner: "bjp", tie: [] },
 *   parties: [{ id: "bjp", name: "भाजपा", votes: 2 }, { id: "nota", name: "NOTA", votes: 1 }],
 * };
 * const summary = resultSummary(tally, { now: 0, timeZone: "Asia/Kolkata" });
 * assert.deepEqual(summary.winner, { id: "bjp", name: "भाजपा" });
 * assert.equal(summary.exportedAt, "1970-01-01T05:30:00+05:30");
 * ```
 */
export function resultSummary(
  tally: Tally,
  options: { now: number; timeZone: string },
): ResultSummary {
  const named = (id: string) => ({ id, name: tally.parties.find((p) => p.id === id)?.name ?? id });
  return {
    status: tally.status,
    closedReason: tally.closedReason,
    total: tally.total,
    limit: tally.limit,
    winner: tally.result?.winner ? named(tally.result.winner) : null,
    tie: tally.result?.tie.map(named) ?? [],
    exportedAt: isoWithOffset(options.now, options.timeZone),
    timeZone: options.timeZone,
  };
}

/**
 * `result.json`: the summary and the parties with their votes and shares.
 *
 * @param tally The tally to export.
 * @param options When (epoch milliseconds) and in which time zone.
 * @returns The object to send as JSON.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { resultJson } from "./result_export.ts";
 * const tally = {
 *   status: "closed" as const, total: 4, limit: null, closedReason: "admin" as const,
 *   results: "live" as const, step: { size: 10, published: 1 },
 *   result: { winner: null, tie: ["bjp", "aap"] },
 *   parties: [{ id: "bjp", name: "BJP", votes: 2 }, { id: "aap", name: "AAP", votes: 2 }],
 * };
 * const json = resultJson(tally, { now: 0, timeZone: "UTC" });
 * assert.deepEqual(json.tie.map((p) => p.name), ["BJP", "AAP"]);
 * assert.equal(json.parties[0].share, "50.0%");
 * ```
 */
export function resultJson(
  tally: Tally,
  options: { now: number; timeZone: string },
): ResultSummary & {
  parties: { id: string; name: string; votes: number | null; share: string | null }[];
} {
  return {
    ...resultSummary(tally, options),
    parties: tally.parties.map((p) => ({ ...p, share: shareOf(p.votes, tally.total) })),
  };
}

/**
 * `result.csv`: one table, one row per party, with a byte-order mark.
 *
 * @param tally The tally to export.
 * @returns The CSV text.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { BOM, resultCsv } from "./result_export.ts";
 * const tally = {
 *   status: "closed" as const, total: 4, limit: 4, closedReason: "limit" as const,
 *   results: "live" as const, step: { size: 10, published: 1 },
 *   result: { winner: "bjp", tie: [] },
 *   parties: [{ id: "bjp", name: "भाजपा", votes: 3 }, { id: "nota", name: "NOTA", votes: 1 }],
 * };
 * assert.equal(
 *   resultCsv(tally),
 *   BOM + "party,name,votes,share\r\nbjp,भाजपा,3,75.0%\r\nnota,NOTA,1,25.0%\r\n",
 * );
 * ```
 */
export function resultCsv(tally: Tally): string {
  return BOM + [
    csvRow(["party", "name", "votes", "share"]),
    ...tally.parties.map((p) => csvRow([p.id, p.name, p.votes, shareOf(p.votes, tally.total)])),
  ].join("");
}

/**
 * `summary.csv`: the summary as two columns (item, value), with a byte-order mark.
 *
 * @param summary The summary.
 * @returns The CSV text.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { resultSummaryCsv } from "./result_export.ts";
 * const csv = resultSummaryCsv({
 *   status: "closed", closedReason: "limit", total: 4, limit: 4, tie: [],
 *   winner: { id: "bjp", name: "भाजपा" }, exportedAt: "2026-01-26T14:00:00+05:30", timeZone: "Asia/Kolkata",
 * });
 * assert.match(csv, /^\uFEFFitem,value\r\n/);
 * assert.match(csv, /\r\nwinner,भाजपा\r\n/);
 * ```
 */
export function resultSummaryCsv(summary: ResultSummary): string {
  return BOM + [
    csvRow(["item", "value"]),
    csvRow(["status", summary.status]),
    csvRow(["closed_reason", summary.closedReason ?? ""]),
    csvRow(["total", summary.total]),
    csvRow(["limit", summary.limit]),
    csvRow(["winner", summary.winner?.name ?? ""]),
    csvRow(["tie", summary.tie.map((p) => p.name).join(" / ")]),
    csvRow(["exported_at", summary.exportedAt]),
    csvRow(["time_zone", summary.timeZone]),
  ].join("");
}
