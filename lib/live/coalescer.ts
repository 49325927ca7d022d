/**
 * "At most once per interval": the timer the tally feed, the turnout feed and
 * the PostgreSQL notifier share, so that a burst of changes costs one message.
 */
import { systemTimers, type TimerId, type Timers } from "../timers.ts";

/** Options for `Coalescer`. */
export interface CoalescerOptions {
  /** The least time between two runs of the task, in milliseconds. */
  intervalMs: number;
  /** The clock and timeouts (default: the system's). */
  timers?: Timers;
}

/**
 * Runs a task at most once per interval however often it is requested. A
 * request after a quiet interval runs the task on the next turn of the event
 * loop (so the changes of this turn join it); a request sooner runs it once,
 * when the interval since the last run is over.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { Coalescer } from "./coalescer.ts";
 * import { ManualTimers } from "../timers.ts";
 * const timers = new ManualTimers();
 * let runs = 0;
 * const coalescer = new Coalescer(() => runs++, { intervalMs: 100, timers });
 * coalescer.request();
 * timers.advance(0);
 * assert.equal(runs, 1);
 * for (let i = 0; i < 50; i++) coalescer.request(); // a burst...
 * timers.advance(99);
 * assert.equal(runs, 1);
 * timers.advance(1);
 * assert.equal(runs, 2); // ...runs the task once, an interval after the last run
 * ```
 */
export class Coalescer {
  readonly #task: () => void;
  readonly #intervalMs: number;
  readonly #timers: Timers;
  #timer: TimerId | undefined;
  #lastRun = -Infinity;

  /**
   * Prepares the coalescer; nothing runs until a request.
   *
   * @param task What to run; it reads the newest state itself.
   * @param options The interval and the timers.
   */
  constructor(task: () => void, options: CoalescerOptions) {
    this.#task = task;
    this.#intervalMs = options.intervalMs;
    this.#timers = options.timers ?? systemTimers;
  }

  /** Whether a run is scheduled. */
  get pending(): boolean {
    return this.#timer !== undefined;
  }

  /** Asks for a run: scheduled unless one is already. */
  request(): void {
    if (this.#timer !== undefined) return;
    const wait = Math.max(0, this.#lastRun + this.#intervalMs - this.#timers.now());
    this.#timer = this.#timers.setTimeout(() => this.#run(), wait);
  }

  /** Runs a scheduled run now instead of at its time; does nothing when none is. */
  flush(): void {
    if (this.#timer === undefined) return;
    this.#timers.clearTimeout(this.#timer);
    this.#run();
  }

  /** Cancels a scheduled run. */
  cancel(): void {
    this.#timers.clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  #run() {
    this.#timer = undefined;
    this.#lastRun = this.#timers.now();
    this.#task();
  }
}
