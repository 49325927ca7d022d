/**
 * The clock and timeouts a module takes instead of the globals, so that a
 * test moves time by hand (`ManualTimers`) rather than sleeping for it.
 */

/** A timeout's handle: what the runtime's `setTimeout` returns, or a number. */
export type TimerId = ReturnType<typeof setTimeout> | number;

/** What a module needs of time: the clock and one-shot timeouts. */
export interface Timers {
  /** The current time, in epoch milliseconds. */
  now(): number;
  /** Calls `callback` once, `ms` milliseconds from now. */
  setTimeout(callback: () => void, ms: number): TimerId;
  /** Cancels a timeout; does nothing for an unknown or undefined one. */
  clearTimeout(id: TimerId | undefined): void;
}

/** The real clock and timeouts of the runtime. */
export const systemTimers: Timers = {
  now: () => Date.now(),
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (id) => clearTimeout(id),
};

/**
 * A clock that moves only when told to: `advance(ms)` runs, in order of
 * their time, the timeouts that come due. For tests and examples.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { ManualTimers } from "./timers.ts";
 * const timers = new ManualTimers(1000);
 * const fired: number[] = [];
 * timers.setTimeout(() => fired.push(timers.now()), 50);
 * timers.advance(49);
 * assert.deepEqual(fired, []);
 * timers.advance(1);
 * assert.deepEqual(fired, [1050]);
 * ```
 */
export class ManualTimers implements Timers {
  #now: number;
  #nextId = 1;
  readonly #due = new Map<TimerId, { at: number; callback: () => void }>();

  /**
   * Starts the clock with nothing scheduled.
   *
   * @param start The clock's starting time, in epoch milliseconds (default 0).
   */
  constructor(start = 0) {
    this.#now = start;
  }

  /** The clock's time, in epoch milliseconds. */
  now(): number {
    return this.#now;
  }

  /** Schedules `callback` at `now() + ms`; it runs during a later `advance`. */
  setTimeout(callback: () => void, ms: number): TimerId {
    const id: number = this.#nextId++;
    this.#due.set(id, { at: this.#now + Math.max(0, ms), callback });
    return id;
  }

  /** Cancels a scheduled timeout. */
  clearTimeout(id: TimerId | undefined): void {
    if (id !== undefined) this.#due.delete(id);
  }

  /** How many timeouts are scheduled and not yet run. */
  get pending(): number {
    return this.#due.size;
  }

  /**
   * Moves the clock `ms` milliseconds on, running each timeout that comes due
   * at its own time (one scheduled by a callback runs too, if due in time).
   */
  advance(ms: number): void {
    const end = this.#now + ms;
    for (;;) {
      let next: [TimerId, { at: number; callback: () => void }] | undefined;
      for (const entry of this.#due) {
        if (entry[1].at <= end && (!next || entry[1].at < next[1].at)) next = entry;
      }
      if (!next) break;
      this.#due.delete(next[0]);
      this.#now = next[1].at;
      next[1].callback();
    }
    this.#now = end;
  }
}
