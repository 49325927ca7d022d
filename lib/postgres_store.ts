/**
 * The store for several instances: one PostgreSQL database shared by every
 * server. Votes that arrive while a transaction is under way gather into the
 * next batch (group commit), and each vote's promise resolves only after the
 * commit that holds it. The tally is cached, refreshed after own commits and
 * when another instance announces a change (`pg_notifier.ts`).
 */
import postgres from "postgres";
import type { ElectionSettings } from "./election_config.ts";
import { VoteError, voteError } from "./errors.ts";
import { PgNotifier } from "./pg_notifier.ts";
import { applyBatch, readState, readTurnout } from "./postgres_ledger.ts";
import { migrate } from "./postgres_schema.ts";
import type { LedgerOp, LedgerResult } from "./sqlite_ledger.ts";
import { StoreError } from "./sqlite_store.ts";
import {
  type ElectionRequest,
  type ElectionStore,
  notifyListeners,
  type TurnoutQuery,
} from "./store.ts";
import { publicTally, type TallyState } from "./tally.ts";
import type { Ballot, ClosedReason, Party, Receipt, Tally, TurnoutEntry } from "./types.ts";

/** The most operations one transaction takes. */
const MAX_BATCH = 512;
/** Deadlock and serialisation failures are retried this many times. */
const RETRIES = 5;

/** Options for `openPostgresStore`. */
export interface PostgresStoreOptions {
  /** Connections in the pool (default 10). */
  poolSize?: number;
  /** Counter rows per party that commits spread over (default 16). */
  counterShards?: number;
  /** Batches committing at once from this instance (default 2). */
  inFlight?: number;
}

type Pending = { op: LedgerOp; resolve: (r: LedgerResult) => void; reject: (e: Error) => void };

class PostgresStore implements ElectionStore {
  readonly parties: readonly Party[];
  readonly #sql: postgres.Sql;
  readonly #settings: ElectionSettings;
  readonly #shards: number;
  readonly #maxInFlight: number;
  readonly #notifier: PgNotifier;
  #state: TallyState;
  #tally: Tally;
  #queue: Pending[] = [];
  #inFlight = 0;
  #idle: (() => void)[] = [];
  #listeners = new Set<(t: Tally) => void>();
  #refreshing = false;
  #refreshAgain = false;
  #closed = false;

  constructor(
    sql: postgres.Sql,
    url: string,
    settings: ElectionSettings,
    state: TallyState,
    options: PostgresStoreOptions,
  ) {
    this.#sql = sql;
    this.#settings = settings;
    this.parties = settings.parties;
    this.#shards = options.counterShards ?? 16;
    this.#maxInFlight = options.inFlight ?? 2;
    this.#state = state;
    this.#tally = publicTally(this.parties, state);
    this.#notifier = new PgNotifier(sql, url, {
      onChange: (version) => {
        if (version === null || version > this.#tally.version) this.#refresh();
      },
    });
  }

  static async open(url: string, request: ElectionRequest, options: PostgresStoreOptions) {
    const sql = postgres(url, { max: options.poolSize ?? 10, onnotice: () => {} });
    try {
      const settings = await migrate(sql, request);
      const store = new PostgresStore(sql, url, settings, await readState(sql, settings), options);
      await store.#notifier.start();
      return store;
    } catch (e) {
      await sql.end({ timeout: 0 });
      if (e instanceof Error && e.name === "ElectionMismatchError") throw e;
      throw new StoreError(`Cannot open the PostgreSQL database: ${(e as Error).message}`);
    }
  }

  snapshot(): Tally {
    return this.#tally;
  }

  async cast(ballot: Ballot): Promise<Receipt> {
    const result = await this.#enqueue({ kind: "cast", ballot });
    if (!result.ok) throw new VoteError(result.code, result.message);
    return { receipt: result.receipt!, party: ballot.party };
  }

  async close(reason: ClosedReason): Promise<Tally> {
    const result = await this.#enqueue({ kind: "close", reason });
    if (!result.ok) throw new VoteError(result.code, result.message);
    return this.#tally;
  }

  #enqueue(op: LedgerOp): Promise<LedgerResult> {
    if (this.#closed) return Promise.reject(voteError("unavailable"));
    // Closing is final, so a closed snapshot can refuse without a round trip.
    if (this.#state.status === "closed") {
      const message = op.kind === "cast"
        ? voteError("voting_closed").message
        : "Voting has already ended.";
      return Promise.resolve({ ok: false, code: "voting_closed", message });
    }
    return new Promise((resolve, reject) => {
      this.#queue.push({ op, resolve, reject });
      queueMicrotask(() => this.#pump());
    });
  }

  #pump() {
    while (this.#queue.length > 0 && this.#inFlight < this.#maxInFlight) {
      this.#inFlight++;
      this.#commit(this.#queue.splice(0, MAX_BATCH)).finally(() => {
        this.#inFlight--;
        if (this.#queue.length > 0) this.#pump();
        else if (this.#inFlight === 0) this.#idle.splice(0).forEach((f) => f());
      });
    }
  }

  async #commit(batch: Pending[]) {
    const ops = batch.map((p) => p.op);
    for (let attempt = 1;; attempt++) {
      try {
        const { results, state } = await applyBatch(this.#sql, ops, {
          settings: this.#settings,
          shards: this.#shards,
        });
        this.#setState(state);
        batch.forEach((p, i) => p.resolve(results[i]));
        return;
      } catch (e) {
        const code = (e as { code?: string }).code;
        if ((code === "40P01" || code === "40001") && attempt < RETRIES) continue;
        console.error(`Could not commit ${batch.length} operation(s): ${(e as Error).message}`);
        for (const p of batch) p.reject(voteError("unavailable"));
        return;
      }
    }
  }

  /** Takes a state read from the database if it is newer than the cached one. */
  #setState(state: TallyState) {
    const tally = publicTally(this.parties, state);
    if (tally.version <= this.#tally.version) return;
    this.#state = state;
    this.#tally = tally;
    this.#notifier.changed(tally.version);
    notifyListeners(this.#listeners, tally);
  }

  /** Reads the tally again (one read at a time; requests meanwhile coalesce into one more). */
  async #refresh() {
    if (this.#refreshing) {
      this.#refreshAgain = true;
      return;
    }
    this.#refreshing = true;
    try {
      do {
        this.#refreshAgain = false;
        this.#setState(await readState(this.#sql, this.#settings));
      } while (this.#refreshAgain && !this.#closed);
    } catch (e) {
      if (!this.#closed) console.error(`Could not read the tally: ${(e as Error).message}`);
    } finally {
      this.#refreshing = false;
    }
  }

  subscribe(listener: (tally: Tally) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  turnout(query: TurnoutQuery = {}): Promise<TurnoutEntry[]> {
    return readTurnout(this.#sql, query);
  }

  async hasReceipt(receipt: string): Promise<boolean> {
    return (await this.#sql`SELECT 1 FROM ballots WHERE receipt = ${receipt}`).length > 0;
  }

  async shutdown(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    if (this.#inFlight > 0 || this.#queue.length > 0) {
      await new Promise<void>((resolve) => this.#idle.push(resolve));
    }
    await this.#notifier.stop();
    while (this.#refreshing) await new Promise((r) => setTimeout(r, 5));
    await this.#sql.end({ timeout: 5 });
  }
}

/**
 * Opens the election in a PostgreSQL database, migrating its schema first.
 * Several instances may open the same database at once.
 *
 * @param url A connection URL, e.g. `postgres://user@host:5432/matdaan`.
 * @param request The limit and parties asked for; undefined means "as stored".
 * @param options Pool size and tuning.
 * @returns The store, with the stored election resumed.
 * @throws {ElectionMismatchError} When the request contradicts the stored election.
 * @throws {StoreError} When the database cannot be reached or migrated.
 * @example
 * ```ts ignore
 * import { openPostgresStore } from "./postgres_store.ts";
 * const store = await openPostgresStore("postgres://root@127.0.0.1:5432/matdaan", {});
 * store.snapshot().status; // "open"
 * await store.shutdown();
 * ```
 */
export function openPostgresStore(
  url: string,
  request: ElectionRequest,
  options: PostgresStoreOptions = {},
): Promise<ElectionStore> {
  return PostgresStore.open(url, request, options);
}
