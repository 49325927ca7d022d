/**
 * The interface's words in English and Hindi: one typed catalogue per
 * language, keyed by message. A message is a whole sentence with
 * `{placeholders}` (filled by `fill()`), never pieces joined together, so a
 * translator can order the words as the language needs. TypeScript refuses a
 * Hindi catalogue that lacks a key of the English one.
 */
import { fill, type Locale } from "./format.ts";
import { type Catalogue, EN, type MessageKey } from "./en.ts";
import { HI } from "./hi.ts";
import { ADMIN_EN } from "./admin_en.ts";
import { ADMIN_HI } from "./admin_hi.ts";

export type { Catalogue, MessageKey };

const CATALOGUES: Record<Locale, Catalogue> = { en: EN, hi: HI };

/** A key of the administrator's catalogue (`admin_en.ts`). */
export type AdminKey = keyof typeof ADMIN_EN;

/** The administrator's messages in one language. */
export type AdminWords = Readonly<Record<AdminKey, string>>;

const ADMIN_CATALOGUES: Record<Locale, AdminWords> = { en: ADMIN_EN, hi: ADMIN_HI };

/**
 * The administrator's catalogue of a language (sign-in, panel, projector
 * view, slips): apart from the voter's, so the booth's bundle never carries it.
 *
 * @param locale The reader's language.
 * @returns Every administrator's message in that language.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { adminWords } from "./catalogue.ts";
 * assert.equal(adminWords("hi").sign_out, "साइन आउट");
 * ```
 */
export function adminWords(locale: Locale): AdminWords {
  return ADMIN_CATALOGUES[locale];
}

/**
 * One administrator's message in a language, its placeholders filled.
 *
 * @param locale The reader's language.
 * @param key The message.
 * @param params The placeholders' values (numbers are written in the locale's digits).
 * @returns The text to show.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { adminSay } from "./catalogue.ts";
 * assert.equal(adminSay("hi", "admin_roll_size", { voters: 40 }), "मतदाता सूची में ४० मतदाता हैं।");
 * ```
 */
export function adminSay(
  locale: Locale,
  key: AdminKey,
  params?: Record<string, string | number>,
): string {
  return fill(locale, ADMIN_CATALOGUES[locale][key], params);
}

/**
 * The catalogue of a language.
 *
 * @param locale The reader's language.
 * @returns Every message in that language.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { catalogue } from "./catalogue.ts";
 * assert.equal(catalogue("hi").confirm_button, "वोट की पुष्टि करें");
 * assert.equal(catalogue("en").confirm_button, "Confirm vote");
 * ```
 */
export function catalogue(locale: Locale): Catalogue {
  return CATALOGUES[locale];
}

/**
 * One message in a language, its placeholders filled.
 *
 * @param locale The reader's language.
 * @param key The message.
 * @param params The placeholders' values (numbers are written in the locale's digits).
 * @returns The text to show.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { translate } from "./catalogue.ts";
 * assert.equal(translate("en", "vote_for", { party: "AAP" }), "Vote for AAP");
 * assert.equal(translate("hi", "age_max", { max: 120 }), "कृपया अपनी आयु जाँचें: यह अधिकतम १२० हो सकती है।");
 * ```
 */
export function translate(
  locale: Locale,
  key: MessageKey,
  params?: Record<string, string | number>,
): string {
  return fill(locale, CATALOGUES[locale][key], params);
}

/**
 * Picks the keys an island needs, so a page sends only its own words.
 *
 * @param locale The reader's language.
 * @param keys The messages wanted.
 * @returns Those messages, unfilled.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { pick } from "./catalogue.ts";
 * assert.deepEqual(pick("en", ["copy", "print"]), { copy: "Copy code", print: "Print" });
 * ```
 */
export function pick<K extends MessageKey>(locale: Locale, keys: readonly K[]): Record<K, string> {
  const out = {} as Record<K, string>;
  for (const key of keys) out[key] = CATALOGUES[locale][key];
  return out;
}
