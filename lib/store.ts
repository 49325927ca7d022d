/**
 * The store interface. SQLite (`sqlite_store.ts`) and PostgreSQL implement it
 * and pass the same contract tests (`tests/store_contract.ts`).
 */
import type { Ballot, ClosedReason, Party, Receipt, Tally, TurnoutEntry } from "./types.ts";

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
  /** The tally as last committed. */
  snapshot(): Tally;
  /**
   * Casts a ballot atomically: the voter is registered, the ballot stored
   * and the tally counted in one transaction, or nothing happens.
   * Rejects with a `VoteError`: `already_voted`, `voting_closed`,
   * `unknown_party`, or `unavailable` when the store cannot commit.
   */
  cast(ballot: Ballot): Promise<Receipt>;
  /** Closes voting; rejects with `voting_closed` when it was closed already. */
  close(reason: ClosedReason): Promise<Tally>;
  /** Calls `listener` after each committed change, with the new tally. */
  subscribe(listener: (tally: Tally) => void): () => void;
  /** Reads the turnout register in the order voters voted. */
  turnout(query?: TurnoutQuery): Promise<TurnoutEntry[]>;
  /** Whether a receipt code belongs to a counted ballot. */
  hasReceipt(receipt: string): Promise<boolean>;
  /** Finishes pending commits and closes the database. */
  shutdown(): Promise<void>;
}

/** What the command line asks of the election; undefined means "as stored". */
export interface ElectionRequest {
  limit?: number | null;
  parties?: readonly Party[];
}

/**
 * Calls every listener with the new tally. A listener that throws is logged
 * and skipped: it must never stop a store from acknowledging votes.
 *
 * @param listeners The subscribed listeners.
 * @param tally The tally to send.
 * @example
 * ```ts ignore
 * import { notifyListeners } from "./store.ts";
 * notifyListeners(this.#listeners, this.#tally);
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
