/** Receipt codes: random, unguessable, easy to read aloud. */

/** Crockford's base-32 alphabet: no I, L, O or U to misread. */
const ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/**
 * Makes a random receipt code of 12 characters (60 bits) in three groups.
 *
 * @returns A code such as `K7QH-2M9D-X4TP`.
 * @example
 * ```ts
 * import { newReceipt } from "./receipt.ts";
 * /^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$/.test(newReceipt()); // true
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
