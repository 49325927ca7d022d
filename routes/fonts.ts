/**
 * `GET /fonts/…`: the Devanagari web font, served from the npm package
 * `@fontsource/noto-sans-devanagari` (its Devanagari subset, regular and
 * bold, woff2), so Hindi renders on machines without a Devanagari font. The
 * package version is in the address, so browsers may keep the files a year.
 * `static/css/fonts.css` declares them with a `unicode-range`: a browser
 * downloads them only for a page with Devanagari text on it.
 */
import { Hono } from "hono";
import { createRequire } from "node:module";

/** The font package's version (as pinned in deno.json), part of every font's address. */
export const FONT_VERSION = "5.3.0";
/** The files served, by the name in their address. */
const FILES: Record<string, string> = {
  "noto-sans-devanagari-400.woff2": "noto-sans-devanagari-devanagari-400-normal.woff2",
  "noto-sans-devanagari-700.woff2": "noto-sans-devanagari-devanagari-700-normal.woff2",
};
const require = createRequire(import.meta.url);

/** The font routes. */
export function fonts(): Hono {
  const cache = new Map<string, Uint8Array<ArrayBuffer>>();
  return new Hono().get(`/${FONT_VERSION}/:file`, async (c) => {
    const name = c.req.param("file");
    if (!Object.hasOwn(FILES, name)) return c.notFound();
    let data = cache.get(name);
    if (!data) {
      data = await Deno.readFile(
        require.resolve(`@fontsource/noto-sans-devanagari/files/${FILES[name]}`),
      );
      cache.set(name, data);
    }
    return c.body(data, 200, {
      "Content-Type": "font/woff2",
      "Cache-Control": "public, max-age=31536000, immutable",
    });
  });
}
