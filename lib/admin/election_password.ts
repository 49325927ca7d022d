/**
 * The election's own administrator password: generated once, when the
 * election's first start succeeds, and stored only as a slow hash beside the
 * sessions (`admin_sessions.ts`), so a restart keeps it and prints nothing.
 */
import { randomPassword } from "./admin_auth.ts";
import type { SessionStore } from "./admin_sessions.ts";
import { hashPassword, type ScryptParams } from "./password_hash.ts";

/**
 * Gives the election a password if it has none yet. Of several instances
 * starting together on one PostgreSQL database, one stores its password and
 * the others get null.
 *
 * @param store Where the election's password hash lives.
 * @param params The hash's cost (tests make it cheap); the defaults unless given.
 * @returns The new password, to print once, and its stored hash; null when the election has one.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { SqliteSessions } from "./admin_sessions.ts";
 * import { ensureElectionPassword } from "./election_password.ts";
 * const store = new SqliteSessions(":memory:");
 * const cheap = { logN: 10, r: 8, p: 1 };
 * const made = await ensureElectionPassword(store, cheap);
 * assert.match(made!.password, /^[a-km-zA-HJ-NP-Z2-9]{20}$/);
 * assert.equal(made!.hash, await store.passwordHash());
 * assert.equal(await ensureElectionPassword(store, cheap), null); // a restart keeps it
 * await store.close();
 * ```
 */
export async function ensureElectionPassword(
  store: SessionStore,
  params?: ScryptParams,
): Promise<{ password: string; hash: string } | null> {
  if ((await store.passwordHash()) !== null) return null;
  const password = randomPassword();
  const hash = await hashPassword(password, params);
  return await store.initPasswordHash(hash) ? { password, hash } : null;
}
