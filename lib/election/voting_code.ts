/**
 * One-time voting codes: ten characters from an alphabet without look-alikes
 * (no 0, O, 1, I or L), in two groups of five for reading aloud, about 49.5
 * bits of chance. How codes are stored: `code_hash.ts`. This module runs in
 * the browser too (the booth checks a code's form before sending).
 */

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
