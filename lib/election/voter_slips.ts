/**
 * Voter slips: a printable A4 page (HTML, several slips per sheet) with each
 * voter's name, voter ID, one-time code, the booth's address and a QR code
 * that opens the booth with the voter ID and code filled in. The code travels
 * in the URL's fragment (`#voterId=…&code=…`), which browsers never send to a
 * server or a proxy's log.
 */
import QRCode from "qrcode";
import { adminSay } from "../i18n/catalogue.ts";
import type { Locale } from "../i18n/format.ts";

/** One voter's slip. */
export interface Slip {
  /** The voter's EPIC number, normalised. */
  voterId: string;
  /** The name as on the roll. */
  name: string;
  /** The one-time voting code, as the voter types it (`7KQ2M-X4TPH`). */
  code: string;
}

function escapeHtml(text: string): string {
  return text.replace(
    /[&<>"']/g,
    (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!,
  );
}

/**
 * The booth link a slip's QR code holds.
 *
 * @param boothUrl The booth's public address.
 * @param slip The voter.
 * @returns The link, with voter ID and code in the fragment.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { slipLink } from "./voter_slips.ts";
 * const link = slipLink("https://vote.example/", { voterId: "WKH1186253", name: "A", code: "7KQ2M-X4TPH" });
 * assert.equal(link, "https://vote.example/#voterId=WKH1186253&code=7KQ2M-X4TPH");
 * ```
 */
export function slipLink(boothUrl: string, slip: Slip): string {
  const url = new URL(boothUrl);
  url.hash = new URLSearchParams({ voterId: slip.voterId, code: slip.code }).toString();
  return url.href;
}

/**
 * The page's head and print styles, up to the first slip.
 *
 * @param title The election's title, printed on each slip.
 * @param locale The slips' language (`--slips-lang`, English by default).
 * @returns HTML.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { slipsHeader } from "./voter_slips.ts";
 * assert.match(slipsHeader("Ward 7"), /@page \{ size: A4/);
 * assert.match(slipsHeader("वार्ड ७", "hi"), /<html lang="hi">.*मतदाता पर्चियाँ: वार्ड ७/s);
 * ```
 */
export function slipsHeader(title: string, locale: Locale = "en"): string {
  const say = (key: Parameters<typeof adminSay>[1], params?: Record<string, string>) =>
    escapeHtml(adminSay(locale, key, params));
  return `<!doctype html>
<html lang="${locale}"><head><meta charset="utf-8"><title>${say("slips_title", { title })}</title>
<style>
@page { size: A4; margin: 10mm; }
body { font: 11pt/1.35 system-ui, sans-serif; margin: 0; }
.slips { display: grid; grid-template-columns: 1fr 1fr; gap: 6mm; }
.slip { border: 1px dashed #555; padding: 4mm; display: flex; gap: 4mm; break-inside: avoid; height: 60mm; box-sizing: border-box; }
.slip svg { width: 40mm; height: 40mm; flex: none; }
.slip h2 { font-size: 10pt; margin: 0 0 2mm; font-weight: normal; }
.slip .name { font-weight: bold; font-size: 12pt; }
.slip .code { font: bold 15pt/1.2 ui-monospace, monospace; letter-spacing: 0.08em; }
.slip .url { font-size: 8pt; word-break: break-all; }
@media print { .screen-only { display: none; } }
</style></head><body>
<p class="screen-only">${say("slips_print_note")}</p>
<main class="slips">
`;
}

/**
 * One slip as HTML, with its QR code as an inline SVG.
 *
 * @param slip The voter and their code.
 * @param options The booth's public address, the election's title and the slip's language.
 * @returns HTML.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { slipHtml } from "./voter_slips.ts";
 * const html = await slipHtml({ voterId: "WKH1186253", name: "Asha <Rao>", code: "7KQ2M-X4TPH" }, {
 *   boothUrl: "https://vote.example/",
 *   title: "Ward 7",
 * });
 * assert.match(html, /Asha &lt;Rao&gt;/);
 * assert.match(html, /<svg/);
 * ```
 */
export async function slipHtml(
  slip: Slip,
  options: { boothUrl: string; title: string; locale?: Locale },
): Promise<string> {
  const link = slipLink(options.boothUrl, slip);
  const qr = await QRCode.toString(link, { type: "svg", errorCorrectionLevel: "M", margin: 1 });
  const locale = options.locale ?? "en";
  // Each message is escaped whole, then the marked-up value put in its place.
  const say = (key: Parameters<typeof adminSay>[1], name: string, html: string) =>
    escapeHtml(adminSay(locale, key, { [name]: `\u0000` })).replace("\u0000", html);
  return `<section class="slip" data-voter-id="${escapeHtml(slip.voterId)}">${qr}<div>
<h2>${say("slip_title", "title", escapeHtml(options.title))}</h2>
<p class="name">${escapeHtml(slip.name)}</p>
<p>${say("slip_voter_id", "voterId", `<strong>${escapeHtml(slip.voterId)}</strong>`)}</p>
<p>${say("slip_code", "code", `<span class="code">${escapeHtml(slip.code)}</span>`)}</p>
<p class="url">${say("slip_vote_at", "url", escapeHtml(options.boothUrl))}</p>
</div></section>
`;
}

/** The end of the slips page. */
export const SLIPS_FOOTER = "</main></body></html>\n";
