/**
 * A per-client budget of request points a second, so that one client's
 * flood of expensive pages cannot take the server's time from everyone else.
 *
 * Not rate-limiter-flexible (used for sign-in and code guesses): this runs
 * on every request, before the app, and must cost next to nothing and answer
 * at once. A refusal decided a promise later came after the server
 * had dispatched a connection's whole pipelined burst to the app. So: a
 * token bucket per client in one `Map` (points flow in at the budget's rate
 * up to a burst of three seconds' worth), no promise, no timer per client;
 * full buckets are swept out every few seconds. A burst matters on election
 * day: a classroom behind one address opening the booth at once spends
 * about 30 points a voter (a page, its scripts, styles, logos and font).
 * Counters are per instance.
 */
import { clientKey } from "./client_key.ts";

/** How many seconds of budget a client may spend at once. */
export const BURST_SECONDS = 3;

/** How often full buckets are dropped from memory, in milliseconds. */
const SWEEP_EVERY_MS = 10_000;

/**
 * Each client's request points: `points` a second flow into a bucket of
 * `BURST_SECONDS` times as many; a request takes its cost out, or waits.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { RequestRate } from "./request_rate.ts";
 * let now = 5_000;
 * const rate = new RequestRate({ points: 10, now: () => now });
 * assert.equal(rate.take("10.0.0.1", 30), 0); // a burst of three seconds' worth
 * assert.equal(rate.take("10.0.0.1", 1), 1); // seconds to wait
 * assert.equal(rate.take("10.0.0.2", 10), 0); // another client has its own budget
 * now += 500;
 * assert.equal(rate.take("10.0.0.1", 5), 0); // half a second brought 5 points
 * assert.equal(rate.take("10.0.0.1", 5), 1);
 * // Clients whose buckets have filled again are forgotten: memory follows the flood, not history.
 * for (let i = 0; i < 1000; i++) rate.take(`10.1.${i >> 8}.${i & 255}`, 1);
 * assert.equal(rate.clients, 1002);
 * now += 10_000;
 * rate.take("10.0.0.3", 1);
 * assert.equal(rate.clients, 1);
 * ```
 */
export class RequestRate {
  readonly #points: number;
  readonly #burst: number;
  readonly #now: () => number;
  readonly #buckets = new Map<string, { tokens: number; at: number }>();
  #swept: number;

  /**
   * Makes a limiter whose clients all start with a full bucket.
   *
   * @param options `points`: what one client (an IPv6 /64 counts as one) may
   * spend a second, on average; `now`: the clock in milliseconds (default `Date.now`).
   */
  constructor(options: { points: number; now?: () => number }) {
    this.#points = options.points;
    this.#burst = options.points * BURST_SECONDS;
    this.#now = options.now ?? Date.now;
    this.#swept = this.#now();
  }

  /**
   * Spends `cost` points of the client's budget, if it has them; a refused
   * request spends nothing.
   *
   * @param address The client's address.
   * @param cost The request's points.
   * @returns 0 when the request may go on, else the whole seconds until it may (at least 1).
   */
  take(address: string, cost: number): number {
    const now = this.#now();
    if (now - this.#swept >= SWEEP_EVERY_MS) this.#sweep(now);
    const key = clientKey(address);
    let bucket = this.#buckets.get(key);
    if (bucket === undefined) {
      bucket = { tokens: this.#burst, at: now };
      this.#buckets.set(key, bucket);
    } else {
      bucket.tokens = Math.min(
        this.#burst,
        bucket.tokens + (now - bucket.at) * this.#points / 1000,
      );
      bucket.at = now;
    }
    if (bucket.tokens < cost) {
      return Math.max(1, Math.ceil((cost - bucket.tokens) / this.#points));
    }
    bucket.tokens -= cost;
    return 0;
  }

  /** How many clients hold a bucket now (full ones are dropped every few seconds). */
  get clients(): number {
    return this.#buckets.size;
  }

  /** Drops the buckets that have filled up again: they are as good as new. */
  #sweep(now: number) {
    this.#swept = now;
    for (const [key, bucket] of this.#buckets) {
      if (bucket.tokens + (now - bucket.at) * this.#points / 1000 >= this.#burst) {
        this.#buckets.delete(key);
      }
    }
  }
}
