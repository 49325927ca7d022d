/**
 * A per-client budget of request points a second, so that one client's
 * flood of expensive pages cannot take the server's time from everyone else.
 *
 * Not rate-limiter-flexible (used for sign-in and code guesses): this runs
 * on every request, before the app, and must cost next to nothing and answer
 * at once. A refusal decided a promise later came after Deno's `node:http`
 * had dispatched a connection's whole pipelined burst to the app. So: one
 * `Map` of points spent in the current second, emptied when the second
 * changes; no promise, no timer per client. Counters are per instance.
 */
import { clientKey } from "./client_key.ts";

/**
 * Counts each client's request points in fixed one-second windows.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { RequestRate } from "./request_rate.ts";
 * let now = 5_000;
 * const rate = new RequestRate({ points: 20, now: () => now });
 * assert.equal(rate.take("10.0.0.1", 10), 0);
 * assert.equal(rate.take("10.0.0.1", 10), 0);
 * assert.equal(rate.take("10.0.0.1", 1), 1); // seconds to wait
 * assert.equal(rate.take("10.0.0.2", 10), 0); // another client has its own budget
 * now += 1_000;
 * assert.equal(rate.take("10.0.0.1", 10), 0); // a new second
 * ```
 */
export class RequestRate {
  readonly #points: number;
  readonly #now: () => number;
  #spent = new Map<string, number>();
  #second = -1;

  /**
   * @param options `points`: what one client (an IPv6 /64 counts as one) may
   * spend a second; `now`: the clock in milliseconds (default `Date.now`).
   */
  constructor(options: { points: number; now?: () => number }) {
    this.#points = options.points;
    this.#now = options.now ?? Date.now;
  }

  /**
   * Spends `cost` points of the client's budget for this second.
   *
   * @param address The client's address.
   * @param cost The request's points.
   * @returns 0 when the request may go on, else the whole seconds until it may (1).
   */
  take(address: string, cost: number): number {
    const second = Math.floor(this.#now() / 1000);
    if (second !== this.#second) {
      this.#second = second;
      this.#spent.clear();
    }
    const key = clientKey(address);
    const spent = (this.#spent.get(key) ?? 0) + cost;
    this.#spent.set(key, spent);
    return spent > this.#points ? 1 : 0;
  }
}
