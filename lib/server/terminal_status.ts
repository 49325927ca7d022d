/**
 * What the server's terminal says while an election runs, as pure text: the
 * status line (turnout, share of the limit, votes per minute, open or closed,
 * never party counts while open), the notice when voting closes and why, and
 * the result with the winner or the tie. `terminal_display.ts` decides when
 * and how to write them.
 */
import type { Tally } from "../election/types.ts";
import { localTime } from "../election/local_time.ts";
import { describeResult } from "../election/describe_result.ts";
import { EN } from "../i18n/en.ts";

function share(part: number, whole: number): string {
  return whole === 0 ? "0.0%" : `${(part / whole * 100).toFixed(1)}%`;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}

/**
 * The one status line: no party counts, so it can run in front of anyone.
 *
 * @param tally The current tally.
 * @param votesLastMinute Votes counted in the last minute.
 * @returns The line, without a line break.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { statusLine } from "./terminal_status.ts";
 * const tally = {
 *   status: "open" as const, total: 42, limit: 100, closedReason: null, result: null, results: "live" as const, step: { size: 10, published: 1 },
 *   parties: [{ id: "bjp", name: "BJP", votes: 42 }],
 * };
 * assert.equal(statusLine(tally, 12), "Voting open · 42 of 100 votes (42.0% of the limit) · 12 votes/min");
 * assert.equal(statusLine({ ...tally, limit: null, total: 1 }, 0), "Voting open · 1 vote · no limit · 0 votes/min");
 * assert.doesNotMatch(statusLine(tally, 12), /BJP/);
 * assert.equal(statusLine({ ...tally, total: null }, null), "Voting open · turnout sealed until the close");
 * const day = { opensAt: null, byAdmin: true, closesAt: null, mockPoll: false };
 * assert.equal(statusLine({ ...tally, status: "pending", total: 0, day }, 0), "Voting not open yet · 0 of 100 votes (0.0% of the limit)");
 * assert.match(statusLine({ ...tally, status: "pending", total: 3, day: { ...day, mockPoll: true } }, 3), /^Mock poll, voting not open yet · 3 mock votes$/);
 * ```
 */
export function statusLine(tally: Tally, votesLastMinute: number | null): string {
  const state = tally.status === "open"
    ? "Voting open"
    : tally.status === "closed"
    ? "Voting closed"
    : tally.day?.mockPoll
    ? "Mock poll, voting not open yet"
    : "Voting not open yet";
  // A mock poll's votes are counted in full and never against the limit.
  if (tally.day?.mockPoll) return `${state} · ${plural(tally.total ?? 0, "mock vote")}`;
  // A sealed election shows no turnout until the close.
  if (tally.total === null) return `${state} · turnout sealed until the close`;
  const turnout = tally.limit === null
    ? `${plural(tally.total, "vote")} · no limit`
    : `${tally.total} of ${plural(tally.limit, "vote")} (${
      share(tally.total, tally.limit)
    } of the limit)`;
  const rate = tally.status === "open" && votesLastMinute !== null
    ? ` · ${votesLastMinute} votes/min`
    : "";
  return `${state} · ${turnout}${rate}`;
}

/**
 * The notice printed when voting closes: when, and why.
 *
 * @param tally The closed tally.
 * @param at When the server saw it close (epoch milliseconds).
 * @param timeZone The election's time zone.
 * @returns One line.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { closeNotice } from "./terminal_status.ts";
 * const closed = {
 *   status: "closed" as const, total: 100, limit: 100, closedReason: "limit" as const,
 *   result: { winner: "bjp", tie: [] }, results: "live" as const, step: { size: 10, published: 1 }, parties: [],
 * };
 * assert.equal(
 *   closeNotice(closed, 0, "Asia/Kolkata"),
 *   "Voting closed at 05:30:00 IST: the limit of 100 votes was reached.",
 * );
 * assert.match(closeNotice({ ...closed, closedReason: "admin" }, 0, "UTC"), /the administrator ended it/);
 * assert.match(closeNotice({ ...closed, closedReason: "schedule" }, 0, "UTC"), /the closing time was reached/);
 * ```
 */
export function closeNotice(tally: Tally, at: number, timeZone: string): string {
  const why = tally.closedReason === "limit"
    ? `the limit of ${plural(tally.limit ?? tally.total ?? 0, "vote")} was reached`
    : tally.closedReason === "schedule"
    ? "the closing time was reached"
    : "the administrator ended it";
  return `Voting closed at ${localTime(at, timeZone, { date: false })}: ${why}.`;
}

/**
 * The outcome in one sentence (`describeResult`'s headline): the winner by
 * name, the tie, or no winner.
 *
 * @param tally A closed tally.
 * @returns The sentence; empty while voting is open.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { outcomeSentence } from "./terminal_status.ts";
 * const parties = [
 *   { id: "bjp", name: "BJP", votes: 4 }, { id: "aap", name: "AAP", votes: 4 },
 *   { id: "nota", name: "NOTA", votes: 9 },
 * ];
 * const base = { status: "closed" as const, total: 17, limit: null, closedReason: "admin" as const, results: "live" as const, step: { size: 10, published: 1 }, parties };
 * assert.equal(outcomeSentence({ ...base, result: { winner: null, tie: ["bjp", "aap"] } }), "A tie between BJP and AAP.");
 * assert.equal(outcomeSentence({ ...base, result: { winner: "aap", tie: [] } }), "AAP wins.");
 * const none = parties.map((p) => ({ ...p, votes: 0 }));
 * const empty = { ...base, total: 0, parties: none, result: { winner: null, tie: [] } };
 * assert.equal(outcomeSentence(empty), "No winner: no party received a vote.");
 * ```
 */
export function outcomeSentence(tally: Tally): string {
  const said = describeResult(tally, EN, "en");
  return said ? `${said.headline}.` : "";
}

/**
 * The result as plain lines: one per party (votes and share), then the outcome.
 * Only for a closed tally: while open it returns nothing, whatever it holds.
 *
 * @param tally The closed tally.
 * @returns The lines, without line breaks.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { resultLines } from "./terminal_status.ts";
 * const parties = [{ id: "bjp", name: "BJP", votes: 3 }, { id: "nota", name: "NOTA", votes: 1 }];
 * const closed = {
 *   status: "closed" as const, total: 4, limit: 4, closedReason: "limit" as const,
 *   result: { winner: "bjp", tie: [] }, results: "live" as const, step: { size: 10, published: 1 }, parties,
 * };
 * assert.deepEqual(resultLines(closed), [
 *   "Result (4 votes):",
 *   "  BJP   3   75.0%",
 *   "  NOTA  1   25.0%",
 *   "BJP wins.",
 * ]);
 * assert.deepEqual(resultLines({ ...closed, status: "open", result: null }), []);
 * ```
 */
export function resultLines(tally: Tally): string[] {
  if (tally.status !== "closed" || !tally.result) return [];
  const nameWidth = Math.max(...tally.parties.map((p) => [...p.name].length), 4);
  const votesWidth = Math.max(...tally.parties.map((p) => String(p.votes).length), 1);
  return [
    `Result (${plural(tally.total ?? 0, "vote")}):`,
    ...tally.parties.map((p) =>
      `  ${p.name}${" ".repeat(nameWidth - [...p.name].length)}  ${
        String(p.votes).padStart(votesWidth)
      }  ${share(p.votes ?? 0, tally.total ?? 0).padStart(6)}`
    ),
    outcomeSentence(tally),
  ];
}
