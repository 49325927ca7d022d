/**
 * The store for several instances: one PostgreSQL database shared by every
 * server. Votes that arrive while a transaction is under way gather into the
 * next batch (group commit), and each vote's promise resolves only after the
 * commit that holds it. The tally is cached, refreshed after own commits and
 * when another instance announces a change (`pg_notifier.ts`).
 */
import postgres from "postgres";
import { PgNotifier } from "./pg_notifier.ts";
import {
  applyBatch,
  MOCK_POLL_TABLES,
  publishDue,
  readStored,
  readTurnout,
  type SealedSettings,
  type Stored,
} from "./postgres_ledger.ts";
import {
  ballotDigest,
  compareCounts,
  describeMismatches,
  RecountMismatchError,
} from "../recount.ts";
import { BallotSeal } from "../ballot_seal.ts";
import { auditKey } from "../../admin/audit_key.ts";
import { advancePublication } from "../../election/publication.ts";
import { migrate } from "./postgres_schema.ts";
import {
  importPostgresRoll,
  readAdmission,
  readNotVoted,
  readPostgresRoll,
  reissuePostgresCode,
} from "./postgres_roll.ts";
import type { Admission } from "../../election/roll_admission.ts";
import type {
  NotVotedQuery,
  RollEntry,
  RollFill,
  RollInfo,
  RollProof,
} from "../../election/roll.ts";
import type { TallyState } from "../../tally.ts";
import { BatchedStore, type BatchOutcome, type LedgerOp, StoreError } from "../batched_store.ts";
import type { BallotCount, ElectionRequest, ElectionStore, TurnoutQuery } from "../store.ts";
import type { TurnoutEntry } from "../../election/types.ts";
/** Deadlock and serialisation failures (and a receipt drawn twice) are retried this many times. */
const RETRIES = 5;

/** Options for `openPostgresStore`. */
export interface PostgresStoreOptions {
  /** Connections in the pool (default 10). */
  poolSize?: number;
  /** Counter rows per party that commits spread over (default 16). */
  counterShards?: number;
  /** Batches committing at once from this instance (default 2). */
  inFlight?: number;
  /** The key ballots are sealed under (default: `auditKey()`); every instance needs the same. */
  secret?: string;
}

class PostgresStore extends BatchedStore implements ElectionStore {
  readonly #sql: postgres.Sql;
  readonly #settings: SealedSettings;
  readonly #shards: number;
  readonly #notifier: PgNotifier;
  #refreshing: Promise<void> | undefined;
  #refreshAgain = false;
  #closed = false;
  #rollKnown = false;

  constructor(
    sql: postgres.Sql,
    settings: SealedSettings,
    stored: Stored,
    options: PostgresStoreOptions,
  ) {
    super(settings.parties, stored, options.inFlight ?? 2, settings.schedule);
    this.#sql = sql;
    this.#settings = settings;
    this.#shards = options.counterShards ?? 16;
    this.#notifier = new PgNotifier(sql, {
      onChange: (version) => {
        if (version === null || version > this.progress) this.#refresh();
      },
    });
  }

  static async open(url: string, request: ElectionRequest, options: PostgresStoreOptions) {
    const sql = postgres(url, { max: options.poolSize ?? 10, onnotice: () => {} });
    try {
      const seal = new BallotSeal(options.secret ?? auditKey());
      const settings = { ...await migrate(sql, request, seal), seal };
      const stored = await readStored(sql, settings);
      const store = new PostgresStore(sql, settings, stored, options);
      const mismatches = compareCounts(stored.state.counts, (await store.recount()).counts);
      if (mismatches.length > 0) throw new RecountMismatchError(describeMismatches(mismatches));
      store.#learnRoll(await readPostgresRoll(sql), stored.state);
      await store.#notifier.start();
      return store;
    } catch (e) {
      await sql.end({ timeout: 0 });
      if (e instanceof Error && e.name === "ElectionMismatchError") throw e;
      if (e instanceof RecountMismatchError) throw e;
      throw new StoreError(`Cannot open the PostgreSQL database: ${(e as Error).message}`);
    }
  }

  /**
   * Commits a batch, retrying deadlocks and serialisation failures; then,
   * if the batch completed a step, publishes it. The votes are durable
   * either way: a failed publication is left to the next batch.
   */
  protected async commit(ops: LedgerOp[]): Promise<BatchOutcome> {
    const outcome = await this.#apply(ops);
    if (outcome.clearedBy) await this.#rewrite(outcome.clearedBy);
    if (advancePublication(outcome.publication, outcome.state) === outcome.publication) {
      return outcome;
    }
    try {
      return { results: outcome.results, ...await publishDue(this.#sql, this.#settings) };
    } catch (e) {
      console.error(`Could not publish a step: ${(e as Error).message}`);
      return outcome;
    }
  }

  /**
   * A cleared mock poll's rows linger as dead tuples until the tables are
   * rewritten, and `VACUUM FULL` copies the ones a snapshot older than the
   * clearing may still see (an autovacuum's ANALYZE, a long read): so it
   * waits, up to a minute, until no session of this database is older.
   */
  async #rewrite(clearedBy: string): Promise<void> {
    const deadline = Date.now() + 60_000;
    for (;;) {
      const [{ older }] = await this.#sql`SELECT count(*)::int AS older FROM pg_stat_activity
        WHERE datname = current_database() AND pid <> pg_backend_pid()
          AND backend_xmin IS NOT NULL AND age(backend_xmin) >= age(${clearedBy}::xid)`;
      if (older === 0) break;
      if (Date.now() > deadline) {
        console.error(
          "A transaction older than the mock poll's clearing is still open: some of its rows may survive the rewrite until the next VACUUM FULL.",
        );
        break;
      }
      await new Promise((wake) => setTimeout(wake, 50));
    }
    await this.#sql.unsafe(`VACUUM FULL ${MOCK_POLL_TABLES.join(", ")}`);
  }

  /**
   * A batch that takes the election row FOR UPDATE (it completes a step, or
   * the election has a limit) goes out alone: another one of this instance
   * would only wait for its lock, and hold votes that could join it.
   */
  protected override commitsAlone(length: number): boolean {
    return this.#settings.limit !== null || this.completesStep(length);
  }

  /**
   * Commits a batch. One that completes a step as far as this instance knows
   * publishes it in its own transaction (FOR UPDATE from the start): cheaper
   * than a second transaction after it, which would take the same lock and
   * wait for every batch in flight.
   */
  async #apply(ops: LedgerOp[]): Promise<BatchOutcome> {
    const casts = ops.filter((op) => op.kind === "cast").length;
    for (let attempt = 1;; attempt++) {
      try {
        const outcome = await applyBatch(this.#sql, ops, {
          settings: this.#settings,
          shards: this.#shards,
          roll: this.roll,
          findRoll: !this.#rollKnown,
          publishing: this.completesStep(casts),
        });
        if (outcome.roll !== undefined) this.#learnRoll(outcome.roll, outcome.state);
        return outcome;
      } catch (e) {
        const { code, constraint_name } = e as { code?: string; constraint_name?: string };
        // A receipt drawn twice (one chance in 2^60) fails its batch, drawn again on retry.
        const receiptTaken = code === "23505" && constraint_name === "ballots_pkey";
        if ((code === "40P01" || code === "40001" || receiptTaken) && attempt < RETRIES) continue;
        throw e;
      }
    }
  }

  /**
   * Takes the roll as read from the database. Until the election has a roll
   * or a vote, another instance may import one, so batches look it up.
   */
  #learnRoll(roll: RollInfo | null, state: TallyState) {
    this.roll = roll;
    this.#rollKnown = roll !== null || state.total > 0 || state.status === "closed";
  }

  /** Imports the roll while this instance commits nothing; other instances wait on the lock. */
  importRoll(fill: RollFill): Promise<RollInfo> {
    return this.exclusive(async () => {
      const info = await importPostgresRoll(this.#sql, fill, { beforeFirstVote: true });
      this.roll = info;
      this.#rollKnown = true;
      return info;
    });
  }

  /** Tells the other instances, a few times a second at most. */
  protected override onChange(progress: number): void {
    this.#notifier.changed(progress);
  }

  /** Reads the tally again (one read at a time; requests meanwhile coalesce into one more). */
  #refresh() {
    if (this.#closed) return;
    if (this.#refreshing) {
      this.#refreshAgain = true;
      return;
    }
    this.#refreshing = this.#reread().finally(() => this.#refreshing = undefined);
  }

  async #reread() {
    try {
      do {
        this.#refreshAgain = false;
        const { state, publication } = await readStored(this.#sql, this.#settings);
        this.setState(state, publication);
      } while (this.#refreshAgain && !this.#closed);
    } catch (e) {
      if (!this.#closed) console.error(`Could not read the tally: ${(e as Error).message}`);
    }
  }

  turnout(query: TurnoutQuery = {}): Promise<TurnoutEntry[]> {
    return readTurnout(this.#sql, query);
  }

  reissueCode(voterId: string, hash: string) {
    return reissuePostgresCode(this.#sql, voterId, hash);
  }

  admission(voterId: string, proof: RollProof): Promise<Admission> {
    return this.roll
      ? readAdmission(this.#sql, voterId, proof, this.roll.codes)
      : Promise.resolve("admitted");
  }

  notVoted(query: NotVotedQuery = {}): Promise<RollEntry[]> {
    return readNotVoted(this.#sql, query);
  }

  async hasReceipt(receipt: string): Promise<boolean> {
    return (await this.#sql`SELECT 1 FROM ballots WHERE receipt = ${receipt}`).length > 0;
  }

  /** Opens every sealed ballot: the count by party and the digest of the list. */
  async recount(): Promise<BallotCount> {
    const counts: Record<string, number> = Object.fromEntries(this.parties.map((p) => [p.id, 0]));
    let total = 0;
    const rows = await this.#sql`SELECT receipt, sealed FROM ballots ORDER BY receipt COLLATE "C"`;
    const ballots = rows.map((r) => ({
      receipt: r.receipt as string,
      party: this.#settings.seal.open(r.sealed),
    }));
    for (const b of ballots) {
      counts[b.party] = (counts[b.party] ?? 0) + 1;
      total++;
    }
    return { counts, total, digest: ballotDigest(ballots) };
  }

  protected async release(): Promise<void> {
    this.#closed = true;
    await this.#notifier.stop();
    await this.#refreshing;
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
 * // Illustrative: it needs a running PostgreSQL (tests/postgres_store_test.ts runs it).
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
