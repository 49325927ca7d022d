/**
 * The embedded store: one SQLite file, written by a worker. Votes that arrive
 * while a commit is under way gather into the next batch, so one full sync
 * acknowledges many votes (group commit), and each vote's promise resolves
 * only after the commit that holds it.
 */
import { ElectionMismatchError } from "./election_config.ts";
import { VoteError, voteError } from "./errors.ts";
import type { LedgerOp, LedgerResult } from "./sqlite_ledger.ts";
import type { WorkerReply, WorkerRequest, WorkerValues } from "./sqlite_protocol.ts";
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

/** The database could not be opened or written. */
export class StoreError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "StoreError";
  }
}

type Pending = { op: LedgerOp; resolve: (r: LedgerResult) => void; reject: (e: Error) => void };
/** A request before the store gives it an id (distributed over the union). */
type Unnumbered<T> = T extends unknown ? Omit<T, "id"> : never;

class SqliteStore implements ElectionStore {
  readonly parties: readonly Party[];
  #worker: Worker;
  #state: TallyState;
  #tally: Tally;
  #calls = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  #nextId = 1;
  #queue: Pending[] = [];
  #committing = false;
  #listeners = new Set<(t: Tally) => void>();
  #closed = false;

  constructor(worker: Worker, parties: Party[], state: TallyState) {
    this.#worker = worker;
    this.parties = parties;
    this.#state = state;
    this.#tally = publicTally(parties, state);
    worker.onmessage = (e: MessageEvent<WorkerReply>) => this.#answer(e.data);
    // A worker that dies must not leave callers waiting: fail every pending call.
    worker.onerror = (e) => {
      e.preventDefault();
      console.error(`The database worker failed: ${e.message}`);
      for (const call of this.#calls.values()) call.reject(new StoreError(e.message));
      this.#calls.clear();
    };
  }

  static async open(path: string, request: ElectionRequest): Promise<SqliteStore> {
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
        else reject(new StoreError(`Cannot open the database ${path}: ${r.message}`));
      };
      worker.postMessage({ type: "open", id: 0, path, request } satisfies WorkerRequest);
    }).catch((e) => {
      worker.terminate();
      throw e;
    });
    return new SqliteStore(worker, opened.settings.parties, opened.state);
  }

  #call<K extends keyof WorkerValues>(
    msg: Unnumbered<WorkerRequest> & { type: K },
  ): Promise<WorkerValues[K]> {
    const id = this.#nextId++;
    return new Promise((resolve, reject) => {
      this.#calls.set(id, { resolve: resolve as (v: unknown) => void, reject });
      this.#worker.postMessage({ ...msg, id });
    });
  }

  #answer(reply: WorkerReply) {
    const call = this.#calls.get(reply.id);
    if (!call) return;
    this.#calls.delete(reply.id);
    if (reply.type === "done") call.resolve(reply.value);
    else call.reject(new StoreError(reply.message));
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
      return Promise.resolve(
        op.kind === "cast"
          ? { ok: false, code: "voting_closed", message: voteError("voting_closed").message }
          : { ok: false, code: "voting_closed", message: "Voting has already ended." },
      );
    }
    return new Promise((resolve, reject) => {
      this.#queue.push({ op, resolve, reject });
      if (!this.#committing) {
        this.#committing = true;
        queueMicrotask(() => this.#commitNext());
      }
    });
  }

  async #commitNext() {
    while (this.#queue.length > 0) {
      const batch = this.#queue.splice(0, MAX_BATCH);
      try {
        const { results, state } = await this.#call({ type: "apply", ops: batch.map((p) => p.op) });
        this.#setState(state);
        batch.forEach((p, i) => p.resolve(results[i]));
      } catch (e) {
        console.error(`Could not commit ${batch.length} operation(s): ${(e as Error).message}`);
        for (const p of batch) p.reject(voteError("unavailable"));
      }
    }
    this.#committing = false;
  }

  #setState(state: TallyState) {
    if (state.total === this.#state.total && state.status === this.#state.status) return;
    this.#state = state;
    this.#tally = publicTally(this.parties, state);
    notifyListeners(this.#listeners, this.#tally);
  }

  subscribe(listener: (tally: Tally) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  turnout(query: TurnoutQuery = {}): Promise<TurnoutEntry[]> {
    return this.#call({ type: "turnout", query });
  }

  hasReceipt(receipt: string): Promise<boolean> {
    return this.#call({ type: "receipt", receipt });
  }

  async shutdown(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    while (this.#committing) await new Promise((r) => setTimeout(r, 5));
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
 * @returns The store, with the stored election resumed.
 * @throws {ElectionMismatchError} When the request contradicts the stored election.
 * @throws {StoreError} When the file cannot be opened as an election database.
 * @example
 * ```ts
 * import { openSqliteStore } from "./sqlite_store.ts";
 * const dir = await Deno.makeTempDir();
 * const store = await openSqliteStore(`${dir}/e.db`, { limit: 10 });
 * store.snapshot().limit; // 10
 * await store.shutdown();
 * ```
 */
export function openSqliteStore(path: string, request: ElectionRequest): Promise<ElectionStore> {
  return SqliteStore.open(path, request);
}
