/**
 * The tally as pure functions: counting, the limit, closing and the result.
 * Stores keep their counters with these, so the rules live in one place.
 */
import { voteError } from "./election/errors.ts";
import type { ClosedReason, ElectionResult } from "./election/types.ts";

/** The party that is counted and shown but never wins. */
export const NOTA = "nota";

/** The counting state of one election. Never mutated: functions return new states. */
export interface TallyState {
  /** Votes after which voting closes by itself; null for no limit. */
  limit: number | null;
  /** Votes by party id, NOTA included. */
  counts: Readonly<Record<string, number>>;
  /** The sum of `counts`. */
  total: number;
  /** Whether votes are still accepted. */
  status: "open" | "closed";
  /** Why voting closed; null while open. */
  closedReason: ClosedReason | null;
}

/**
 * Starts a tally with every party at zero.
 *
 * @param partyIds The ids of the parties on the ballot.
 * @param limit The number of votes after which voting closes, or null.
 * @returns An open tally.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { openTally } from "./tally.ts";
 * const tally = openTally(["bjp", "nota"], 10);
 * assert.deepEqual(tally.counts, { bjp: 0, nota: 0 });
 * assert.equal(tally.total, 0);
 * assert.equal(tally.status, "open");
 * ```
 */
export function openTally(
  partyIds: string[],
  limit: number | null,
): TallyState {
  const counts: Record<string, number> = {};
  for (const id of partyIds) counts[id] = 0;
  return { limit, counts, total: 0, status: "open", closedReason: null };
}

/**
 * Counts one vote. Closes the tally when the vote reaches the limit.
 *
 * @param state The tally before the vote.
 * @param party The id of the chosen party.
 * @returns The tally after the vote.
 * @throws {VoteError} `voting_closed` when closed, `unknown_party` for a party not on the ballot.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { applyVote, openTally } from "./tally.ts";
 * const after = applyVote(openTally(["bjp", "aap"], 1), "aap");
 * assert.equal(after.counts.aap, 1);
 * assert.equal(after.status, "closed");
 * assert.equal(after.closedReason, "limit");
 * assert.throws(() => applyVote(after, "bjp"), { code: "voting_closed" });
 * assert.throws(() => applyVote(openTally(["bjp"], null), "xyz"), { code: "unknown_party" });
 * ```
 */
export function applyVote(state: TallyState, party: string): TallyState {
  if (state.status === "closed") throw voteError("voting_closed");
  if (!Object.hasOwn(state.counts, party)) throw voteError("unknown_party");
  const total = state.total + 1;
  const atLimit = state.limit !== null && total >= state.limit;
  return {
    ...state,
    counts: { ...state.counts, [party]: state.counts[party] + 1 },
    total,
    status: atLimit ? "closed" : "open",
    closedReason: atLimit ? "limit" : null,
  };
}

/**
 * Closes voting.
 *
 * @param state The open tally.
 * @param reason Why it closes.
 * @returns The closed tally.
 * @throws {VoteError} `voting_closed` when it was closed already.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { closeTally, openTally } from "./tally.ts";
 * const closed = closeTally(openTally(["bjp"], null), "admin");
 * assert.equal(closed.status, "closed");
 * assert.equal(closed.closedReason, "admin");
 * assert.throws(() => closeTally(closed, "admin"), { code: "voting_closed" });
 * ```
 */
export function closeTally(
  state: TallyState,
  reason: ClosedReason,
): TallyState {
  if (state.status === "closed") {
    throw voteError("voting_closed");
  }
  return { ...state, status: "closed", closedReason: reason };
}

/**
 * Finds the winner: the most votes, NOTA excluded. Equal leaders are a tie;
 * no votes for any party means no winner.
 *
 * @param counts Votes by party id.
 * @returns The winner's id, or null with the tied ids (if any).
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { electionResult } from "./tally.ts";
 * // NOTA has the most votes, but NOTA never wins.
 * assert.deepEqual(electionResult({ bjp: 3, aap: 5, nota: 9 }), { winner: "aap", tie: [] });
 * assert.deepEqual(electionResult({ bjp: 4, aap: 4, nota: 0 }), { winner: null, tie: ["bjp", "aap"] });
 * assert.deepEqual(electionResult({ bjp: 0, nota: 7 }), { winner: null, tie: [] });
 * ```
 */
export function electionResult(
  counts: Readonly<Record<string, number>>,
): ElectionResult {
  let best = 0;
  let leaders: string[] = [];
  for (const [id, votes] of Object.entries(counts)) {
    if (id === NOTA || votes === 0) continue;
    if (votes > best) {
      best = votes;
      leaders = [id];
    } else if (votes === best) {
      leaders.push(id);
    }
  }
  if (leaders.length === 1) return { winner: leaders[0], tie: [] };
  return { winner: null, tie: leaders };
}
