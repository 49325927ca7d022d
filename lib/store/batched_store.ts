/**
 * What the SQLite and PostgreSQL stores share: a queue of casts and closes
 * committed in batches (votes that arrive during a commit gather into the
 * next one, so one sync acknowledges many votes), each operation's promise
 * resolved only after the commit that holds it, and the cached tally with
 * its listeners.
 */
import { messages, VoteError, voteError } from "../election/errors.ts";
import type { ErrorCode } from "../election/errors.ts";
import { type CastOptions, type ElectionStore, notifyListeners, type ShownPhase } from "./store.ts";
import type { TallyState } from "../tally.ts";
import { pendingVotes, type Publication, publishedTally } from "../election/publication.ts";
import type { Ballot, ClosedReason, Party, Receipt, Tally } from "../election/types.ts";
import type { Schedule } from "../election/election_config.ts";
import type { RollInfo, RollProof } from "../election/roll.ts";

/** One operation in a batch, applied in order. */
export type LedgerOp =
  | { kind: "cast"; ballot: Ballot; proof?: RollProof; phase?: ShownPhase }
  | { kind: "close"; reason: ClosedReason }
  | { kind: "open" }
  | { kind: "mock" }
  | { kind: "clearMock" };

/** The outcome of one operation (a cleared mock poll's counts by party in `counts`). */
export type LedgerResult = { ok: true; receipt?: string; counts?: Record<string, number> } | {
  ok: false;
  code: ErrorCode;
  message: string;
};

/** What a batch's commit returns: one result per operation, and the state after it. */
export interface BatchOutcome {
  /** One result per operation, in the batch's order. */
  results: LedgerResult[];
  /** The counting state once the batch is committed. */
  state: TallyState;
  /** The publication once the batch is committed. */
  publication: Publication;
  /** PostgreSQL: the transaction that cleared a mock poll (its 32-bit id), if the batch did. */
  clearedBy?: string;
  /** The roll as the batch's transaction found it, when it looked (another instance may import one). */
  roll?: RollInfo | null;
}

/** How far an election has come: only ever grows (internal; never shown to anyone). */
function progress(state: TallyState): number {
  return state.total + (state.revision ?? 0) + (state.status === "closed" ? 1 : 0);
}

/** The database could not be opened or written. */
export class StoreError extends Error {
  /**
   * Makes the error.
   *
   * @param message What could not be done, and why, in a sentence.
   */
  constructor(message: string) {
    super(message);
    this.name = "StoreError";
  }
}

/** The most operations one transaction takes. */
const MAX_BATCH = 512;

type Pending = { op: LedgerOp; resolve: (r: LedgerResult) => void; reject: (e: Error) => void };

/**
 * How many queued operations the next batch takes: at most `MAX_BATCH`, and
 * none after a mock poll's clearing. A ledger wipes every vote of the batch
 * that clears (those before it were the mock poll's); votes behind an opening
 * queued after the clearing are real, and belong to a later batch, sent once
 * the clearing has committed (batches in flight together may commit in any
 * order on PostgreSQL).
 */
function batchLength(queue: readonly Pending[]): number {
  const end = Math.min(queue.length, MAX_BATCH);
  for (let i = 0; i < end; i++) {
    if (queue[i].op.kind === "clearMock") return i + 1;
  }
  return end;
}

/** The shared half of a store; a subclass commits batches and reads the register. */
export abstract class BatchedStore implements
  Pick<
    ElectionStore,
    | "snapshot"
    | "cast"
    | "close"
    | "open"
    | "startMockPoll"
    | "clearMockPoll"
    | "subscribe"
    | "shutdown"
  > {
  /** The parties on the ballot, in ballot order. */
  readonly parties: readonly Party[];
  /** When voting opens and closes. */
  readonly schedule: Schedule;
  /** The electoral roll, or null for an open election (set by the subclass). */
  roll: RollInfo | null = null;
  #state: TallyState;
  #publication: Publication;
  #tally: Tally;
  #message: string;
  readonly #listeners = new Set<(t: Tally) => void>();
  readonly #depth: number;
  #queue: Pending[] = [];
  #inFlight = 0;
  #idle: (() => void)[] = [];
  #quiet: (() => void)[] = [];
  #paused = false;
  /** A batch that clears a mock poll is committing: the next waits for it. */
  #clearing = false;
  #exclusive: Promise<unknown> = Promise.resolve();
  #stopped = false;
  #shutdown: Promise<void> | undefined;

  /**
   * Starts from the state as stored, with nothing queued.
   *
   * @param parties The ballot.
   * @param stored The counting state and the publication as stored.
   * @param depth How many batches may commit at once (1 for a single writer).
   * @param schedule When voting opens and closes.
   */
  protected constructor(
    parties: readonly Party[],
    stored: { state: TallyState; publication: Publication },
    depth: number,
    schedule: Schedule,
  ) {
    this.parties = parties;
    this.schedule = schedule;
    this.#state = stored.state;
    this.#publication = stored.publication;
    this.#tally = publishedTally(parties, stored.state, stored.publication, schedule);
    this.#message = JSON.stringify(this.#tally);
    this.#depth = depth;
  }

  /** Applies a batch in one durable transaction; throws if nothing was committed. */
  protected abstract commit(ops: LedgerOp[]): Promise<BatchOutcome>;

  /** Closes the database once every queued operation is committed. */
  protected abstract release(): Promise<void>;

  /**
   * Whether a batch of `length` operations should be the only one of this
   * store in flight (a subclass's batches that lock the whole election gain
   * nothing from going out together, and commit more votes each when they wait).
   */
  protected commitsAlone(_length: number): boolean {
    return false;
  }

  /** Called after the state changed (a subclass may tell other instances). */
  protected onChange(_progress: number): void {}

  /** The internal progress of the cached state (total, plus one once closed). */
  protected get progress(): number {
    return progress(this.#state);
  }

  /**
   * Whether `casts` more votes would complete a step, as far as the cached
   * state knows (another instance's votes may be missing from it).
   */
  protected completesStep(casts: number): boolean {
    return this.#state.status === "open" &&
      pendingVotes(this.#publication, this.#state) + casts >= this.#publication.stepSize;
  }

  /** The tally as the results mode shows it (the cached one: no database read). */
  snapshot(): Tally {
    return this.#tally;
  }

  /** Queues a ballot; resolves with its receipt once the commit that holds it is durable. */
  async cast(ballot: Ballot, proof?: RollProof, options: CastOptions = {}): Promise<Receipt> {
    const op: LedgerOp = { kind: "cast", ballot, proof };
    if (options.phase) op.phase = options.phase;
    const result = await this.#enqueue(op);
    if (!result.ok) throw new VoteError(result.code, result.message);
    return { receipt: result.receipt!, party: ballot.party };
  }

  /** Queues the close; resolves with the closed tally once it is durable. */
  async close(reason: ClosedReason): Promise<Tally> {
    const result = await this.#enqueue({ kind: "close", reason });
    if (!result.ok) throw new VoteError(result.code, result.message);
    return this.#tally;
  }

  /** Queues the opening; resolves with the open tally once it is durable. */
  async open(): Promise<Tally> {
    const result = await this.#enqueue({ kind: "open" });
    if (!result.ok) throw new VoteError(result.code, result.message);
    return this.#tally;
  }

  /** Queues the start of a mock poll; resolves once it is durable. */
  async startMockPoll(): Promise<Tally> {
    const result = await this.#enqueue({ kind: "mock" });
    if (!result.ok) throw new VoteError(result.code, result.message);
    return this.#tally;
  }

  /** Queues the clearing of the mock poll; resolves with its counts once nothing of it is left. */
  async clearMockPoll(): Promise<Record<string, number>> {
    const result = await this.#enqueue({ kind: "clearMock" });
    if (!result.ok) throw new VoteError(result.code, result.message);
    return result.counts ?? {};
  }

  /** Calls `listener` after each committed change; returns the function that unsubscribes. */
  subscribe(listener: (tally: Tally) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /**
   * Takes a state if it is newer than the cached one; tells the listeners
   * only when what they may see changed (in `live` mode, once per step).
   */
  protected setState(state: TallyState, publication: Publication): void {
    if (progress(state) <= progress(this.#state) && publication.step <= this.#publication.step) {
      return;
    }
    const stepped = publication.step !== this.#publication.step;
    this.#state = state;
    this.#publication = publication;
    this.onChange(progress(state));
    const tally = publishedTally(this.parties, state, publication, this.schedule);
    const message = JSON.stringify(tally);
    // A new step is news for the admin's register even when the public tally
    // hides it (sealed mode); the tally feed sends only what changed.
    if (message === this.#message && !stepped) return;
    this.#tally = tally;
    this.#message = message;
    notifyListeners(this.#listeners, tally);
  }

  /**
   * Stops taking operations (later ones are refused as `unavailable`), waits
   * until the queued ones are committed, and closes the database. Calling it
   * again returns the same promise.
   */
  shutdown(): Promise<void> {
    return this.#shutdown ??= this.#drain().then(() => this.release());
  }

  /**
   * Runs `work` while no batch commits: waits for the batches in flight,
   * holds new ones in the queue until `work` ends, then commits them. One
   * such piece of work runs at a time.
   */
  protected exclusive<T>(work: () => Promise<T>): Promise<T> {
    const run = this.#exclusive.then(async () => {
      this.#paused = true;
      try {
        if (this.#inFlight > 0) await new Promise<void>((resolve) => this.#quiet.push(resolve));
        return await work();
      } finally {
        this.#paused = false;
        if (this.#queue.length > 0) this.#pump();
      }
    });
    this.#exclusive = run.catch(() => {});
    return run;
  }

  /** Stops taking operations and waits until the queued ones are committed. */
  async #drain(): Promise<void> {
    this.#stopped = true;
    if (this.#inFlight > 0 || this.#queue.length > 0) {
      await new Promise<void>((resolve) => this.#idle.push(resolve));
    }
  }

  #enqueue(op: LedgerOp): Promise<LedgerResult> {
    if (this.#stopped) return Promise.reject(voteError("unavailable"));
    // Closing is final, so a closed snapshot can refuse without a round trip.
    if (this.#state.status === "closed") {
      return Promise.resolve({ ok: false, code: "voting_closed", message: messages.voting_closed });
    }
    return new Promise((resolve, reject) => {
      this.#queue.push({ op, resolve, reject });
      // A microtask lets the votes of this turn of the event loop join one batch.
      if (this.#queue.length === 1) queueMicrotask(() => this.#pump());
    });
  }

  #pump() {
    while (
      this.#queue.length > 0 && this.#inFlight < this.#depth && !this.#paused && !this.#clearing
    ) {
      const length = batchLength(this.#queue);
      // A batch that must commit alone waits until the others are done, growing meanwhile.
      if (this.#inFlight > 0 && this.commitsAlone(length)) return;
      const batch = this.#queue.splice(0, length);
      const clears = batch[batch.length - 1].op.kind === "clearMock";
      this.#clearing = clears;
      this.#inFlight++;
      this.commit(batch.map((p) => p.op)).then(({ results, state, publication }) => {
        // The next batch goes to the database before this one's answers are
        // written: answering 30 votes takes the main thread about as long as
        // a commit, and the writer would otherwise wait for it.
        if (clears) this.#clearing = false;
        this.#settled();
        this.setState(state, publication);
        batch.forEach((p, i) => p.resolve(results[i]));
        this.#maybeIdle();
      }, (e) => {
        if (clears) this.#clearing = false;
        this.#settled();
        console.error(`Could not commit ${batch.length} operation(s): ${(e as Error).message}`);
        for (const p of batch) p.reject(voteError("unavailable"));
        this.#maybeIdle();
      });
    }
  }

  /** A batch has committed (or failed): wakes exclusive work, or sends the next batch. */
  #settled() {
    this.#inFlight--;
    if (this.#inFlight === 0) this.#quiet.splice(0).forEach((wake) => wake());
    if (this.#queue.length > 0) this.#pump();
  }

  /** Once nothing is queued or committing, wakes `#drain`. */
  #maybeIdle() {
    if (this.#queue.length > 0 || this.#inFlight > 0) return;
    this.#idle.splice(0).forEach((wake) => wake());
  }
}
