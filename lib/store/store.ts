/**
 * The store interface. SQLite (`sqlite_store.ts`) and PostgreSQL implement it
 * and pass the same contract tests (`tests/store_contract.ts`).
 */
import type {
  Ballot,
  ClosedReason,
  Party,
  Receipt,
  Tally,
  TurnoutEntry,
} from "../election/types.ts";
import type { Recount } from "./recount.ts";

/** The ballots counted by party, and the digest of their list in receipt order. */
export interface BallotCount extends Recount {
  digest: string;
}
import type { NotVotedQuery, RollEntry, RollInfo, RollProof } from "../election/roll.ts";

/** A turnout row as both databases return it. */
export interface TurnoutRow {
  /** The entry's place in the register: 1, 2, 3… in the order voters voted. */
  seq: number;
  /** The voter's EPIC number, normalised (`WKH1186253`). */
  voter_id: string;
  /** The voter's name, as entered. */
  name: string;
  /** The voter's age in whole years. */
  age: number;
  /** The voter's address, as entered. */
  address: string;
  /** When the vote was committed: epoch milliseconds (SQLite) or a `Date` (PostgreSQL). */
  voted_at: number | Date;
}

/** How to look through the turnout register. */
export interface TurnoutQuery {
  /** Only entries with a larger `seq` (for paging and live following). */
  afterSeq?: number;
  /** At most this many entries (default 100, at most 1000). */
  limit?: number;
  /** Case-insensitive text to find in the voter ID, name or address. */
  search?: string;
  /** Newest first (then `afterSeq` is ignored): the latest voters. */
  newestFirst?: boolean;
}

/** What a store gives the app. Every write is durable before its promise resolves. */
export interface ElectionStore {
  /** The parties on the ballot, in ballot order. */
  readonly parties: readonly Party[];
  /** The electoral roll (its size, and whether codes are needed), or null for an open election. */
  readonly roll: RollInfo | null;
  /** The tally as last committed. */
  snapshot(): Tally;
  /**
   * Casts a ballot atomically: the voter is registered, the ballot stored
   * and the tally counted in one transaction, or nothing happens.
   * Rejects with a `VoteError`: `already_voted`, `voting_closed`,
   * `unknown_party`, or `unavailable` when the store cannot commit. With a
   * roll, the voter must be on it with `proof` (the name's key, or the code's
   * hash), else `not_on_roll` or `bad_code`; the roll's age decides
   * `underage`, and the register takes the roll's name, age and address.
   */
  cast(ballot: Ballot, proof?: RollProof): Promise<Receipt>;
  /** Closes voting; rejects with `voting_closed` when it was closed already. */
  close(reason: ClosedReason): Promise<Tally>;
  /** Calls `listener` after each committed change, with the new tally. */
  subscribe(listener: (tally: Tally) => void): () => void;
  /** Reads the turnout register in the order voters voted. */
  turnout(query?: TurnoutQuery): Promise<TurnoutEntry[]>;
  /** The voters on the roll who have not voted yet, in voter ID order (none without a roll). */
  notVoted(query?: NotVotedQuery): Promise<RollEntry[]>;
  /**
   * Replaces the code hash of a voter on the roll who has not voted (the old
   * code stops working). Answers `not_on_roll` or `already_voted` otherwise.
   */
  reissueCode(
    voterId: string,
    codeHash: string,
  ): Promise<"reissued" | "not_on_roll" | "already_voted">;
  /** Whether a receipt code belongs to a counted ballot. */
  hasReceipt(receipt: string): Promise<boolean>;
  /** Counts the ballots again, with the digest of the ballot list (`recount.ts`). */
  recount(): Promise<BallotCount>;
  /** Finishes pending commits and closes the database. */
  shutdown(): Promise<void>;
}

/** What the command line asks of the election; undefined means "as stored". */
export interface ElectionRequest {
  /** Close after this many votes; null for no limit. */
  limit?: number | null;
  /** The ballot, in ballot order. */
  parties?: readonly Party[];
}

/**
 * Calls every listener with the new tally. A listener that throws is logged
 * and skipped: it must never stop a store from acknowledging votes.
 *
 * @param listeners The subscribed listeners.
 * @param tally The tally to send.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { notifyListeners } from "./store.ts";
 * import { openTally, publicTally } from "../tally.ts";
 * const tally = publicTally([], openTally([], null));
 * const heard: number[] = [];
 * const broken = () => {
 *   throw new Error("a broken listener, on purpose");
 * };
 * notifyListeners([broken, (t) => heard.push(t.total)], tally); // logs the bug, goes on
 * assert.deepEqual(heard, [0]);
 * ```
 */
export function notifyListeners(listeners: Iterable<(tally: Tally) => void>, tally: Tally): void {
  for (const listener of listeners) {
    try {
      listener(tally);
    } catch (e) {
      console.error("A tally listener failed:", e);
    }
  }
}

/**
 * Turns a stored turnout row into the register entry the app shows.
 *
 * @param row A row of the `turnout` table.
 * @returns The entry, with the time in ISO 8601.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { turnoutEntry } from "./store.ts";
 * const row = { seq: 1, voter_id: "WKH1186253", name: "A", age: 30, address: "x", voted_at: 0 };
 * assert.equal(turnoutEntry(row).votedAt, "1970-01-01T00:00:00.000Z");
 * assert.equal(turnoutEntry({ ...row, voted_at: new Date(0) }).votedAt, "1970-01-01T00:00:00.000Z");
 * ```
 */
export function turnoutEntry(row: TurnoutRow): TurnoutEntry {
  return {
    seq: row.seq,
    voterId: row.voter_id,
    name: row.name,
    age: row.age,
    address: row.address,
    votedAt: new Date(row.voted_at).toISOString(),
  };
}
