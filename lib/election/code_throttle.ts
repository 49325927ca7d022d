/**
 * Throttles guessing of voting codes without letting anyone lock a real voter
 * out. Wrong codes are counted per (client address, voter ID) only
 * (rate-limiter-flexible's in-memory counters): 5 per 15 minutes, then that
 * address waits for that voter ID.
 *
 * Nothing wider is counted on purpose. A cap per address would let one
 * client behind a polling station's address (or a proxy's) lock out every
 * voter there with 30 wrong codes, and a cap per voter ID would let anyone
 * lock out a chosen voter. Guessing stays hopeless without them: a code has
 * about 2^49.5 values, so even a million addresses with 5 guesses each at one
 * voter succeed with a chance of about 1 in 10^8. Counters are per instance.
 */
import { clientKey } from "../server/client_key.ts";
import { RateLimiterMemory, type RateLimiterRes } from "rate-limiter-flexible";

/** Limits, with windows in seconds. */
export interface CodeThrottleLimits {
  /** Wrong codes one address (an IPv6 one by its /64) may send for one voter ID per window. */
  perPair: number;
  /** The window, in seconds. */
  pairWindow: number;
}

const DEFAULTS: CodeThrottleLimits = { perPair: 5, pairWindow: 900 };

/**
 * Guards code guesses: `begin` before checking a code (it counts the attempt
 * at once, so a burst of parallel guesses is bounded too), `settle` after.
 */
export class CodeThrottle {
  readonly #limits: CodeThrottleLimits;
  readonly #pair: RateLimiterMemory;
  /** Attempts under way per (address, voter ID). */
  readonly #inFlight = new Map<string, number>();
  /**
   * The (address, voter ID) pairs that sent a wrong code and may still be
   * counted by the rate limiter. Only they consult it: a pair not here has
   * no wrong code on record, so the right code of a voter (nearly every
   * vote) costs two map look-ups and no promise. A pair leaves when the
   * limiter has forgotten it (looked at again, or swept as the map grows),
   * unless a wrong code marked it again meanwhile (each mark is numbered).
   */
  readonly #wrong = new Map<string, number>();
  #marks = 0;
  #sweepAt = 1024;

  /**
   * Makes a throttle that has heard no code yet.
   *
   * @param limits Overrides of the default limits.
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { CodeThrottle } from "./code_throttle.ts";
   * const throttle = new CodeThrottle({ perPair: 2 });
   * for (let i = 0; i < 2; i++) {
   *   assert.equal(await throttle.begin("10.0.0.1", "WKH1186253"), 0);
   *   await throttle.settle("10.0.0.1", "WKH1186253", { wrong: true });
   * }
   * assert.ok((await throttle.begin("10.0.0.1", "WKH1186253")) > 0); // seconds to wait
   * assert.equal(await throttle.begin("10.0.0.2", "WKH1186253"), 0); // another address is heard
   * assert.equal(await throttle.begin("10.0.0.1", "WKH1186261"), 0); // and another voter here
   * ```
   */
  constructor(limits: Partial<CodeThrottleLimits> = {}) {
    this.#limits = { ...DEFAULTS, ...limits };
    const l = this.#limits;
    this.#pair = new RateLimiterMemory({ points: l.perPair, duration: l.pairWindow });
  }

  /**
   * Counts an attempt for its (address, voter ID) at once, so that a burst of
   * parallel guesses at one voter is bounded too. Attempts in flight are a
   * plain count; the rate limiter holds only wrong codes, and is asked only
   * about a pair that sent one.
   * Gives 0 when the code may be checked now, else the seconds to wait (a
   * promise only when the rate limiter is asked).
   */
  begin(client: string, voterId: string): number | Promise<number> {
    const pairKey = `${clientKey(client)}|${voterId}`;
    const mark = this.#wrong.get(pairKey);
    if (mark === undefined) return this.#admit(pairKey, null);
    return this.#pair.get(pairKey).then((pair) => {
      if (!pair) this.#forget(pairKey, mark);
      return this.#admit(pairKey, pair);
    });
  }

  #admit(pairKey: string, pair: RateLimiterRes | null): number {
    const failed = pair?.consumedPoints ?? 0;
    const inFlight = this.#inFlight.get(pairKey) ?? 0;
    if (failed + inFlight >= this.#limits.perPair) return pair ? wait(pair) : 1;
    this.#inFlight.set(pairKey, inFlight + 1);
    return 0;
  }

  /**
   * Ends an attempt begun with `begin`: a wrong code counts for its (address,
   * voter ID). A promise only when it counts one.
   */
  settle(client: string, voterId: string, outcome: { wrong: boolean }): void | Promise<void> {
    const pairKey = `${clientKey(client)}|${voterId}`;
    if (!outcome.wrong) return this.#landed(pairKey);
    // Marked before the penalty is recorded: a `begin` in between asks the limiter.
    this.#wrong.set(pairKey, ++this.#marks);
    // Still in flight until the penalty is recorded: a `begin` that asked the limiter
    // before then counts it as in flight, not as nothing. And the sweep starts only
    // then: begun before, it would find this pair forgotten and unmark it.
    return this.#pair.penalty(pairKey, 1).then(() => {
      if (this.#wrong.size >= this.#sweepAt) this.#sweep();
    }).finally(() => this.#landed(pairKey));
  }

  #landed(pairKey: string): void {
    const inFlight = (this.#inFlight.get(pairKey) ?? 1) - 1;
    if (inFlight > 0) this.#inFlight.set(pairKey, inFlight);
    else this.#inFlight.delete(pairKey);
  }

  /** Unmarks a pair the limiter had forgotten when asked, unless a wrong code marked it since. */
  #forget(pairKey: string, mark: number): void {
    if (this.#wrong.get(pairKey) === mark) this.#wrong.delete(pairKey);
  }

  /** Unmarks the pairs the limiter has forgotten, so that the map stays as small as its memory. */
  #sweep(): void {
    this.#sweepAt = Infinity;
    Promise.all([...this.#wrong].map(async ([pairKey, mark]) => {
      if (!(await this.#pair.get(pairKey))) this.#forget(pairKey, mark);
    })).finally(() => this.#sweepAt = Math.max(1024, 2 * this.#wrong.size));
  }
}

function wait(r: RateLimiterRes): number {
  return Math.max(1, Math.ceil(r.msBeforeNext / 1000));
}
