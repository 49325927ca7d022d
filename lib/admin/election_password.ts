/**
 * The election's own administrator password: generated once, when the
 * election's first start succeeds, and stored only as a slow hash beside the
 * sessions (`admin_sessions.ts`), so a restart keeps it and prints nothing.
 */
import { randomPassword } from "./admin_auth.ts";
import type { SessionStore } from "./admin_sessions.ts";
import { hashPassword, type ScryptParams } from "./password_hash.ts";

/** A password made for the election, and its hash, not stored yet. */
export interface MadePassword {
  /** The password in clear, shown to the administrator once (20 characters). */
  password: string;
  /** Its scrypt hash as stored (`password_hash.ts`). */
  hash: string;
}

/**
 * Makes a password for an election that has none yet, storing nothing: the
 * slow hash is computed now, before the server listens, and stored with
 * `keepElectionPassword` once the start has succeeded.
 *
 * @param store Where the election's password hash lives.
 * @param params The hash's cost (tests make it cheap); the defaults unless given.
 * @returns The password and its hash, or null when the election has a password.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { SqliteSessions } from "./admin_sessions.ts";
 * import { keepElectionPassword, makeElectionPassword } from "./election_password.ts";
 * const store = new SqliteSessions(":memory:");
 * const cheap = { logN: 10, r: 8, p: 1 };
 * const made = await makeElectionPassword(store, cheap);
 * assert.match(made!.password, /^[a-km-zA-HJ-NP-Z2-9]{20}$/);
 * assert.equal(await store.passwordHash(), null); // nothing stored before the start succeeds
 * assert.equal(await keepElectionPassword(store, made!), true);
 * assert.equal(await store.passwordHash(), made!.hash);
 * assert.equal(await makeElectionPassword(store, cheap), null); // a restart keeps it
 * await store.close();
 * ```
 */
export async function makeElectionPassword(
  store: SessionStore,
  params?: ScryptParams,
): Promise<MadePassword | null> {
  if ((await store.passwordHash()) !== null) return null;
  const password = randomPassword();
  return { password, hash: await hashPassword(password, params) };
}

/**
 * Stores a made password's hash unless the election has one by now. Of
 * several instances starting together on one PostgreSQL database, one
 * stores its password (and prints it) and the others get false.
 *
 * @param store Where the election's password hash lives.
 * @param made From `makeElectionPassword`.
 * @returns Whether this one was stored (then print it, once).
 */
export function keepElectionPassword(store: SessionStore, made: MadePassword): Promise<boolean> {
  return store.initPasswordHash(made.hash);
}
