/**
 * Party logos as pages see them: URLs of the rendered PNGs by size, joined
 * with the parties. Rendering itself (`logos.ts`, with imagescript) is the
 * build's business; nothing here loads it.
 */
import type { Party, PartyView } from "../election/types.ts";

/** The square sizes, in pixels, every logo is made in. */
export const LOGO_SIZES = [64, 128, 256] as const;
/** A logo size, in pixels. */
export type LogoSize = typeof LOGO_SIZES[number];
/**
 * URL of each party's logo by size: `urls[partyId][128]` is
 * `/static/logos/cache/<party id>-128-<12 hex digits>.png`.
 */
export type LogoUrls = Record<string, Record<LogoSize, string>>;

/**
 * Joins the parties with their logo URLs, as pages and islands show them.
 *
 * @param parties The parties on the ballot.
 * @param urls The logos from `findLogos` (or `prepareLogos`), if any.
 * @param locale The page's language, for the symbols' descriptions (default English).
 * @returns One view per party, in ballot order; `logo` is null without logos.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { partyViews } from "./party_views.ts";
 * const parties = [{ id: "a", name: "A", color: "#112233", logo: "a.svg" }];
 * assert.deepEqual(partyViews(parties), [{ id: "a", name: "A", color: "#112233", logo: null }]);
 * const urls = { a: { 64: "/a-64.png", 128: "/a-128.png", 256: "/a-256.png" } };
 * assert.equal(partyViews(parties, urls)[0].logo?.[128], "/a-128.png");
 * const broom = [{ ...parties[0], symbol: { en: "a broom", hi: "झाड़ू" } }];
 * assert.equal(partyViews(broom, urls, "hi")[0].symbol, "झाड़ू");
 * assert.equal(partyViews([{ ...parties[0], symbol: "a lamp" }], urls, "hi")[0].symbol, "a lamp");
 * ```
 */
export function partyViews(
  parties: readonly Party[],
  urls?: LogoUrls,
  locale = "en",
): PartyView[] {
  return parties.map(({ id, name, color, symbol }) => {
    const view: PartyView = { id, name, color, logo: urls?.[id] ?? null };
    if (symbol === undefined) return view;
    const words = typeof symbol === "string" ? symbol : symbol[locale] ?? symbol.en ?? null;
    return { ...view, symbol: words };
  });
}
