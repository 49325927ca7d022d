/**
 * Throttles guessing of voting codes without letting anyone lock a real voter
 * out. Wrong codes are counted per (client address, voter ID), per client and
 * per voter ID (rate-limiter-flexible's in-memory counters):
 *
 * - a client gets 5 wrong codes for one voter ID per 15 minutes, and 30 in all;
 * - once a voter ID has had 20 wrong codes from anywhere in an hour, every
 *   address that has already failed for it is refused for it, but an address
 *   that has never failed for it is still heard (once).
 *
 * So a voter at their own address can always vote, whatever others try with
 * their ID; an attacker gets a handful of guesses per address, against about
 * 10^15 possible codes. Counters are per instance.
 */
import { RateLimiterMemory, type RateLimiterRes } from "rate-limiter-flexible";

/** Limits, with windows in seconds. */
export interface CodeThrottleLimits {
  perPair: number;
  perClient: number;
  perVoter: number;
  pairWindow: number;
  clientWindow: number;
  voterWindow: number;
}

const DEFAULTS: CodeThrottleLimits = {
  perPair: 5,
  perClient: 30,
  perVoter: 20,
  pairWindow: 900,
  clientWindow: 900,
  voterWindow: 3600,
};

/**
 * Guards code guesses: `begin` before checking a code (it counts the attempt
 * at once, so a burst of parallel guesses is bounded too), `settle` after.
 */
export class CodeThrottle {
  readonly #limits: CodeThrottleLimits;
  readonly #pair: RateLimiterMemory;
  readonly #client: RateLimiterMemory;
  readonly #voter: RateLimiterMemory;
  /** Attempts under way per (address, voter ID). */
  readonly #inFlight = new Map<string, number>();

  /**
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
   * ```
   */
  constructor(limits: Partial<CodeThrottleLimits> = {}) {
    this.#limits = { ...DEFAULTS, ...limits };
    const l = this.#limits;
    this.#pair = new RateLimiterMemory({ points: l.perPair, duration: l.pairWindow });
    this.#client = new RateLimiterMemory({ points: l.perClient, duration: l.clientWindow });
    this.#voter = new RateLimiterMemory({ points: l.perVoter, duration: l.voterWindow });
  }

  /**
   * Counts an attempt for its (address, voter ID) at once, so that a burst of
   * parallel guesses at one voter is bounded too; the address's own limit
   * counts wrong codes only, so many voters behind one address (a proxy, a
   * polling station) are never slowed by their own numbers. Attempts in
   * flight are a plain count: the rate limiters hold only wrong codes, so a
   * right code costs three look-ups and no timer.
   * Returns 0 when the code may be checked now, else the seconds to wait.
   */
  async begin(client: string, voterId: string): Promise<number> {
    const l = this.#limits;
    const pairKey = `${client}|${voterId}`;
    const [pair, byClient, byVoter] = await Promise.all([
      this.#pair.get(pairKey),
      this.#client.get(client),
      this.#voter.get(voterId),
    ]);
    if (byClient && byClient.consumedPoints >= l.perClient) return wait(byClient);
    const failed = pair?.consumedPoints ?? 0;
    const inFlight = this.#inFlight.get(pairKey) ?? 0;
    if (failed + inFlight >= l.perPair) return pair ? wait(pair) : 1;
    if (byVoter && byVoter.consumedPoints >= l.perVoter && failed + inFlight > 0) {
      return pair ? wait(pair) : 1;
    }
    this.#inFlight.set(pairKey, inFlight + 1);
    return 0;
  }

  /** Ends an attempt begun with `begin`: a wrong code counts for the pair, the address and the voter ID. */
  async settle(client: string, voterId: string, outcome: { wrong: boolean }): Promise<void> {
    const pairKey = `${client}|${voterId}`;
    const inFlight = (this.#inFlight.get(pairKey) ?? 1) - 1;
    if (inFlight > 0) this.#inFlight.set(pairKey, inFlight);
    else this.#inFlight.delete(pairKey);
    if (!outcome.wrong) return;
    await Promise.all([
      this.#pair.penalty(pairKey, 1),
      this.#client.penalty(client, 1),
      this.#voter.penalty(voterId, 1),
    ]);
  }
}

function wait(r: RateLimiterRes): number {
  return Math.max(1, Math.ceil(r.msBeforeNext / 1000));
}
