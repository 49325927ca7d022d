/**
 * One-time voting codes: ten characters from an alphabet without look-alikes
 * (no 0, O, 1, I or L), in two groups of five for reading aloud, about 49.5
 * bits of chance. A code is stored only as an HMAC-SHA-256 of the voter ID
 * and the code under a key kept outside the database: checking one costs
 * microseconds on the vote path, and someone holding the database but not
 * the key cannot test a single guess. (A slow hash would cost tens of
 * milliseconds of CPU per vote, and over a space this small still falls to
 * an offline search once the database leaks.)
 */
import { createHmac, timingSafeEqual } from "node:crypto";

/** The code alphabet: digits 2–9 and letters without I, L and O. */
export const CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ";
/** Characters in a code (without the hyphen). */
export const CODE_LENGTH = 10;

/**
 * Makes a random voting code, `XXXXX-XXXXX`, from the cryptographic generator
 * (rejection sampling, so every character is equally likely).
 *
 * @returns A new code.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { newVotingCode } from "./voting_code.ts";
 * assert.match(newVotingCode(), /^[2-9A-HJKMNP-Z]{5}-[2-9A-HJKMNP-Z]{5}$/);
 * ```
 */
export function newVotingCode(): string {
  let code = "";
  const bytes = new Uint8Array(32);
  while (code.length < CODE_LENGTH) {
    crypto.getRandomValues(bytes);
    for (const b of bytes) {
      // 248 = 8 × 31: bytes above it would favour the first characters.
      if (b < 248 && code.length < CODE_LENGTH) code += CODE_ALPHABET[b % 31];
    }
  }
  return `${code.slice(0, 5)}-${code.slice(5)}`;
}

/**
 * Normalises a code as typed: upper case, spaces and hyphens removed.
 *
 * @param raw The code as entered.
 * @returns The bare code.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { normaliseCode } from "./voting_code.ts";
 * assert.equal(normaliseCode(" 7kq2m - x4tph "), "7KQ2MX4TPH");
 * ```
 */
export function normaliseCode(raw: string): string {
  return raw.replace(/[\s-]+/g, "").toUpperCase();
}

/**
 * Tells whether a normalised code has the form of a voting code.
 *
 * @param code A code passed through `normaliseCode`.
 * @returns Whether it has ten characters of the alphabet.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { isCodeShaped } from "./voting_code.ts";
 * assert.equal(isCodeShaped("7KQ2MX4TPH"), true);
 * assert.equal(isCodeShaped("7KQ2MX4TP0"), false);
 * ```
 */
export function isCodeShaped(code: string): boolean {
  return code.length === CODE_LENGTH && [...code].every((c) => CODE_ALPHABET.includes(c));
}

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
 * import { codeHash } from "./voting_code.ts";
 * const key = new Uint8Array(32);
 * assert.equal(codeHash(key, "WKH1186253", "7kq2m-x4tph"), codeHash(key, "WKH1186253", "7KQ2MX4TPH"));
 * assert.notEqual(codeHash(key, "WKH1186253", "7KQ2MX4TPH"), codeHash(key, "WKT0000018", "7KQ2MX4TPH"));
 * ```
 */
export function codeHash(key: Uint8Array, voterId: string, code: string): string {
  return createHmac("sha256", key).update(`${voterId}\n${normaliseCode(code)}`).digest("hex");
}

/**
 * Compares two code hashes in constant time.
 *
 * @param a A hash in hex.
 * @param b Another.
 * @returns Whether they are equal.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { sameCodeHash } from "./voting_code.ts";
 * assert.equal(sameCodeHash("ab", "ab"), true);
 * assert.equal(sameCodeHash("ab", "ac"), false);
 * ```
 */
export function sameCodeHash(a: string, b: string): boolean {
  const x = new TextEncoder().encode(a);
  const y = new TextEncoder().encode(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
