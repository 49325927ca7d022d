/**
 * The administrator's password, sessions and the throttling of failed
 * logins. Kept in memory only: a restart signs everyone out.
 */

/** How long a session lasts, in milliseconds (eight hours). */
export const SESSION_MS = 8 * 60 * 60 * 1000;
/** Failures from one address before it is locked out. */
export const MAX_FAILURES = 5;
/** How long a lock-out lasts, in milliseconds (fifteen minutes). */
export const LOCKOUT_MS = 15 * 60 * 1000;

/**
 * The outcome of a login attempt. `session` is 64 hex digits (256 random bits);
 * `expires` is when it ends, in epoch milliseconds; `retryAfterMs` is how long
 * the lock-out still lasts, in milliseconds.
 */
export type LoginResult =
  | { ok: true; session: string; expires: number }
  | { ok: false; reason: "wrong_password" }
  | { ok: false; reason: "locked_out"; retryAfterMs: number };

const encoder = new TextEncoder();

async function digest(text: string): Promise<Uint8Array> {
  return new Uint8Array(await crypto.subtle.digest("SHA-256", encoder.encode(text)));
}

/** Compares two equal-length byte arrays in time that does not depend on where they differ. */
function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  let diff = a.length ^ b.length;
  for (let i = 0; i < Math.min(a.length, b.length); i++) diff |= a[i] ^ b[i];
  return diff === 0;
}

/**
 * Makes a strong random password: 20 characters from an alphabet without
 * look-alikes (about 110 bits).
 *
 * @returns The password.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { randomPassword } from "./admin_auth.ts";
 * const password = randomPassword();
 * assert.match(password, /^[a-km-zA-HJ-NP-Z2-9]{20}$/);
 * assert.notEqual(password, randomPassword());
 * ```
 */
export function randomPassword(): string {
  const alphabet = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
  const bytes = crypto.getRandomValues(new Uint8Array(20));
  return Array.from(bytes, (b) => alphabet[b % alphabet.length]).join("");
}

/** The clock and timer `AdminAuth` uses; tests inject both instead of waiting. */
export interface AdminAuthClock {
  /** The time now, in epoch milliseconds; `Date.now` unless given. */
  now?: () => number;
  /** Waits `ms` milliseconds (the back-off after a failure); a `setTimeout` unless given. */
  sleep?: (ms: number) => Promise<void>;
}

/**
 * The administrator's password and sessions.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { AdminAuth, SESSION_MS } from "./admin_auth.ts";
 * let now = 1_700_000_000_000; // epoch milliseconds, moved by hand
 * const auth = new AdminAuth("secret", { now: () => now, sleep: () => Promise.resolve() });
 * assert.deepEqual(await auth.login("guess", "10.0.0.1"), { ok: false, reason: "wrong_password" });
 * const signIn = await auth.login("secret", "10.0.0.1");
 * assert.ok(signIn.ok);
 * assert.equal(signIn.expires, now + SESSION_MS);
 * assert.equal(auth.isValid(signIn.session), true);
 * now += SESSION_MS;
 * assert.equal(auth.isValid(signIn.session), false);
 * ```
 */
export class AdminAuth {
  readonly #password: Promise<Uint8Array>;
  readonly #sessions = new Map<string, number>();
  readonly #failures = new Map<string, { count: number; lockedUntil: number }>();
  readonly #now: () => number;
  readonly #sleep: (ms: number) => Promise<void>;

  /**
   * Starts with no sessions and no failures.
   *
   * @param password The password to accept (hashed at once; the text is not kept).
   * @param options The clock and timer, for tests that move time instead of waiting.
   */
  constructor(password: string, options: AdminAuthClock = {}) {
    this.#password = digest(password);
    this.#now = options.now ?? Date.now;
    this.#sleep = options.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms)));
  }

  /**
   * Checks a password from `address`. After `MAX_FAILURES` failures the
   * address is locked out for `LOCKOUT_MS`, even for the right password.
   *
   * @param password The password as typed.
   * @param address Who is trying: the client's IP address.
   * @returns A new session, or why not.
   */
  async login(password: string, address: string): Promise<LoginResult> {
    const now = this.#now();
    const record = this.#failures.get(address);
    if (record && record.lockedUntil > now) {
      return { ok: false, reason: "locked_out", retryAfterMs: record.lockedUntil - now };
    }
    if (!sameBytes(await digest(password), await this.#password)) {
      const count = (record && record.lockedUntil <= now && record.count >= MAX_FAILURES)
        ? 1
        : (record?.count ?? 0) + 1;
      const lockedUntil = count >= MAX_FAILURES ? now + LOCKOUT_MS : 0;
      this.#failures.set(address, { count, lockedUntil });
      // A small, growing delay makes guessing slow even before the lock-out.
      await this.#sleep(Math.min(50 * 2 ** count, 1000));
      if (lockedUntil) return { ok: false, reason: "locked_out", retryAfterMs: LOCKOUT_MS };
      return { ok: false, reason: "wrong_password" };
    }
    this.#failures.delete(address);
    const session = Array.from(
      crypto.getRandomValues(new Uint8Array(32)),
      (b) => b.toString(16).padStart(2, "0"),
    ).join("");
    const expires = now + SESSION_MS;
    this.#sessions.set(session, expires);
    return { ok: true, session, expires };
  }

  /**
   * Whether a session id is valid now; expired sessions are forgotten.
   *
   * @param session The session id from the cookie, if any.
   * @returns Whether it names a live session.
   */
  isValid(session: string | undefined): boolean {
    if (!session) return false;
    const expires = this.#sessions.get(session);
    if (expires === undefined) return false;
    if (expires <= this.#now()) {
      this.#sessions.delete(session);
      return false;
    }
    return true;
  }

  /**
   * Ends a session.
   *
   * @param session The session id from the cookie, if any.
   */
  logout(session: string | undefined): void {
    if (session) this.#sessions.delete(session);
  }
}
