/**
 * Indian EPIC voter ID numbers: three letters and seven digits, the last a
 * Luhn check digit over the seven.
 */

const EPIC = /^[A-Z]{3}[0-9]{7}$/;

/**
 * Normalises a voter ID as typed: upper case, spaces and hyphens removed.
 *
 * @param raw The voter ID as entered.
 * @returns The normalised voter ID.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { normaliseVoterId } from "./voter_id.ts";
 * assert.equal(normaliseVoterId(" wkh-118 6253 "), "WKH1186253");
 * ```
 */
export function normaliseVoterId(raw: string): string {
  return raw.replace(/[\s-]+/g, "").toUpperCase();
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
