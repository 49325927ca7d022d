/**
 * The embedded store: one SQLite file, written by a worker. Votes that arrive
 * while a commit is under way gather into the next batch, so one full sync
 * acknowledges many votes (group commit), and each vote's promise resolves
 * only after the commit that holds it.
 */
import { BatchedStore, type BatchOutcome, type LedgerOp, StoreError } from "../batched_store.ts";
import { ElectionMismatchError } from "../../election/election_config.ts";
import type { WorkerReply, WorkerRequest, WorkerValues } from "./sqlite_protocol.ts";
import type { BallotCount, ElectionRequest, ElectionStore, TurnoutQuery } from "../store.ts";
import { RecountMismatchError } from "../recount.ts";
import type { TurnoutEntry } from "../../election/types.ts";
import type {
  NotVotedQuery,
  RollEntry,
  RollFill,
  RollInfo,
  RollProof,
} from "../../election/roll.ts";
import type { Admission } from "../../election/roll_admission.ts";
import { importSqliteRoll } from "./sqlite_roll.ts";
import { systemTimers, type TimerId, type Timers } from "../../timers.ts";

/** Options for `openSqliteStore`. */
export interface SqliteStoreOptions {
  /**
   * The shortest time, in milliseconds, between two emptyings of the
   * write-ahead log (default 250): after a commit the log is emptied at once,
   * or as soon as this much time has passed since the last emptying.
   * Votes arriving one at a time further apart than this leave no history.
   */
  forgetEveryMs?: number;
  /** The clock and timeouts (default: the system's). */
  timers?: Timers;
}

/** A request before the store gives it an id (distributed over the union). */
type Unnumbered<T> = T extends unknown ? Omit<T, "id"> : never;

class SqliteStore extends BatchedStore implements ElectionStore {
  #worker: Worker;
  #calls = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  #nextId = 1;
  readonly #forgetEveryMs: number;
  readonly #timers: Timers;
  #lastForget = -Infinity;
  #forgetLater: TimerId | undefined;
  #sealed: boolean;
  readonly #path: string;

  constructor(
    path: string,
    worker: Worker,
    settings: WorkerValues["open"]["settings"],
    stored: WorkerValues["open"]["stored"],
    options: SqliteStoreOptions,
  ) {
    // One writer, which takes its requests in order; with two batches in
    // flight the next one already waits in its queue when a commit ends.
    super(settings.parties, stored, 2, settings.schedule);
    this.#path = path;
    this.#worker = worker;
    this.#forgetEveryMs = options.forgetEveryMs ?? 250;
    this.#timers = options.timers ?? systemTimers;
    this.#sealed = stored.state.status === "closed";
    worker.onmessage = (e: MessageEvent<WorkerReply>) => this.#answer(e.data);
    // A worker that dies must not leave callers waiting: fail every pending call.
    worker.onerror = (e) => {
      e.preventDefault();
      console.error(`The database worker failed: ${e.message}`);
      for (const call of this.#calls.values()) call.reject(new StoreError(e.message));
      this.#calls.clear();
    };
  }

  static async open(
    path: string,
    request: ElectionRequest,
    options: SqliteStoreOptions,
  ): Promise<SqliteStore> {
    const worker = new Worker(new URL("./sqlite_worker.ts", import.meta.url), { type: "module" });
    const opened = await new Promise<WorkerValues["open"]>((resolve, reject) => {
      worker.onerror = (e) => {
        e.preventDefault();
        reject(new StoreError(e.message));
      };
      worker.onmessage = (e: MessageEvent<WorkerReply>) => {
        const r = e.data;
        if (r.type === "done") resolve(r.value as WorkerValues["open"]);
        else if (r.name === "ElectionMismatchError") reject(new ElectionMismatchError(r.message));
        else if (r.name === "RecountMismatchError") reject(new RecountMismatchError(r.message));
        else reject(new StoreError(`Cannot open the database ${path}: ${r.message}`));
      };
      worker.postMessage({ type: "open", id: 0, path, request } satisfies WorkerRequest);
    }).catch((e) => {
      worker.terminate();
      throw e;
    });
    const store = new SqliteStore(path, worker, opened.settings, opened.stored, options);
    store.roll = opened.roll;
    return store;
  }

  #call<K extends keyof WorkerValues>(
    msg: Unnumbered<WorkerRequest> & { type: K },
  ): Promise<WorkerValues[K]> {
    const id = this.#nextId++;
    return new Promise((resolve, reject) => {
      this.#calls.set(id, { resolve: resolve as (v: unknown) => void, reject });
      // A batch goes as JSON text: posting 30 votes' objects cost the main
      // thread two to four times as much as posting their JSON.
      this.#worker.postMessage(
        msg.type === "apply" ? JSON.stringify({ ...msg, id }) : { ...msg, id },
      );
    });
  }

  #answer(reply: WorkerReply) {
    const call = this.#calls.get(reply.id);
    if (!call) return;
    this.#calls.delete(reply.id);
    if (reply.type === "done") call.resolve(reply.value);
    else call.reject(new StoreError(reply.message));
  }

  protected async commit(ops: LedgerOp[]): Promise<BatchOutcome> {
    const outcome = await this.#call({ type: "apply", ops });
    this.#forgetSoon();
    this.#afterCommit(outcome.state.status === "closed");
    // A cleared mock poll is acknowledged only once the log that recorded it is empty.
    if (ops.some((op) => op.kind === "clearMock") && !await this.#call({ type: "forget" })) {
      this.#forgetSoon(); // another process reading the file held the log: as soon as it lets go
    }
    return outcome;
  }

  /** Seals the file once voting has closed; requests sent meanwhile wait on the worker. */
  #afterCommit(closed: boolean) {
    if (!closed || this.#sealed) return;
    this.#sealed = true;
    // Sealing only tidies the file; votes and the tally are already safe, and the next start seals.
    this.#call({ type: "seal" }).catch((e) =>
      console.error(`Could not seal the closed election's file: ${e.message}`)
    );
  }

  /**
   * After each commit, the worker empties the write-ahead log, whose frames
   * record which register rows changed with which ballot slots and counters:
   * at once, or, when votes come faster than `forgetEveryMs` apart (a flood
   * keeps the queue from ever running empty), as soon as that much time has
   * passed since the last emptying.
   */
  #forgetSoon(): void {
    if (this.#forgetLater !== undefined) return;
    const wait = this.#lastForget + this.#forgetEveryMs - this.#timers.now();
    if (wait <= 0) return this.#forget();
    this.#forgetLater = this.#timers.setTimeout(() => this.#forget(), wait);
  }

  #forget() {
    this.#timers.clearTimeout(this.#forgetLater);
    this.#forgetLater = undefined;
    this.#lastForget = this.#timers.now();
    this.#call({ type: "forget" }).then(
      // Another process reading the file (a backup, a recount) held the log: try again later.
      (emptied) => emptied || this.#forgetSoon(),
      (e) => console.error(`Could not empty the write-ahead log: ${e.message}`),
    );
  }

  recount(): Promise<BallotCount> {
    return this.#call({ type: "recount" });
  }

  turnout(query: TurnoutQuery = {}): Promise<TurnoutEntry[]> {
    return this.#call({ type: "turnout", query });
  }

  reissueCode(voterId: string, hash: string) {
    return this.#call({ type: "reissue", voterId, hash });
  }

  admission(voterId: string, proof: RollProof): Promise<Admission> {
    return this.#call({ type: "admission", voterId, proof });
  }

  notVoted(query: NotVotedQuery = {}): Promise<RollEntry[]> {
    return this.#call({ type: "notVoted", query });
  }

  /**
   * Imports the roll on a connection of its own, while no batch commits (its
   * write lock would keep them out anyway), then has the worker read it.
   */
  importRoll(fill: RollFill): Promise<RollInfo> {
    return this.exclusive(async () => {
      const info = await importSqliteRoll(this.#path, fill, { beforeFirstVote: true });
      this.roll = await this.#call({ type: "reloadRoll" });
      return info;
    });
  }

  hasReceipt(receipt: string): Promise<boolean> {
    return this.#call({ type: "receipt", receipt });
  }

  protected async release(): Promise<void> {
    this.#timers.clearTimeout(this.#forgetLater);
    try {
      await this.#call({ type: "close" });
    } finally {
      this.#worker.terminate();
    }
  }
}

/**
 * Opens (or creates) the election database at `path` on a worker.
 *
 * @param path The SQLite file.
 * @param request The limit and parties asked for; undefined means "as stored".
 * @param options How often the write-ahead log may be emptied, and the timers.
 * @returns The store, with the stored election resumed.
 * @throws {ElectionMismatchError} When the request contradicts the stored election.
 * @throws {RecountMismatchError} When the stored counters disagree with the ballots.
 * @throws {StoreError} When the file cannot be opened as an election database.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { openSqliteStore } from "./sqlite_store.ts";
 * const dir = await Deno.makeTempDir();
 * const store = await openSqliteStore(`${dir}/e.db`, { limit: 10 });
 * assert.equal(store.snapshot().limit, 10);
 * await store.shutdown();
 * ```
 */
export function openSqliteStore(
  path: string,
  request: ElectionRequest,
  options: SqliteStoreOptions = {},
): Promise<ElectionStore> {
  return SqliteStore.open(path, request, options);
}
