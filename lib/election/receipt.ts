/** Receipt codes: random, unguessable, easy to read aloud. */

/** Crockford's base-32 alphabet: no I, L, O or U to misread. */
const ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/**
 * Makes a random receipt code of 12 characters (60 bits) in three groups.
 *
 * @returns A code such as `K7QH-2M9D-X4TP`.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { newReceipt } from "./receipt.ts";
 * // Crockford's alphabet: digits and capitals without I, L, O or U.
 * assert.match(newReceipt(), /^[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){2}$/);
 * assert.notEqual(newReceipt(), newReceipt());
 * ```
 */
export function newReceipt(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(12));
  let out = "";
  for (let i = 0; i < 12; i++) {
    if (i === 4 || i === 8) out += "-";
    out += ALPHABET[bytes[i] & 31];
  }
  return out;
}
