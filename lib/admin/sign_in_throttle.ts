/**
 * Throttling of sign-in guesses, per client address and for the account,
 * decided synchronously before a password is checked so that parallel
 * requests cannot slip past it.
 *
 * - **Per address**: one guess at a time; after `freeFailures` failures each
 *   further guess waits a delay that doubles (1 s, 2 s, 4 s, … up to
 *   `maxDelayMs`). A success clears the address.
 * - **For the account**: after `accountFreeFailures` failures from all
 *   addresses together, guesses from addresses that have failed wait an
 *   account-wide delay that doubles the same way up to `accountMaxDelayMs`
 *   (30 s). An address with no failure (the administrator's own) is never
 *   held back by it, and one with a typo or two (an address shared with the
 *   attacker, say) waits at most that: a delay, never a lock-out, so an
 *   attacker cannot keep the administrator from ending the vote.
 */

export { clientKey } from "../server/client_key.ts";

/** The throttle's settings. */
export interface ThrottleSettings {
  /** Failures from one address before its guesses are delayed. */
  freeFailures: number;
  /** Failures from all addresses before failing addresses share a delay. */
  accountFreeFailures: number;
  /** The first delay; each further failure doubles it. */
  baseDelayMs: number;
  /** The longest account-wide delay (an address's own delay may grow to `maxDelayMs`). */
  accountMaxDelayMs: number;
  /** The longest delay. */
  maxDelayMs: number;
  /** How long a failure is remembered. */
  memoryMs: number;
}

/** The defaults: 3 free guesses per address, 20 for the account, 1 s doubling to 15 min. */
export const THROTTLE_DEFAULTS: ThrottleSettings = {
  freeFailures: 3,
  accountFreeFailures: 20,
  accountMaxDelayMs: 30_000,
  baseDelayMs: 1_000,
  maxDelayMs: 15 * 60 * 1000,
  memoryMs: 24 * 60 * 60 * 1000,
};

/** Addresses remembered at most; past it the longest-remembered are forgotten first. */
export const MAX_TRACKED_ADDRESSES = 100_000;

/** Whether a guess may be checked now. */
export type Admission =
  | { ok: true; done(succeeded: boolean): void }
  | { ok: false; retryAfterMs: number };

interface Record {
  failures: number;
  notBefore: number;
  lastFailure: number;
  busy: boolean;
}

function delay(settings: ThrottleSettings, over: number): number {
  if (over <= 0) return 0;
  return Math.min(settings.maxDelayMs, settings.baseDelayMs * 2 ** Math.min(over - 1, 30));
}

/**
 * Decides which sign-in guesses are checked.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { SignInThrottle } from "./sign_in_throttle.ts";
 * let now = 0;
 * const throttle = new SignInThrottle({ freeFailures: 1 }, () => now);
 * const first = throttle.admit("10.0.0.1");
 * assert.equal(first.ok, true);
 * assert.equal(throttle.admit("10.0.0.1").ok, false); // one guess at a time
 * if (first.ok) first.done(false);
 * const second = throttle.admit("10.0.0.1");
 * if (second.ok) second.done(false);
 * assert.deepEqual(throttle.admit("10.0.0.1"), { ok: false, retryAfterMs: 1000 });
 * now = 1000;
 * assert.equal(throttle.admit("10.0.0.1").ok, true);
 * ```
 */
export class SignInThrottle {
  /** The delays and limits in force (defaults filled in). */
  readonly settings: ThrottleSettings;
  readonly #now: () => number;
  readonly #addresses = new Map<string, Record>();
  #account = { failures: 0, notBefore: 0, lastFailure: 0 };

  /**
   * Makes a throttle with no failures on record.
   *
   * @param settings Delays and limits that differ from the defaults.
   * @param now The clock, in epoch milliseconds (default `Date.now`).
   */
  constructor(settings: Partial<ThrottleSettings> = {}, now: () => number = Date.now) {
    this.settings = { ...THROTTLE_DEFAULTS, ...settings };
    this.#now = now;
  }

  /**
   * Admits a guess from `address`, or says how long to wait. An admitted
   * guess must be finished with `done(succeeded)` once the password is checked.
   */
  admit(address: string): Admission {
    const now = this.#now();
    this.#forgetOld(now);
    const record = this.#addresses.get(address);
    if (record?.busy) return { ok: false, retryAfterMs: this.settings.baseDelayMs };
    const wait = Math.max(
      record ? record.notBefore - now : 0,
      record && record.failures > 0 ? this.#account.notBefore - now : 0,
    );
    if (wait > 0) return { ok: false, retryAfterMs: wait };
    const entry = record ?? { failures: 0, notBefore: 0, lastFailure: 0, busy: false };
    entry.busy = true;
    if (!record) this.#makeRoom();
    this.#addresses.set(address, entry);
    return {
      ok: true,
      done: (succeeded) => {
        entry.busy = false;
        if (succeeded) {
          this.#addresses.delete(address);
          return;
        }
        const at = this.#now();
        entry.failures++;
        entry.lastFailure = at;
        entry.notBefore = at + delay(this.settings, entry.failures - this.settings.freeFailures);
        const account = this.#account;
        account.failures++;
        account.lastFailure = at;
        account.notBefore = at + Math.min(
          this.settings.accountMaxDelayMs,
          delay(this.settings, account.failures - this.settings.accountFreeFailures),
        );
      },
    };
  }

  /** Addresses with failures remembered now (for tests and the panel). */
  get tracked(): number {
    return this.#addresses.size;
  }

  /** Bounds memory against an attacker with countless addresses (an IPv6 range). */
  #makeRoom() {
    if (this.#addresses.size < MAX_TRACKED_ADDRESSES) return;
    for (const [address, record] of this.#addresses) {
      if (!record.busy) {
        this.#addresses.delete(address);
        return;
      }
    }
  }

  #forgetOld(now: number) {
    const horizon = now - this.settings.memoryMs;
    if (this.#account.lastFailure < horizon) {
      this.#account = { failures: 0, notBefore: 0, lastFailure: 0 };
    }
    if (this.#addresses.size < 1000) return;
    for (const [address, record] of this.#addresses) {
      if (!record.busy && record.lastFailure < horizon) this.#addresses.delete(address);
    }
  }
}
