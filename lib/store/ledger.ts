/**
 * What the SQLite and PostgreSQL ledgers share: the counting state read from
 * counter rows, a batch applied in order, the receipts drawn until each is
 * stored, and the turnout register's paging and search. Each ledger keeps
 * only its SQL.
 */
import type { ElectionSettings } from "../election/election_config.ts";
import type { ResultsMode } from "../election/types.ts";
import { VoteError, voteError } from "../election/errors.ts";
import { newReceipt } from "../election/receipt.ts";
import type { Ballot, ClosedReason } from "../election/types.ts";
import {
  applyVote,
  clearMockPoll,
  closeTally,
  openTally,
  openVoting,
  startMockPoll,
  type TallyState,
} from "../tally.ts";
import type { LedgerOp, LedgerResult } from "./batched_store.ts";
import type { RegisterCursor, TurnoutQuery } from "./store.ts";

/** The election row's status columns, as both databases store them. */
export interface ElectionRow {
  /** Whether voting is open. */
  status: "open" | "closed";
  /** Why voting closed, or null while it is open. */
  closed_reason: ClosedReason | null;
  /** Before the close: waiting for the opening, a mock poll running, or open (absent: open). */
  phase?: Phase;
  /** The counting state's `revision` (absent: 0). */
  day_revision?: number | string;
}

/** The election row's phase column: what an election not closed is doing. */
export type Phase = "pending" | "mock" | "open";

/**
 * The phase column to store for a counting state.
 *
 * @param state The counting state.
 * @returns `pending`, `mock` or `open` (a closed election keeps `open`).
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { phaseOf } from "./ledger.ts";
 * import { pendingTally, startMockPoll } from "../tally.ts";
 * assert.equal(phaseOf(startMockPoll(pendingTally(["bjp"], null))), "mock");
 * ```
 */
export function phaseOf(state: TallyState): Phase {
  if (state.status !== "pending") return "open";
  return state.mock ? "mock" : "pending";
}

/** One counter row: a party and votes (PostgreSQL keeps several rows per party). */
export interface CountRow {
  /** The party's id. */
  party: string;
  /** Votes counted in this row. */
  votes: number;
}

/**
 * Reads the counting state from the election row and the counter rows; rows
 * of one party are added up, so it costs one row per party, whatever the turnout.
 *
 * @param settings The election's limit and parties.
 * @param election The election row.
 * @param counts The counter rows.
 * @returns The state as stored.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { stateFromRows } from "./ledger.ts";
 * const settings = { limit: null, parties: [{ id: "bjp", name: "BJP", color: "#ff9933", logo: "b.svg" }] };
 * const state = stateFromRows(settings, { status: "closed", closed_reason: "admin" }, [
 *   { party: "bjp", votes: 2 },
 *   { party: "bjp", votes: 3 },
 * ]);
 * assert.deepEqual([state.counts.bjp, state.total, state.closedReason], [5, 5, "admin"]);
 * ```
 */
export function stateFromRows(
  settings: Pick<ElectionSettings, "limit" | "parties">,
  election: ElectionRow,
  counts: Iterable<CountRow>,
): TallyState {
  const state = openTally(settings.parties.map((p) => p.id), settings.limit);
  const votes: Record<string, number> = { ...state.counts };
  let total = 0;
  for (const row of counts) {
    votes[row.party] = (votes[row.party] ?? 0) + Number(row.votes);
    total += Number(row.votes);
  }
  const closed = election.status === "closed"
    ? { status: "closed" as const, closedReason: election.closed_reason }
    : election.phase === "pending" || election.phase === "mock"
    ? { status: "pending" as const, mock: election.phase === "mock" }
    : {};
  const revision = Number(election.day_revision ?? 0);
  return { ...state, counts: votes, total, ...closed, ...(revision ? { revision } : {}) };
}

/** A batch applied to the counting state, before its receipts are drawn. */
export interface BatchPlan {
  /** One result per operation; an accepted cast's receipt is filled in by `withReceipts`. */
  results: LedgerResult[];
  /** The state after the batch. */
  state: TallyState;
  /** How voting closed in this batch, or null when it did not. */
  closedBy: ClosedReason | null;
  /** The accepted casts: their place in `ops` and their party. */
  accepted: { index: number; party: string }[];
  /** Whether the phase or revision changed (an opening, a mock poll started or cleared). */
  dayChanged: boolean;
  /** A cleared mock poll's counts by party: every register row, ballot and counter goes. */
  cleared: Record<string, number> | null;
}

/**
 * Applies a batch's operations in order to the counting state. A cast the
 * tally accepts is then registered with `register` (given the operation's
 * index), which says false when the voter ID has voted already, and may throw
 * a `VoteError` to refuse the cast (the electoral roll's refusals).
 *
 * @param before The state before the batch, read in its transaction.
 * @param ops The operations, in arrival order.
 * @param register Enters a voter in the turnout register; false if already there.
 * @returns The results, the state after, how voting closed, and the accepted casts.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { planBatch } from "./ledger.ts";
 * import { openTally } from "../tally.ts";
 * const voter = { name: "Asha", age: 34, address: "Pune", voterId: "WKH1186253", party: "bjp" };
 * const voted = new Set<string>();
 * const plan = planBatch(openTally(["bjp"], 1), [
 *   { kind: "cast", ballot: voter },
 *   { kind: "cast", ballot: { ...voter, voterId: "WKH1186261" } },
 * ], (b) => !voted.has(b.voterId) && voted.add(b.voterId) !== undefined);
 * assert.deepEqual(plan.results.map((r) => r.ok ? "ok" : r.code), ["ok", "voting_closed"]);
 * assert.deepEqual([plan.state.total, plan.closedBy, plan.accepted], [1, "limit", [{ index: 0, party: "bjp" }]]);
 * ```
 */
export function planBatch(
  before: TallyState,
  ops: readonly LedgerOp[],
  register: (ballot: Ballot, index: number) => boolean,
): BatchPlan {
  let state = before;
  let closedBy: ClosedReason | null = null;
  const accepted: { index: number; party: string }[] = [];
  let dayChanged = false;
  let cleared: Record<string, number> | null = null;
  const results = ops.map((op, index): LedgerResult => {
    try {
      if (op.kind === "close") {
        state = closeTally(state, op.reason);
        closedBy = op.reason;
        return { ok: true };
      }
      if (op.kind === "open" || op.kind === "mock") {
        const next = op.kind === "open" ? openVoting(state) : startMockPoll(state);
        dayChanged ||= next !== state;
        state = next;
        return { ok: true };
      }
      if (op.kind === "clearMock") {
        const counts = { ...state.counts };
        state = clearMockPoll(state);
        // Casts accepted earlier in this batch were the mock poll's: the ledger wipes them too.
        cleared = counts;
        dayChanged = true;
        return { ok: true, counts };
      }
      // A booth that showed the mock poll, whose vote comes after the opening: the voter
      // cast a test vote, and is told to vote again rather than have it counted for real.
      if (op.phase === "mock" && state.status === "open") throw voteError("mock_poll_over");
      const next = applyVote(state, op.ballot.party);
      if (!register(op.ballot, index)) throw voteError("already_voted");
      if (next.status === "closed") closedBy = "limit";
      state = next;
      accepted.push({ index, party: op.ballot.party });
      return { ok: true };
    } catch (e) {
      if (e instanceof VoteError) return { ok: false, code: e.code, message: e.message };
      throw e;
    }
  });
  return { results, state, closedBy, accepted, dayChanged, cleared };
}

/**
 * How each party's counter changed in a batch: `[party, votes added]` for the
 * parties that changed, sorted by party (one lock order for every instance).
 *
 * @param before The state before the batch.
 * @param after The state after it.
 * @returns The changes.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { countChanges } from "./ledger.ts";
 * import { applyVote, openTally } from "../tally.ts";
 * const before = openTally(["aap", "bjp"], null);
 * assert.deepEqual(countChanges(before, applyVote(applyVote(before, "bjp"), "bjp")), [["bjp", 2]]);
 * ```
 */
export function countChanges(before: TallyState, after: TallyState): [string, number][] {
  return Object.entries(after.counts)
    .map(([party, votes]): [string, number] => [party, votes - (before.counts[party] ?? 0)])
    .filter(([, added]) => added !== 0)
    .sort(([a], [b]) => a < b ? -1 : 1);
}

/** A ballot row to insert: a random receipt and a party, nothing else. */
export interface BallotRow {
  /** The receipt code, e.g. `K7QH-2M9D-X4TP`. */
  receipt: string;
  /** The party's id. */
  party: string;
}

/** Shuffles in place (Fisher–Yates), so ballots are not inserted in arrival order. */
function shuffle<T>(items: T[]): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [items[i], items[j]] = [items[j], items[i]];
  }
  return items;
}

/**
 * Draws a receipt for each ballot until every one is stored: a ballot whose
 * receipt is taken already (one chance in 2^60 per ballot) gets a new one.
 * The caller inserts `pending()` and reports what was stored, until nothing is pending.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { ReceiptDraw } from "./ledger.ts";
 * const stored = new Set<string>();
 * const draw = new ReceiptDraw(["bjp", "aap"]);
 * while (draw.pending().length > 0) {
 *   draw.stored(draw.pending().filter((b) => !stored.has(b.receipt) && stored.add(b.receipt)).map((b) => b.receipt));
 * }
 * assert.equal(draw.receipts.length, 2);
 * assert.ok(draw.receipts.every((r) => stored.has(r)));
 * ```
 */
export class ReceiptDraw {
  /** The receipts, in the order of the parties given. */
  readonly receipts: string[];
  readonly #parties: readonly string[];
  #missing: number[];

  /**
   * Draws a first receipt for each ballot.
   *
   * @param parties The party of each ballot to store.
   */
  constructor(parties: readonly string[]) {
    this.#parties = parties;
    this.receipts = parties.map(() => newReceipt());
    this.#missing = parties.map((_, i) => i);
  }

  /** The ballots not stored yet, in random order. */
  pending(): BallotRow[] {
    return shuffle([...this.#missing]).map((i) => ({
      receipt: this.receipts[i],
      party: this.#parties[i],
    }));
  }

  /** Takes the receipts that were stored; the others are drawn again. */
  stored(receipts: Iterable<string>): void {
    const ok = new Set(receipts);
    this.#missing = this.#missing.filter((i) => !ok.has(this.receipts[i]));
    for (const i of this.#missing) this.receipts[i] = newReceipt();
  }
}

/**
 * Fills each accepted cast's result with its receipt.
 *
 * @param plan The planned batch.
 * @param receipts The receipts, in the order of `plan.accepted`.
 * @returns The results.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { withReceipts } from "./ledger.ts";
 * const plan = { results: [{ ok: true as const }], accepted: [{ index: 0, party: "bjp" }] };
 * assert.deepEqual(withReceipts(plan, ["K7QH-2M9D-X4TP"]), [{ ok: true, receipt: "K7QH-2M9D-X4TP" }]);
 * ```
 */
export function withReceipts(
  plan: Pick<BatchPlan, "results" | "accepted">,
  receipts: readonly string[],
): LedgerResult[] {
  const results = [...plan.results];
  plan.accepted.forEach((a, i) => results[a.index] = { ok: true, receipt: receipts[i] });
  return results;
}

/** A turnout query made safe to run: clamped, escaped and defaulted. */
export interface RegisterQuery {
  /** Only entries after this place, by step then voter ID (before every entry for newest first). */
  after: RegisterCursor;
  /** At most this many rows: 1 to 1000, 100 by default. */
  limit: number;
  /** A `LIKE` pattern (backslash escapes) matching the search text anywhere, or null. */
  like: string | null;
  /** Newest first. */
  newestFirst: boolean;
}

/**
 * Clamps a turnout query's limit and turns its search text into a `LIKE`
 * pattern in which `%`, `_` and `\` match only themselves (`ESCAPE '\'`).
 *
 * @param query Paging and search, as asked.
 * @returns The query to run.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { registerQuery } from "./ledger.ts";
 * const after = { step: 7, voterId: "WKH1186253" };
 * assert.deepEqual(registerQuery({ search: " 50%_off ", limit: 5000, after }), {
 *   after, limit: 1000, like: "%50\\%\\_off%", newestFirst: false,
 * });
 * assert.deepEqual(registerQuery({ newestFirst: true, after }).after, { step: -1, voterId: "" });
 * ```
 */
export function registerQuery(query: TurnoutQuery): RegisterQuery {
  const search = query.search?.trim();
  return {
    after: (query.newestFirst ? undefined : query.after) ?? { step: -1, voterId: "" },
    limit: Math.min(Math.max(query.limit ?? 100, 1), 1000),
    like: search ? `%${search.replace(/[\\%_]/g, (c) => `\\${c}`)}%` : null,
    newestFirst: query.newestFirst ?? false,
  };
}

/** The election row's settings columns, as both stores read them (times in epoch ms). */
export interface SettingsRow {
  /** The vote limit; null without one. */
  vote_limit: number | null;
  /** The parties on the ballot, as JSON. */
  parties: string;
  /** Who sees the counts while voting is open. */
  results_mode: ResultsMode;
  /** The fewest votes a published step adds. */
  step_size: number;
  /** When voting opens, in epoch ms; null when it opens at once or by the administrator. */
  opens_at: number | null;
  /** 1 or true when voting waits for the administrator. */
  opens_by_admin: number | boolean;
  /** When voting closes, in epoch ms; null without a closing time. */
  closes_at: number | null;
}

/**
 * The settings a stored election row holds, for `reconcileElection`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { storedSettings } from "./ledger.ts";
 * const row = { vote_limit: 5, parties: "[]", results_mode: "live" as const, step_size: 10,
 *   opens_at: null, opens_by_admin: 1, closes_at: 42 };
 * assert.deepEqual(storedSettings(row).schedule, { opensAt: "admin", closesAt: 42 });
 * ```
 */
export function storedSettings(row: SettingsRow): ElectionSettings {
  return {
    limit: row.vote_limit,
    parties: JSON.parse(row.parties),
    results: row.results_mode,
    step: row.step_size,
    schedule: {
      opensAt: row.opens_by_admin ? "admin" : row.opens_at,
      closesAt: row.closes_at,
    },
  };
}
