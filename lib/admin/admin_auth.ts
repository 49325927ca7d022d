/**
 * The administrator's password, sessions and the throttling of sign-in
 * guesses (`sign_in_throttle.ts`). Sessions, and the election's password
 * hash, live in a `SessionStore` (`admin_sessions.ts`) that every instance
 * shares, and survive a restart.
 */
import { clientKey, SignInThrottle, type ThrottleSettings } from "./sign_in_throttle.ts";
import { type SessionStore, SqliteSessions } from "./admin_sessions.ts";
import { verifyPassword } from "./password_hash.ts";

/**
 * How many guesses may wait for the slow hash at once while the server does
 * not know the password yet (after a restart, before the first sign-in);
 * more are turned away for a second, unchecked, so a flood from many
 * addresses cannot queue the administrator's own sign-in behind it.
 */
export const MAX_SLOW_CHECKS = 4;

/** How long a session lasts, in milliseconds (eight hours). */
export const SESSION_MS = 8 * 60 * 60 * 1000;

/**
 * How long a device token lasts, in milliseconds (30 days): a browser that
 * has signed in before, whose guesses pass the cap on slow checks
 * (`MAX_SLOW_CHECKS`) in a lane of their own (OWASP's "device cookies").
 * A flood of wrong guesses from countless new addresses then keeps out
 * strangers only, never the administrator's own browser, even signed out,
 * expired, or after a restart. "Sign out everywhere" and a new password end
 * the tokens too; a wrong guess with a token ends it.
 */
export const DEVICE_MS = 30 * 24 * 60 * 60 * 1000;

/** How a device token is kept in the session store: apart from sessions (which are 64 hex digits). */
const deviceKey = (device: string) => `device:${device}`;
const SESSION_ID = /^[0-9a-f]{64}$/;

function newToken(): string {
  return Array.from(
    crypto.getRandomValues(new Uint8Array(32)),
    (b) => b.toString(16).padStart(2, "0"),
  ).join("");
}

/**
 * The outcome of a login attempt. `session` is 64 hex digits (256 random bits);
 * `expires` is when it ends, in epoch milliseconds; `device` is a new device
 * token (64 hex digits) for this browser, valid until `deviceExpires`
 * (`DEVICE_MS`); `retryAfterMs` is how long
 * this address must wait before its next guess is checked, in milliseconds.
 */
export type LoginResult =
  | { ok: true; session: string; expires: number; device: string; deviceExpires: number }
  | { ok: false; reason: "wrong_password" }
  | { ok: false; reason: "throttled"; retryAfterMs: number };

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

/** The clock `AdminAuth` uses (tests move it instead of waiting), and the throttle's settings. */
export interface AdminAuthOptions {
  /** The time now, in epoch milliseconds; `Date.now` unless given. */
  now?: () => number;
  /** Changes to `THROTTLE_DEFAULTS`. */
  throttle?: Partial<ThrottleSettings>;
  /** Where sessions live; in memory unless given. */
  sessions?: SessionStore;
}

/**
 * The administrator's password and sessions.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { AdminAuth, SESSION_MS } from "./admin_auth.ts";
 * let now = 1_700_000_000_000; // epoch milliseconds, moved by hand
 * const auth = new AdminAuth("secret", { now: () => now });
 * assert.deepEqual(await auth.login("guess", "10.0.0.1"), { ok: false, reason: "wrong_password" });
 * const signIn = await auth.login("secret", "10.0.0.1");
 * assert.ok(signIn.ok);
 * assert.equal(signIn.expires, now + SESSION_MS);
 * assert.equal(await auth.isValid(signIn.session), true);
 * now += SESSION_MS;
 * assert.equal(await auth.isValid(signIn.session), false);
 * ```
 */
export class AdminAuth {
  readonly #password: Promise<Uint8Array> | null;
  /** The slow hash checks, one at a time: a flood of guesses takes at most one core. */
  #hashing: Promise<unknown> = Promise.resolve();
  /**
   * The SHA-256 of the password the stored hash was last seen to match, in
   * memory only: once the administrator has signed in, guesses are checked
   * against it in microseconds, so a flood from many addresses costs no
   * slow hashes. A new stored hash (another password) forgets it.
   */
  #known: { stored: string; digest: Uint8Array } | null = null;
  /** Guesses waiting for, or in, a slow check while the password is not known. */
  #slowPending = 0;
  /** The same, for guesses that came with a device token (a lane of their own). */
  #devicePending = 0;
  /** Where sessions and the password hash live (shared by every instance). */
  readonly sessions: SessionStore;
  readonly #throttle: SignInThrottle;
  readonly #now: () => number;
  /** How many guesses had their password checked (the throttle let them through). */
  checkedGuesses = 0;
  /** How many of them needed the slow hash (`password_hash.ts`). */
  slowChecks = 0;

  /**
   * Starts with no sessions and no failures.
   *
   * @param password The password to accept (hashed at once; the text is not kept),
   *   or null for the election's password: the slow hash stored in `options.sessions`,
   *   read at each sign-in, so a new one (`deno task admin-password`) holds at once.
   * @param options `now` lets tests move the clock; `throttle` changes its settings.
   */
  constructor(password: string | null, options: AdminAuthOptions = {}) {
    this.#password = password === null ? null : digest(password);
    this.#now = options.now ?? Date.now;
    this.#throttle = new SignInThrottle(options.throttle, this.#now);
    this.sessions = options.sessions ?? new SqliteSessions(":memory:");
  }

  /**
   * Checks a password from `address`, if the throttle admits the guess now:
   * it decides before anything is awaited, so parallel guesses cannot race it.
   *
   * @param password The password as typed, or a function that reads it
   *   (called only when the guess is admitted).
   * @param address Who is trying: the client's IP address.
   * @param device The device token from this browser's cookie, if any: a
   *   valid one puts a slow check in its own lane (`DEVICE_MS`).
   * @returns A new session, or why not.
   */
  async login(
    password: string | (() => Promise<string>),
    address: string,
    device?: string,
  ): Promise<LoginResult> {
    const token = device !== undefined && SESSION_ID.test(device) ? device : undefined;
    // The device token is looked up first (only while the password is not
    // known); from the lane's check on, nothing is awaited until the throttle
    // has decided, so parallel guesses cannot race it.
    const trusted = token !== undefined && this.#password === null && this.#known === null &&
      (await this.sessions.expiresAt(deviceKey(token), this.#now())) !== null;
    const slow = this.#password === null && this.#known === null;
    if (slow && (trusted ? this.#devicePending : this.#slowPending) >= MAX_SLOW_CHECKS) {
      return { ok: false, reason: "throttled", retryAfterMs: 1000 };
    }
    const admission = this.#throttle.admit(clientKey(address));
    if (!admission.ok) {
      return { ok: false, reason: "throttled", retryAfterMs: admission.retryAfterMs };
    }
    let right = false;
    const pending = (by: number) => {
      if (!slow) return;
      if (trusted) this.#devicePending += by;
      else this.#slowPending += by;
    };
    pending(1);
    try {
      this.checkedGuesses++;
      const typed = typeof password === "string" ? password : await password();
      right = await this.#check(typed);
    } finally {
      pending(-1);
      admission.done(right);
    }
    // A token is spent by any checked guess (a new one comes with a success):
    // a stolen one buys one guess in the lane.
    if (token !== undefined) await this.sessions.end(deviceKey(token));
    if (!right) return { ok: false, reason: "wrong_password" };
    const now = this.#now();
    const session = newToken();
    const expires = now + SESSION_MS;
    await this.sessions.create(session, expires, now);
    const newDevice = newToken();
    const deviceExpires = now + DEVICE_MS;
    await this.sessions.create(deviceKey(newDevice), deviceExpires, now);
    return { ok: true, session, expires, device: newDevice, deviceExpires };
  }

  /** Whether `typed` is the password: the given one, else the stored hash's. */
  async #check(typed: string): Promise<boolean> {
    if (this.#password) return sameBytes(await digest(typed), await this.#password);
    const stored = await this.sessions.passwordHash();
    if (stored === null) return false; // none yet: the start that succeeds stores it
    const typedDigest = await digest(typed);
    const known = this.#known;
    if (known?.stored === stored) return sameBytes(typedDigest, known.digest);
    // Another password now: the next guesses wait for slow checks, as many as allowed.
    if (known) this.#known = null;
    this.slowChecks++;
    const check = this.#hashing.then(() => verifyPassword(typed, stored));
    this.#hashing = check.catch(() => {});
    // An unreadable hash lets nobody in; `deno task admin-password` stores a new one.
    const right = await check.catch(() => false);
    if (right) this.#known = { stored, digest: typedDigest };
    return right;
  }

  /**
   * Tells the server the election's password it has just made, so that
   * guesses are checked against it without the slow hash from the start.
   *
   * @param password The password.
   * @param stored Its hash as stored (`password_hash.ts`).
   */
  async remember(password: string, stored: string): Promise<void> {
    this.#known = { stored, digest: await digest(password) };
  }

  /**
   * Whether a session id is valid now (not ended, not expired).
   *
   * @param session The session id from the cookie, if any.
   * @returns Whether it names a live session.
   */
  async isValid(session: string | undefined): Promise<boolean> {
    // Only a session id: a device token (kept in the same store) is no session.
    if (!session || !SESSION_ID.test(session)) return false;
    return (await this.sessions.expiresAt(session, this.#now())) !== null;
  }

  /**
   * Ends a session, on every instance.
   *
   * @param session The session id from the cookie, if any.
   */
  async logout(session: string | undefined): Promise<void> {
    if (session) await this.sessions.end(session);
  }

  /** Ends every session, on every instance ("sign out everywhere"). */
  async logoutEverywhere(): Promise<void> {
    await this.sessions.endAll();
  }
}
