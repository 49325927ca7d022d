/**
 * A per-client budget of requests a second (rate-limiter-flexible's in-memory
 * counters), so that one client's flood of expensive pages cannot take the
 * server's time from everyone else. Counters are per instance.
 */
import { RateLimiterMemory, RateLimiterRes } from "rate-limiter-flexible";
import { clientKey } from "./client_key.ts";

/**
 * Counts each client's requests, weighted by their cost, in fixed windows
 * (one second by default).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { RequestRate } from "./request_rate.ts";
 * const rate = new RequestRate({ points: 20 });
 * assert.equal(await rate.take("10.0.0.1", 10), 0);
 * assert.equal(await rate.take("10.0.0.1", 10), 0);
 * assert.equal(await rate.take("10.0.0.1", 1), 1); // seconds to wait
 * assert.equal(await rate.take("10.0.0.2", 10), 0); // another client has its own budget
 * ```
 */
export class RequestRate {
  readonly #limiter: RateLimiterMemory;

  /**
   * @param options `points`: what one client (an IPv6 /64 counts as one) may
   * spend a window; `windowSeconds`: the window (default 1).
   */
  constructor(options: { points: number; windowSeconds?: number }) {
    this.#limiter = new RateLimiterMemory({
      points: options.points,
      duration: options.windowSeconds ?? 1,
    });
  }

  /**
   * Spends `cost` points of the client's budget for this second.
   *
   * @param address The client's address.
   * @param cost The request's points (at least 1).
   * @returns 0 when the request may go on, else the whole seconds until it may (at least 1).
   */
  async take(address: string, cost: number): Promise<number> {
    try {
      await this.#limiter.consume(clientKey(address), cost);
      return 0;
    } catch (e) {
      if (!(e instanceof RateLimiterRes)) throw e;
      return Math.max(1, Math.ceil(e.msBeforeNext / 1000));
    }
  }
}
