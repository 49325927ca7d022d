/**
 * The recount: the ballots counted again and compared with the stored
 * counters (at every start, and by `deno task recount`), and the digest of
 * the ballot list that the audit log's close entry records.
 */
import { createHash } from "node:crypto";

/** What counting the ballots gives. */
export interface Recount {
  /** Ballots per party id (every party on the ballot, zeros included). */
  counts: Record<string, number>;
  /** Ballots counted in all. */
  total: number;
}

/** A party whose counter and ballots disagree. */
export interface Mismatch {
  /** The party's id. */
  party: string;
  /** Votes by its counter row(s). */
  counter: number;
  /** Votes by its ballots. */
  ballots: number;
}

/** The counters disagree with the ballots: the store refuses to serve votes. */
export class RecountMismatchError extends Error {
  /**
   * Makes the error for counters that disagree with the ballots.
   *
   * @param message The parties that disagree, in words (`describeMismatches`).
   */
  constructor(message: string) {
    super(message);
    this.name = "RecountMismatchError";
  }
}

/**
 * Compares stored counters with counted ballots, party by party.
 *
 * @param counters The counters as stored.
 * @param ballots The ballots as counted.
 * @returns Every party that disagrees (none when all agree).
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { compareCounts } from "./recount.ts";
 * assert.deepEqual(compareCounts({ bjp: 540, aap: 3 }, { bjp: 40, aap: 3 }), [
 *   { party: "bjp", counter: 540, ballots: 40 },
 * ]);
 * ```
 */
export function compareCounts(
  counters: Readonly<Record<string, number>>,
  ballots: Readonly<Record<string, number>>,
): Mismatch[] {
  const parties = [...new Set([...Object.keys(counters), ...Object.keys(ballots)])];
  return parties
    .map((party) => ({ party, counter: counters[party] ?? 0, ballots: ballots[party] ?? 0 }))
    .filter((m) => m.counter !== m.ballots);
}

/**
 * Says in one sentence which parties disagree and by how much.
 *
 * @param mismatches From `compareCounts`.
 * @returns The sentence.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { describeMismatches } from "./recount.ts";
 * assert.equal(
 *   describeMismatches([{ party: "bjp", counter: 540, ballots: 40 }]),
 *   "The counters disagree with the ballots: bjp counter 540, ballots 40 (counter +500).",
 * );
 * ```
 */
export function describeMismatches(mismatches: readonly Mismatch[]): string {
  const parts = mismatches.map((m) => {
    const d = m.counter - m.ballots;
    return `${m.party} counter ${m.counter}, ballots ${m.ballots} (counter ${
      d > 0 ? "+" : ""
    }${d})`;
  });
  return `The counters disagree with the ballots: ${parts.join("; ")}.`;
}

/**
 * The SHA-256 digest of the ballot list: one line `RECEIPT PARTY\n` per
 * ballot, in receipt order. Anyone holding the ballots can compute it again
 * (`deno task recount`) and compare it with the audit log's close entry.
 *
 * @param ballots The ballots, sorted by receipt.
 * @returns The digest in hex.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { ballotDigest } from "./recount.ts";
 * const digest = ballotDigest([{ receipt: "0000-0000-0001", party: "bjp" }]);
 * assert.equal(digest.length, 64);
 * assert.notEqual(digest, ballotDigest([{ receipt: "0000-0000-0001", party: "aap" }]));
 * ```
 */
export function ballotDigest(ballots: Iterable<{ receipt: string; party: string }>): string {
  const hash = createHash("sha256");
  let chunk = "";
  for (const b of ballots) {
    chunk += `${b.receipt} ${b.party}\n`;
    if (chunk.length > 65536) {
      hash.update(chunk);
      chunk = "";
    }
  }
  return hash.update(chunk).digest("hex");
}
