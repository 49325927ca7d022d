/**
 * Filling a catalogue message's `{placeholders}` and writing numbers the way
 * a reader of the locale expects. Small on purpose: the booth island imports
 * it, never the catalogues themselves (a page sends its island only the
 * messages of its own language).
 */

/** The languages of the interface. */
export type Locale = "en" | "hi";

/** The locales, in the order the language switch lists them. */
export const LOCALES: readonly Locale[] = ["en", "hi"];

/** The `Intl` locale of each: Hindi numbers in Devanagari digits with Indian grouping. */
const INTL: Record<Locale, string> = { en: "en-IN", hi: "hi-IN-u-nu-deva" };

/**
 * Writes a number in the reader's digits and grouping.
 *
 * @param locale The reader's language.
 * @param n The number.
 * @returns The number as text.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { formatNumber } from "./format.ts";
 * assert.equal(formatNumber("en", 123456), "1,23,456");
 * assert.equal(formatNumber("hi", 34), "३४");
 * ```
 */
export function formatNumber(locale: Locale, n: number): string {
  return new Intl.NumberFormat(INTL[locale], { maximumFractionDigits: 1 }).format(n);
}

/**
 * Writes the ASCII digits of a text (a time, say) in the locale's digits, as
 * its counts are: Devanagari in Hindi.
 *
 * @param locale The reader's language.
 * @param text Text with ASCII digits.
 * @returns The text with its digits in the locale's script.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { localDigits } from "./format.ts";
 * assert.equal(localDigits("hi", "05:55:22 IST"), "०५:५५:२२ IST");
 * assert.equal(localDigits("en", "05:55:22 IST"), "05:55:22 IST");
 * ```
 */
export function localDigits(locale: Locale, text: string): string {
  if (locale !== "hi") return text;
  return text.replace(/[0-9]/g, (d) => String.fromCharCode(0x0966 + Number(d)));
}

/**
 * Fills the `{name}` placeholders of a message; numbers are written in the
 * locale's digits, text is inserted as given, and an unknown placeholder is
 * left visible rather than silently dropped.
 *
 * @param locale The reader's language (for numbers).
 * @param template A catalogue message.
 * @param params The values of its placeholders.
 * @returns The message to show.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { fill } from "./format.ts";
 * assert.equal(fill("en", "At most {max} characters.", { max: 100 }), "At most 100 characters.");
 * assert.equal(fill("hi", "अधिकतम {max} अक्षर।", { max: 100 }), "अधिकतम १०० अक्षर।");
 * assert.equal(fill("en", "Vote for {party}", { party: "AAP" }), "Vote for AAP");
 * ```
 */
export function fill(
  locale: Locale,
  template: string,
  params: Record<string, string | number> = {},
): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => {
    const value = params[name];
    if (value === undefined) return whole;
    return typeof value === "number" ? formatNumber(locale, value) : value;
  });
}
