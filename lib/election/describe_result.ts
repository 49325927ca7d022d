/** A closed election's result in words: one wording for every page that shows it. */
import { NOTA } from "../tally.ts";
import type { Tally } from "./types.ts";

/** The result as sentences, for the results board and the administrator's panel. */
export interface ResultDescription {
  /** The outcome: `"BJP wins"`, `"A tie between BJP, Congress and AAP"`, or that nobody won. */
  headline: string;
  /** Why voting closed: at the limit (with the number) or by the administrator. */
  closed: string;
  /** That NOTA is counted but cannot win, when NOTA is on the ballot; otherwise null. */
  nota: string | null;
}

/** "A", "A and B", "A, B and C". */
function listOf(names: string[]): string {
  return names.length <= 2
    ? names.join(" and ")
    : `${names.slice(0, -1).join(", ")} and ${names.at(-1)}`;
}

/**
 * Describes the result of a closed election in words, with the parties'
 * names from the tally. Pure: the server and the islands both call it.
 *
 * @param tally The public tally.
 * @returns The description, or null while voting is open.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { describeResult } from "./describe_result.ts";
 * const tally = {
 *   status: "closed" as const,
 *   total: 9,
 *   limit: 9,
 *   parties: [
 *     { id: "bjp", name: "BJP", votes: 3 },
 *     { id: "congress", name: "Congress", votes: 3 },
 *     { id: "aap", name: "AAP", votes: 3 },
 *   ],
 *   closedReason: "limit" as const,
 *   result: { winner: null, tie: ["bjp", "congress", "aap"] },
 *   results: "live" as const,
 *   step: { size: 10, published: 1 },
 * };
 * const said = describeResult(tally)!;
 * assert.equal(said.headline, "A tie between BJP, Congress and AAP");
 * assert.equal(said.closed, "Voting closed at the limit of 9 votes.");
 * assert.equal(said.nota, null); // no NOTA on this ballot
 *
 * const withNota = {
 *   ...tally,
 *   parties: [...tally.parties, { id: "nota", name: "NOTA", votes: 5 }],
 *   closedReason: "admin" as const,
 *   result: { winner: "bjp", tie: [] },
 * };
 * assert.equal(describeResult(withNota)!.headline, "BJP wins");
 * assert.equal(describeResult(withNota)!.nota, "NOTA is counted but cannot win.");
 * assert.equal(describeResult({ ...tally, status: "open", result: null }), null);
 *
 * const onlyNota = { ...withNota, limit: 1, closedReason: "limit" as const, result: { winner: null, tie: [] } };
 * onlyNota.parties = onlyNota.parties.map((p) => ({ ...p, votes: p.id === "nota" ? 1 : 0 }));
 * assert.equal(describeResult(onlyNota)!.headline, "No winner: only NOTA received votes");
 * assert.equal(describeResult(onlyNota)!.closed, "Voting closed at the limit of 1 vote.");
 * ```
 */
export function describeResult(tally: Tally): ResultDescription | null {
  const result = tally.result;
  if (tally.status !== "closed" || !result) return null;
  const name = (id: string) => tally.parties.find((p) => p.id === id)?.name ?? id;
  const headline = result.winner
    ? `${name(result.winner)} wins`
    : result.tie.length > 1
    ? `A tie between ${listOf(result.tie.map(name))}`
    : tally.parties.some((p) => p.id !== NOTA && (p.votes ?? 0) > 0)
    ? "No winner"
    : tally.parties.some((p) => p.id === NOTA && (p.votes ?? 0) > 0)
    ? "No winner: only NOTA received votes"
    : "No winner: no party received a vote";
  const closed = tally.closedReason === "limit"
    ? `Voting closed at the limit of ${tally.limit} ${tally.limit === 1 ? "vote" : "votes"}.`
    : "Voting was closed by the administrator.";
  const nota = tally.parties.some((p) => p.id === NOTA)
    ? `${name(NOTA)} is counted but cannot win.`
    : null;
  return { headline, closed, nota };
}
