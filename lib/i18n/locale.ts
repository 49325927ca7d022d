/** Choosing the interface's language: asked for, remembered, or the browser's preference. */
import { type Locale, LOCALES } from "./format.ts";

/** What a request says about the language it wants. */
export interface LocaleHints {
  /** `?lang=` on the address: the voter just chose. */
  asked?: string | null;
  /** The `lang` cookie: what the voter chose before. */
  remembered?: string | null;
  /** The browser's `Accept-Language` header. */
  acceptLanguage?: string | null;
}

function known(tag: string | null | undefined): Locale | null {
  const base = tag?.trim().toLowerCase().split("-")[0];
  return (LOCALES as readonly string[]).includes(base ?? "") ? base as Locale : null;
}

/**
 * Picks the language: the one just asked for, else the remembered one, else
 * the browser's most preferred language we have (by `q`), else English.
 *
 * @param hints What the request says.
 * @returns The language to answer in.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { chooseLocale } from "./locale.ts";
 * assert.equal(chooseLocale({ acceptLanguage: "hi-IN,hi;q=0.9,en;q=0.8" }), "hi");
 * assert.equal(chooseLocale({ acceptLanguage: "en-GB,hi;q=0.5" }), "en");
 * assert.equal(chooseLocale({ acceptLanguage: "ta-IN,hi;q=0.7,en;q=0.3" }), "hi");
 * assert.equal(chooseLocale({ remembered: "en", acceptLanguage: "hi" }), "en");
 * assert.equal(chooseLocale({ asked: "hi", remembered: "en" }), "hi");
 * assert.equal(chooseLocale({ asked: "xx", acceptLanguage: "fr" }), "en");
 * ```
 */
export function chooseLocale(hints: LocaleHints): Locale {
  const chosen = known(hints.asked) ?? known(hints.remembered);
  if (chosen) return chosen;
  const ranked = (hints.acceptLanguage ?? "").split(",").map((part, i) => {
    const [tag, ...params] = part.split(";");
    const q = params.map((p) => p.trim()).find((p) => p.startsWith("q="));
    const weight = q ? Number(q.slice(2)) : 1;
    return { locale: known(tag), weight: Number.isFinite(weight) ? weight : 0, i };
  }).filter((r) => r.locale && r.weight > 0)
    .sort((a, b) => b.weight - a.weight || a.i - b.i);
  return ranked[0]?.locale ?? "en";
}
