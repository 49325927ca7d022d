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

/**
 * Reads a receipt code as a voter may type it: any case, with or without
 * spaces and dashes, full-width characters folded, and Crockford's
 * look-alikes read as digits (`O` as 0, `I` and `L` as 1).
 *
 * @param typed The code as entered.
 * @returns The code as issued (`K7QH-2M9D-X4TP`), or null when it cannot be one.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { readReceipt } from "./receipt.ts";
 * assert.equal(readReceipt(" k7qh 2m9d x4tp "), "K7QH-2M9D-X4TP");
 * assert.equal(readReceipt("DAYA-5YPC-PR9H"), "DAYA-5YPC-PR9H");
 * assert.equal(readReceipt("OIL0-0000-0000"), "0110-0000-0000");
 * assert.equal(readReceipt("K7QH-2M9D"), null);
 * assert.equal(readReceipt("UUUU-UUUU-UUUU"), null);
 * ```
 */
export function readReceipt(typed: string): string | null {
  const plain = typed.normalize("NFKC").replace(/[\s\p{Pd}]+/gu, "").toUpperCase()
    .replace(/O/g, "0").replace(/[IL]/g, "1");
  if (plain.length !== 12 || [...plain].some((ch) => !ALPHABET.includes(ch))) return null;
  return `${plain.slice(0, 4)}-${plain.slice(4, 8)}-${plain.slice(8)}`;
}
