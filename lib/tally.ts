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
  /**
   * `pending` before voting opens (votes refused, except a mock poll's),
   * `open` while votes are accepted, `closed` after.
   */
  status: "pending" | "open" | "closed";
  /** Why voting closed; null while open. */
  closedReason: ClosedReason | null;
  /**
   * While pending: a mock poll runs, and every counted vote is one of its
   * votes (counted in full, never against the limit). Absent means false.
   */
  mock?: boolean;
  /**
   * Changes of the election day so far (opening, starting a mock poll, and
   * each clearing, which adds the votes it removed), so that the total plus
   * this only ever grows. Absent means 0.
   */
  revision?: number;
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
 * @throws {VoteError} `voting_closed` when closed, `voting_not_open` before the opening
 * (outside a mock poll), `unknown_party` for a party not on the ballot.
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
  if (state.status === "pending" && !state.mock) throw voteError("voting_not_open");
  if (!Object.hasOwn(state.counts, party)) throw voteError("unknown_party");
  const total = state.total + 1;
  // A mock poll's votes never close the election.
  const atLimit = state.status === "open" && state.limit !== null && total >= state.limit;
  return {
    ...state,
    counts: { ...state.counts, [party]: state.counts[party] + 1 },
    total,
    status: atLimit ? "closed" : state.status,
    closedReason: atLimit ? "limit" : null,
  };
}

/**
 * Closes voting.
 *
 * @param state The open tally.
 * @param reason Why it closes.
 * @returns The closed tally.
 * @throws {VoteError} `voting_closed` when it was closed already; `mock_poll_uncleared`
 * while a mock poll holds votes (they must never become the result).
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
  if (state.mock && state.total > 0) throw voteError("mock_poll_uncleared");
  return { ...state, status: "closed", closedReason: reason, mock: false };
}

/**
 * Opens voting (the administrator's "Open voting", or the opening time).
 * A mock poll without votes simply ends.
 *
 * @param state A pending tally.
 * @returns The open tally.
 * @throws {VoteError} `voting_open` when open already, `voting_closed` once closed,
 * `mock_poll_uncleared` while a mock poll holds votes.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { applyVote, openTally, openVoting, pendingTally, startMockPoll } from "./tally.ts";
 * const pending = pendingTally(["bjp"], null);
 * assert.throws(() => applyVote(pending, "bjp"), { code: "voting_not_open" });
 * const mock = applyVote(startMockPoll(pending), "bjp");
 * assert.throws(() => openVoting(mock), { code: "mock_poll_uncleared" });
 * assert.equal(openVoting(pending).status, "open");
 * assert.throws(() => openVoting(openTally(["bjp"], null)), { code: "voting_open" });
 * ```
 */
export function openVoting(state: TallyState): TallyState {
  if (state.status === "closed") throw voteError("voting_closed");
  if (state.status === "open") throw voteError("voting_open");
  if (state.mock && state.total > 0) throw voteError("mock_poll_uncleared");
  return { ...state, status: "open", mock: false, revision: (state.revision ?? 0) + 1 };
}

/**
 * Starts a mock poll before the opening: votes are then counted as the mock
 * poll's, in full and never against the limit. Starting it again changes nothing.
 *
 * @param state A pending tally.
 * @returns The tally with the mock poll running.
 * @throws {VoteError} `voting_open` once open, `voting_closed` once closed.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { applyVote, pendingTally, startMockPoll } from "./tally.ts";
 * const mock = applyVote(applyVote(startMockPoll(pendingTally(["bjp"], 1)), "bjp"), "bjp");
 * assert.deepEqual([mock.status, mock.total, mock.mock], ["pending", 2, true]); // no limit
 * ```
 */
export function startMockPoll(state: TallyState): TallyState {
  if (state.status === "closed") throw voteError("voting_closed");
  if (state.status === "open") throw voteError("voting_open");
  if (state.mock) return state;
  return { ...state, mock: true, revision: (state.revision ?? 0) + 1 };
}

/**
 * Clears a mock poll: every count back to zero, still before the opening.
 *
 * @param state A pending tally (with or without a mock poll).
 * @returns The pending tally with nothing counted.
 * @throws {VoteError} `voting_open` once open, `voting_closed` once closed.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { applyVote, clearMockPoll, pendingTally, startMockPoll } from "./tally.ts";
 * const mock = applyVote(startMockPoll(pendingTally(["bjp"], null)), "bjp");
 * const cleared = clearMockPoll(mock);
 * assert.deepEqual([cleared.total, cleared.counts.bjp, cleared.mock], [0, 0, false]);
 * // The total fell by one, the revision rose by two: together they only grow.
 * assert.equal(cleared.total + cleared.revision!, mock.total + mock.revision! + 1);
 * ```
 */
export function clearMockPoll(state: TallyState): TallyState {
  if (state.status === "closed") throw voteError("voting_closed");
  if (state.status === "open") throw voteError("voting_open");
  const counts: Record<string, number> = {};
  for (const id of Object.keys(state.counts)) counts[id] = 0;
  return {
    ...state,
    counts,
    total: 0,
    mock: false,
    revision: (state.revision ?? 0) + state.total + 1,
  };
}

/**
 * Starts a tally that waits for its opening (`--opens-at`), every party at zero.
 *
 * @param partyIds The ids of the parties on the ballot.
 * @param limit The number of votes after which voting closes, or null.
 * @returns A pending tally.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { pendingTally } from "./tally.ts";
 * assert.equal(pendingTally(["bjp"], 10).status, "pending");
 * ```
 */
export function pendingTally(partyIds: string[], limit: number | null): TallyState {
  return { ...openTally(partyIds, limit), status: "pending" };
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
