/**
 * How voting codes are stored: an HMAC-SHA-256 of the voter ID and the code
 * under a key kept outside the database. Checking one costs microseconds on
 * the vote path, and someone holding the database but not the key cannot
 * test a single guess. (A slow hash would cost milliseconds of CPU per vote,
 * and over a space this small still falls to an offline search once the
 * database leaks.) Server-only: it uses `node:crypto`.
 */
import { createHash } from "node:crypto";
import { normaliseCode } from "./voting_code.ts";

/**
 * The stored form of a voter's code: HMAC-SHA-256 over the voter ID and the
 * normalised code, in hex. The voter ID in it means equal codes of two voters
 * hash differently.
 *
 * @param key The election's code key (32 random bytes).
 * @param voterId The normalised voter ID.
 * @param code The code, as typed or as issued.
 * @returns 64 hex digits.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { codeHash } from "./code_hash.ts";
 * const key = new Uint8Array(32);
 * assert.equal(codeHash(key, "WKH1186253", "7kq2m-x4tph"), codeHash(key, "WKH1186253", "7KQ2MX4TPH"));
 * assert.notEqual(codeHash(key, "WKH1186253", "7KQ2MX4TPH"), codeHash(key, "WKT0000018", "7KQ2MX4TPH"));
 * // It is HMAC-SHA-256:
 * import { createHmac } from "node:crypto";
 * const hmac = createHmac("sha256", key).update("WKH1186253\n7KQ2MX4TPH").digest("hex");
 * assert.equal(codeHash(key, "WKH1186253", "7KQ2MX4TPH"), hmac);
 * ```
 */
export function codeHash(key: Uint8Array, voterId: string, code: string): string {
  const [inner, outer] = pads(key);
  const message = `${voterId}\n${normaliseCode(code)}`;
  const innerDigest = createHash("sha256").update(inner).update(message).digest();
  return createHash("sha256").update(outer).update(innerDigest).digest("hex");
}

/**
 * HMAC (RFC 2104) built from two SHA-256 hashes with the padded keys cached:
 * Deno's `createHmac` costs about 11 µs a call, this about 2 µs, on the vote
 * path and a million times in an import. The doc example checks it against
 * `createHmac`.
 */
const padCache = new WeakMap<Uint8Array, [Uint8Array, Uint8Array]>();

function pads(key: Uint8Array): [Uint8Array, Uint8Array] {
  let cached = padCache.get(key);
  if (!cached) {
    const block = new Uint8Array(64);
    block.set(key.length > 64 ? createHash("sha256").update(key).digest() : key);
    cached = [block.map((b) => b ^ 0x36), block.map((b) => b ^ 0x5c)];
    padCache.set(key, cached);
  }
  return cached;
}

/**
 * Compares two code hashes in constant time: every character is looked at
 * whatever the first difference, so the time taken says nothing of where
 * the hashes part. It runs in the store for every vote with a code: two
 * `TextEncoder` copies and `node:crypto`'s `timingSafeEqual` took about 4 µs
 * there, this loop about 0.3 µs. Hashes of different lengths differ (the
 * length of a stored hash is no secret: always 64).
 *
 * @param a A hash in hex.
 * @param b Another.
 * @returns Whether they are equal.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { sameCodeHash } from "./code_hash.ts";
 * assert.equal(sameCodeHash("ab", "ab"), true);
 * assert.equal(sameCodeHash("ab", "ac"), false);
 * assert.equal(sameCodeHash("ab", "abc"), false);
 * assert.equal(sameCodeHash("", ""), true);
 * ```
 */
export function sameCodeHash(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let difference = 0;
  for (let i = 0; i < a.length; i++) difference |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return difference === 0;
}
