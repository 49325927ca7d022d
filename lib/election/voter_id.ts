/**
 * Indian EPIC voter ID numbers: three letters and seven digits, the last a
 * Luhn check digit over the seven.
 */

const EPIC = /^[A-Z]{3}[0-9]{7}$/;
const DIGIT = /^\p{Nd}$/u;
const PLAIN_ID = /^[A-Z0-9]+$/;

/**
 * Folds one decimal digit of any script (Devanagari `४`, Bengali `৪`,
 * full-width `４`, …) to its ASCII digit. Unicode keeps each script's digits
 * as a run of ten from zero, so a digit's value is its distance from the
 * start of its run, modulo ten (some runs hold several sets of ten).
 *
 * @param ch One character.
 * @returns Its ASCII digit, or the character unchanged when it is not a decimal digit.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { asciiDigit } from "./voter_id.ts";
 * assert.equal(asciiDigit("४"), "4");
 * assert.equal(asciiDigit("৯"), "9");
 * assert.equal(asciiDigit("０"), "0");
 * assert.equal(asciiDigit("x"), "x");
 * ```
 */
export function asciiDigit(ch: string): string {
  if (!DIGIT.test(ch)) return ch;
  let cp = ch.codePointAt(0)!;
  let start = cp;
  while (DIGIT.test(String.fromCodePoint(start - 1))) start--;
  cp -= start;
  return String(cp % 10);
}

/**
 * Folds every decimal digit of any script in `text` to ASCII.
 *
 * @param text Text as typed.
 * @returns The same text with ASCII digits.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { asciiDigits } from "./voter_id.ts";
 * assert.equal(asciiDigits("३४"), "34");
 * assert.equal(asciiDigits("age ৩৪"), "age 34");
 * ```
 */
export function asciiDigits(text: string): string {
  // ASCII digits are themselves: only text beyond ASCII needs the search.
  return NOT_ASCII.test(text) ? text.replace(/\p{Nd}/gu, asciiDigit) : text;
}

const NOT_ASCII = /[\u0080-\uffff]/;

/**
 * Normalises a voter ID as typed: compatibility forms folded (full-width
 * `ＷＫＨ` to `WKH`), digits of any script to ASCII, spaces and dashes
 * removed, ASCII letters upper-cased. Anything else is left in place for
 * `isVoterIdText` to refuse, so `ß` is never stored as `SS`.
 *
 * @param raw The voter ID as entered.
 * @returns The normalised voter ID.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { normaliseVoterId } from "./voter_id.ts";
 * assert.equal(normaliseVoterId(" wkh-118 6253 "), "WKH1186253");
 * assert.equal(normaliseVoterId("ＷＫＨ११८६२५३"), "WKH1186253");
 * assert.equal(normaliseVoterId("waß1186253"), "WAß1186253");
 * ```
 */
export function normaliseVoterId(raw: string): string {
  if (PLAIN_ID.test(raw)) return raw; // as typed by most: every step below would keep it
  return asciiDigits(raw.normalize("NFKC"))
    .replace(/[\s\p{Pd}]+/gu, "")
    .replace(/[a-z]+/g, (s) => s.toUpperCase());
}

/**
 * Tells whether a normalised voter ID holds only ASCII capitals and digits.
 *
 * @param id A voter ID passed through `normaliseVoterId`.
 * @returns Whether every character is `A`–`Z` or `0`–`9`.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { isVoterIdText, normaliseVoterId } from "./voter_id.ts";
 * assert.equal(isVoterIdText(normaliseVoterId("wkh1186253")), true);
 * assert.equal(isVoterIdText(normaliseVoterId("waß1186253")), false);
 * ```
 */
export function isVoterIdText(id: string): boolean {
  return /^[A-Z0-9]*$/.test(id);
}

/**
 * Checks a digit string with the Luhn algorithm (the last digit checks the rest).
 *
 * @param digits A string of ASCII digits.
 * @returns Whether the check digit matches.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { luhnValid } from "./voter_id.ts";
 * assert.equal(luhnValid("1186253"), true);
 * assert.equal(luhnValid("1186263"), false);
 * ```
 */
export function luhnValid(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

/**
 * Tells whether a normalised voter ID is a valid EPIC number.
 *
 * @param id A voter ID already passed through `normaliseVoterId`.
 * @returns Whether it has the EPIC form and a correct check digit.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { isValidEpic } from "./voter_id.ts";
 * assert.equal(isValidEpic("WKH1186253"), true);
 * assert.equal(isValidEpic("WKH1186263"), false);
 * assert.equal(isValidEpic("wkh1186253"), false); // normalise first
 * ```
 */
export function isValidEpic(id: string): boolean {
  return EPIC.test(id) && luhnValid(id.slice(3));
}

/**
 * Completes six digits with their Luhn check digit into an EPIC number.
 * Used to make valid test and benchmark voters.
 *
 * @param letters Three upper-case letters.
 * @param sixDigits A number from 0 to 999999.
 * @returns A valid EPIC number.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { isValidEpic, makeEpic } from "./voter_id.ts";
 * assert.equal(makeEpic("WKH", 118625), "WKH1186253");
 * assert.ok(isValidEpic(makeEpic("ABC", 7)));
 * ```
 */
export function makeEpic(letters: string, sixDigits: number): string {
  const body = String(sixDigits).padStart(6, "0");
  for (let check = 0; check < 10; check++) {
    if (luhnValid(body + check)) return `${letters}${body}${check}`;
  }
  throw new RangeError(`Cannot complete "${body}" with a check digit`);
}
