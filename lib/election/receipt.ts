/** Receipt codes: random, unguessable, easy to read aloud. */

/** Crockford's base-32 alphabet: no I, L, O or U to misread. */
const ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/** Three groups of four letters of `ALPHABET`, joined by hyphens. */
const RECEIPT_CODE = new RegExp(`^[${ALPHABET}]{4}-[${ALPHABET}]{4}-[${ALPHABET}]{4}$`);

/**
 * Makes a random receipt code of 12 characters (60 bits) in three groups.
 *
 * @returns A code such as `K7QH-2M9D-X4TP`.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { isReceiptCode, newReceipt } from "./receipt.ts";
 * const code = newReceipt();
 * // Crockford's alphabet: digits and capitals without I, L, O or U.
 * assert.match(code, /^[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){2}$/);
 * assert.ok(isReceiptCode(code));
 * assert.notEqual(newReceipt(), code);
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

const SLOT_BITS = 30;
const SLOT_MASK = 2 ** SLOT_BITS - 1;

function encode(value: number, chars: number): string {
  let out = "";
  for (let i = chars - 1; i >= 0; i--) out += ALPHABET[Math.floor(value / 32 ** i) % 32];
  return out;
}

function decode(text: string): number {
  let value = 0;
  for (const c of text) {
    const digit = ALPHABET.indexOf(c);
    if (digit < 0) return NaN;
    value = value * 32 + digit;
  }
  return value;
}

function grouped(code: string): string {
  return `${code.slice(0, 4)}-${code.slice(4, 8)}-${code.slice(8)}`;
}

/**
 * Makes a receipt code for the ballot in box slot `slot`: 30 random bits
 * (the tag), then the slot hidden under a scramble of them (the slot is
 * random too, so the code tells nothing of when the ballot was cast; the
 * scramble keeps a small slot from showing as a repeat of the first half).
 * `receiptParts` reads both back.
 *
 * @param slot The slot, from 0 to 2³⁰ − 1.
 * @param tag The 30 random bits; drawn afresh when not given (a stored
 *   ballot's code is made again from its slot and tag).
 * @returns A code such as `K7QH-2M9D-X4TP`.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { receiptParts, receiptSlot, slotReceipt } from "./receipt.ts";
 * const code = slotReceipt(123_456);
 * assert.match(code, /^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$/);
 * assert.equal(receiptSlot(code), 123_456);
 * const { tag } = receiptParts(code)!;
 * assert.equal(slotReceipt(123_456, tag), code);
 * ```
 */
export function slotReceipt(slot: number, tag?: number): string {
  const random = (tag ?? crypto.getRandomValues(new Uint32Array(1))[0]) & SLOT_MASK;
  return grouped(encode(random, 6) + encode((slot ^ scramble(random)) >>> 0, 6));
}

/** A fixed 30-bit mix of 30 bits (xorshift-multiply rounds): not secret, only not a pattern. */
function scramble(bits: number): number {
  let x = bits;
  x = Math.imul(x ^ (x >>> 15), 0x2c1b3c6d);
  x = Math.imul(x ^ (x >>> 12), 0x297a2d39);
  return (x ^ (x >>> 15)) & SLOT_MASK;
}

/**
 * The box slot and the random tag of a receipt code made by `slotReceipt`.
 *
 * @param code A receipt code, with or without hyphens.
 * @returns The slot (0 to 2³⁰ − 1) and tag (30 bits), or null when the code cannot be one.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { receiptParts } from "./receipt.ts";
 * assert.deepEqual(receiptParts("0000-0000-0011"), { slot: 33, tag: 0 });
 * assert.equal(receiptParts("not a code"), null);
 * ```
 */
export function receiptParts(code: string): { slot: number; tag: number } | null {
  const plain = code.replaceAll("-", "");
  if (plain.length !== 12) return null;
  const tag = decode(plain.slice(0, 6));
  const hidden = decode(plain.slice(6));
  if (Number.isNaN(hidden) || Number.isNaN(tag)) return null;
  return { slot: (hidden ^ scramble(tag)) >>> 0, tag };
}

/**
 * The box slot a receipt code made by `slotReceipt` names.
 *
 * @param code A receipt code, with or without hyphens.
 * @returns The slot, or null when the code cannot be one.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { receiptSlot } from "./receipt.ts";
 * assert.equal(receiptSlot("0000-0000-0011"), 33);
 * assert.equal(receiptSlot("not a code"), null);
 * ```
 */
export function receiptSlot(code: string): number | null {
  return receiptParts(code)?.slot ?? null;
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

/**
 * Tells whether a text is a receipt code `newReceipt()` could have made:
 * three groups of four upper-case letters of Crockford's alphabet (digits
 * and letters, never I, L, O or U). Callers upper-case what a voter typed.
 *
 * @param code The text to check.
 * @returns Whether it has the shape and the letters of a receipt code.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { isReceiptCode } from "./receipt.ts";
 * assert.equal(isReceiptCode("K7QH-2M9D-X4TP"), true);
 * assert.equal(isReceiptCode("K7QH-2M9D-X4TO"), false); // no O in the alphabet
 * assert.equal(isReceiptCode("k7qh-2m9d-x4tp"), false); // upper case only
 * assert.equal(isReceiptCode("K7QH2M9DX4TP"), false);
 * ```
 */
export function isReceiptCode(code: string): boolean {
  return RECEIPT_CODE.test(code);
}

/**
 * Reads a receipt code as a voter may type it, by Crockford's decoding rules:
 * case, spaces and hyphens do not matter, `O` is read as `0` and `I` or `L`
 * as `1` (https://www.crockford.com/base32.html).
 *
 * @param typed What the voter typed.
 * @returns The code in `newReceipt()`'s form, or null when it cannot be one.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { normaliseReceipt } from "./receipt.ts";
 * assert.equal(normaliseReceipt("b3ex-o16g-dah2"), "B3EX-016G-DAH2");
 * assert.equal(normaliseReceipt(" B3EX 0I6G DAH2 "), "B3EX-016G-DAH2");
 * assert.equal(normaliseReceipt("B3EX-016G-DAHU"), null); // U is never used
 * assert.equal(normaliseReceipt("B3EX-016G"), null);
 * ```
 */
export function normaliseReceipt(typed: string): string | null {
  const plain = typed.toUpperCase().replace(/[\s-]/g, "").replace(/O/g, "0").replace(/[IL]/g, "1");
  if (plain.length !== 12) return null;
  const code = `${plain.slice(0, 4)}-${plain.slice(4, 8)}-${plain.slice(8)}`;
  return isReceiptCode(code) ? code : null;
}
