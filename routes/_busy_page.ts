/**
 * The page a browser's page load gets when its request budget is spent (429):
 * rendered once per language when the server starts, its wait written in per
 * refusal. The budget's answers are cheap on purpose (the guarded server
 * writes them before the app), so a refusal never renders Preact.
 */
import { formatNumber, type Locale, LOCALES } from "../lib/i18n/format.ts";
import { translate } from "../lib/i18n/catalogue.ts";
import type { BuildManifest } from "../runtime/manifest.ts";
import { problemHtml } from "./not_found.tsx";

/** The placeholder of the wait, left in the rendered page by `translate` (no value given). */
const WAIT = "{seconds}";

/** Different waits kept filled; past this many (a tiny budget's long waits), filled each time. */
const KEPT = 64;

/** The 429 pages, one per language, and the ones filled with a wait. */
export class BusyPages {
  readonly #templates: Record<Locale, string>;
  readonly #filled = new Map<string, string>();

  /**
   * Renders the page in every language.
   *
   * @param assets The build's stylesheets (the page is styled like the booth).
   */
  constructor(assets: BuildManifest | null) {
    const templates = {} as Record<Locale, string>;
    for (const locale of LOCALES) {
      templates[locale] = problemHtml(locale, assets, {
        title: "busy_title",
        text: [translate(locale, "busy_text"), translate(locale, "busy_wait")],
        error: true,
      });
    }
    this.#templates = templates;
  }

  /** The page in `locale`, telling the reader to wait `seconds`. */
  page(locale: Locale, seconds: number): string {
    const key = `${locale}${seconds}`;
    let page = this.#filled.get(key);
    if (page === undefined) {
      page = this.#templates[locale].replace(WAIT, formatNumber(locale, seconds));
      if (this.#filled.size < KEPT) this.#filled.set(key, page);
    }
    return page;
  }
}
