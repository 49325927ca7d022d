/**
 * Joining the election: the booth URL voters are given, as a QR code for the
 * terminal and for the projector view (`/present`). The codes are drawn by the
 * well-kept `qrcode` library.
 */
// @ts-types="@types/qrcode"
import QRCode from "qrcode";

/**
 * Picks the booth URL to show voters: the first LAN address when there is
 * one (a phone cannot reach the organiser's `localhost`), else the first URL.
 *
 * @param baseUrls Base URLs as `serverUrls()` lists them, localhost first.
 * @returns The booth's URL, ending in `/`.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { boothUrl } from "./join_qr.ts";
 * assert.equal(boothUrl(["http://localhost:8000", "http://192.168.1.5:8000"]), "http://192.168.1.5:8000/");
 * assert.equal(boothUrl(["http://127.0.0.1:8000"]), "http://127.0.0.1:8000/");
 * ```
 */
export function boothUrl(baseUrls: readonly string[]): string {
  const lan = baseUrls.find((u) => !/^https?:\/\/(localhost|127\.|\[::1\])/.test(u));
  return `${lan ?? baseUrls[0]}/`;
}

/**
 * The QR code of `url` for a terminal: two modules per character, dark on a
 * light background whatever the terminal's colours.
 *
 * @param url The URL to encode.
 * @returns Lines of text with ANSI colours, ending in a line break.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { joinQrTerminal } from "./join_qr.ts";
 * const text = await joinQrTerminal("http://192.168.1.5:8000/");
 * assert.match(text, /█/);
 * assert.ok(text.split("\n").length > 10);
 * ```
 */
export async function joinQrTerminal(url: string): Promise<string> {
  return await QRCode.toString(url, { type: "terminal", small: true, errorCorrectionLevel: "M" });
}

/**
 * The QR code of `url` as an SVG document, black on white with a quiet zone,
 * scaled by its container.
 *
 * @param url The URL to encode.
 * @returns The SVG markup (no script, no style element).
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { joinQrSvg } from "./join_qr.ts";
 * const svg = await joinQrSvg("http://192.168.1.5:8000/");
 * assert.match(svg, /^<svg xmlns="http:\/\/www.w3.org\/2000\/svg" viewBox="0 0 \d+ \d+"/);
 * assert.doesNotMatch(svg, /<script|<style/);
 * ```
 */
export async function joinQrSvg(url: string): Promise<string> {
  return await QRCode.toString(url, {
    type: "svg",
    margin: 4,
    errorCorrectionLevel: "M",
    color: { dark: "#000000", light: "#ffffff" },
  });
}
