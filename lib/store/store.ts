/**
 * The store interface. SQLite (`sqlite_store.ts`) and PostgreSQL implement it
 * and pass the same contract tests (`tests/store_contract.ts`).
 */
import type {
  Ballot,
  ClosedReason,
  Party,
  Receipt,
  ResultsMode,
  Tally,
  TurnoutEntry,
} from "../election/types.ts";
import type { Recount } from "./recount.ts";

/** The ballots counted by party, and the digest of their list in receipt order. */
export interface BallotCount extends Recount {
  /** `ballotDigest()` of the ballots in receipt order: SHA-256 in hex. */
  digest: string;
}
import type { NotVotedQuery, RollEntry, RollFill, RollInfo, RollProof } from "../election/roll.ts";
import type { Admission } from "../election/roll_admission.ts";

/** A turnout row as both databases return it. */
export interface TurnoutRow {
  /** The published step the voter's vote belongs to. */
  step: number;
  /** The voter's EPIC number, normalised (`WKH1186253`). */
  voter_id: string;
  /** The voter's name, as entered. */
  name: string;
  /** The voter's age in whole years. */
  age: number;
  /** The voter's address, as entered. */
  address: string;
}

/** A place in the register, which is ordered by step, then by voter ID. */
export interface RegisterCursor {
  /** The published step of the last row seen. */
  step: number;
  /** The voter ID of the last row seen. */
  voterId: string;
}

/**
 * Reads a register cursor written as `step:VOTERID` (in a link or a socket's
 * query); anything else means "from the start".
 *
 * @param text The cursor, or undefined.
 * @returns The cursor, or undefined.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseRegisterCursor } from "./store.ts";
 * assert.deepEqual(parseRegisterCursor("3:WKH1186253"), { step: 3, voterId: "WKH1186253" });
 * assert.equal(parseRegisterCursor("nonsense"), undefined);
 * ```
 */
export function parseRegisterCursor(text: string | undefined): RegisterCursor | undefined {
  const match = text?.match(/^(\d{1,15}):([A-Z0-9]{1,40})$/);
  return match ? { step: Number(match[1]), voterId: match[2] } : undefined;
}

/**
 * How to look through the turnout register. Only the voters of published
 * steps are ever returned (every voter once voting has closed).
 */
export interface TurnoutQuery {
  /** Only entries after this one (for paging and live following). */
  after?: RegisterCursor;
  /** At most this many entries (default 100, at most 1000). */
  limit?: number;
  /** Case-insensitive text to find in the voter ID, name or address. */
  search?: string;
  /** The latest steps first, each by voter ID (then `after` is ignored). */
  newestFirst?: boolean;
}

/** What a booth showed its voter: `mock`, the MOCK POLL banner (absent: nothing said). */
export type ShownPhase = "mock";

/** How a ballot is cast. */
export interface CastOptions {
  /** The phase the voter's booth showed; a mock poll's ballot is refused once voting is open. */
  phase?: ShownPhase;
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
   * A ballot from a booth that showed a mock poll (`options.phase`) is
   * refused with `mock_poll_over` once voting is open: it never becomes a real vote.
   */
  cast(ballot: Ballot, proof?: RollProof, options?: CastOptions): Promise<Receipt>;
  /**
   * Closes voting; rejects with `voting_closed` when it was closed already,
   * `mock_poll_uncleared` while a mock poll holds votes.
   */
  close(reason: ClosedReason): Promise<Tally>;
  /**
   * Opens voting before its time (the administrator) or at it (the schedule).
   * Rejects with `voting_open`, `voting_closed` or `mock_poll_uncleared`.
   */
  open(): Promise<Tally>;
  /** Starts a mock poll before the opening; rejects with `voting_open` or `voting_closed`. */
  startMockPoll(): Promise<Tally>;
  /**
   * Removes every vote of the mock poll (register rows, ballots, counters)
   * and what the files keep of them (SQLite: secure deletion and an emptied
   * log; PostgreSQL: the tables rewritten); resolves with its counts by party.
   */
  clearMockPoll(): Promise<Record<string, number>>;
  /** Calls `listener` after each committed change, with the new tally. */
  subscribe(listener: (tally: Tally) => void): () => void;
  /** Reads the turnout register of the published steps, by step and then voter ID. */
  turnout(query?: TurnoutQuery): Promise<TurnoutEntry[]>;
  /**
   * The roll's answer for a voter, casting nothing (the booth's first step):
   * `admitted` without a roll. With codes an unlisted ID is `bad_code`.
   */
  admission(voterId: string, proof: RollProof): Promise<Admission>;
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
  /**
   * Stores an electoral roll in the running election, in one transaction,
   * while it has no roll, no vote and is open (casts wait meanwhile, and are
   * then checked against the roll). `fill` streams the voters in; `roll`
   * changes once it is committed.
   * Rejects with `RollImportRefused` (nothing stored) otherwise.
   */
  importRoll(fill: RollFill): Promise<RollInfo>;
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
  /** The results mode (default `live`). */
  results?: ResultsMode;
  /** The fewest votes a published step adds (default 10). */
  step?: number;
  /** When voting opens (epoch ms), or `"admin"` to wait for the administrator; default at start. */
  opensAt?: number | "admin";
  /** When voting closes by itself (epoch ms); may change on resume. */
  closesAt?: number | null;
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
 * import { openTally } from "../tally.ts";
 * import { openPublication, publishedTally } from "../election/publication.ts";
 * const tally = publishedTally([], openTally([], null), openPublication("live", 10, []));
 * const heard: (number | null)[] = [];
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
 * @returns The entry.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { turnoutEntry } from "./store.ts";
 * const row = { step: 2, voter_id: "WKH1186253", name: "A", age: 30, address: "x" };
 * assert.deepEqual(turnoutEntry(row), {
 *   step: 2, voterId: "WKH1186253", name: "A", age: 30, address: "x",
 * });
 * ```
 */
export function turnoutEntry(row: TurnoutRow): TurnoutEntry {
  return {
    step: Number(row.step),
    voterId: row.voter_id,
    name: row.name,
    age: row.age,
    address: row.address,
  };
}
