/**
 * Renders party logos (the build does this, never the server): PNGs of 64,
 * 128 and 256 px, rendered from SVG or resized from PNG/JPEG with imagescript,
 * cached on disk under the names `logo_cache.ts` gives them (they carry the
 * source's hash, so a changed source is rendered again).
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { Image } from "imagescript";
import type { Party } from "../election/types.ts";
import {
  LOGO_CACHE_DIR,
  LOGO_URL_PREFIX,
  LogoError,
  logoKind,
  readLogoSource,
  renderNames,
} from "./logo_cache.ts";
import { LOGO_SIZES, type LogoSize, type LogoUrls } from "./party_views.ts";

export { LOGO_CACHE_DIR, LOGO_SIZES, LogoError, type LogoSize, type LogoUrls };

/**
 * Resamples by averaging each target pixel's block of source pixels (with
 * alpha weighting), so a large picture shrinks smoothly instead of into noise.
 */
function resample(image: Image, width: number, height: number): Uint8Array {
  const src = image.bitmap;
  const out = new Uint8Array(width * height * 4);
  for (let ty = 0; ty < height; ty++) {
    const y0 = Math.floor(ty * image.height / height);
    const y1 = Math.max(y0 + 1, Math.floor((ty + 1) * image.height / height));
    for (let tx = 0; tx < width; tx++) {
      const x0 = Math.floor(tx * image.width / width);
      const x1 = Math.max(x0 + 1, Math.floor((tx + 1) * image.width / width));
      let r = 0, g = 0, b = 0, a = 0, n = 0;
      for (let y = y0; y < y1; y++) {
        for (let x = x0; x < x1; x++) {
          const i = (y * image.width + x) * 4;
          const alpha = src[i + 3];
          r += src[i] * alpha;
          g += src[i + 1] * alpha;
          b += src[i + 2] * alpha;
          a += alpha;
          n++;
        }
      }
      const o = (ty * width + tx) * 4;
      if (a > 0) {
        out[o] = Math.round(r / a);
        out[o + 1] = Math.round(g / a);
        out[o + 2] = Math.round(b / a);
        out[o + 3] = Math.round(a / n);
      }
    }
  }
  return out;
}

/**
 * Renders a logo source (PNG, JPEG or SVG bytes) as a square PNG of `size`
 * pixels, keeping its proportions and centring it on a transparent ground.
 *
 * @param data The source file's bytes.
 * @param size The side of the square, in pixels.
 * @returns The PNG bytes.
 * @throws {LogoError} When the data is not a PNG, JPEG or SVG image or cannot be decoded.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { Image } from "imagescript";
 * import { renderLogo } from "./logos.ts";
 * const svg = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><circle cx="5" cy="5" r="5"/></svg>';
 * const png = await Image.decode(await renderLogo(new TextEncoder().encode(svg), 64));
 * assert.equal(png.width, 64);
 * assert.equal(png.height, 64);
 * await assert.rejects(renderLogo(new TextEncoder().encode("text"), 64), /not a PNG, JPEG or SVG/);
 * ```
 */
export async function renderLogo(data: Uint8Array, size: number): Promise<Uint8Array> {
  const kind = logoKind(data);
  if (!kind) throw new LogoError("it is not a PNG, JPEG or SVG image");
  let source: Image;
  try {
    source = kind === "svg"
      ? await Image.renderSVG(new TextDecoder().decode(data), size, Image.SVG_MODE_WIDTH)
      : await Image.decode(data);
  } catch (e) {
    throw new LogoError(`the ${kind.toUpperCase()} image cannot be read (${(e as Error).message})`);
  }
  const scale = Math.min(size / source.width, size / source.height);
  const width = Math.max(1, Math.round(source.width * scale));
  const height = Math.max(1, Math.round(source.height * scale));
  const scaled = new Image(width, height);
  scaled.bitmap.set(
    width === source.width && height === source.height
      ? source.bitmap
      : resample(source, width, height),
  );
  const square = new Image(size, size);
  square.composite(scaled, Math.floor((size - width) / 2), Math.floor((size - height) / 2));
  return await square.encode();
}

/**
 * Makes (or finds in the cache) every party's logo in every size, and (unless
 * told not to) removes cached renders of older versions of the same logos.
 *
 * @param parties The parties on the ballot.
 * @param cacheDir Where rendered PNGs are kept (default `static/logos/cache/`).
 * @param options `prune: false` keeps older renders of the same party ids (the
 *   build renders several ballots into one cache, which may share ids).
 * @returns The URL of each logo by party id and size.
 * @throws {LogoError} When a logo is missing or broken; the message names the file.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { prepareLogos } from "./logos.ts";
 * import { findLogos } from "./logo_cache.ts";
 * import { DEFAULT_PARTIES } from "../election/parties.ts";
 * const cache = await Deno.makeTempDir();
 * const urls = await prepareLogos(DEFAULT_PARTIES, cache);
 * assert.match(urls.bjp[64], /^\/static\/logos\/cache\/bjp-64-[0-9a-f]{12}\.png$/);
 * assert.deepEqual(await findLogos(DEFAULT_PARTIES, cache), urls); // what the server finds
 * await Deno.remove(cache, { recursive: true });
 * ```
 */
export async function prepareLogos(
  parties: readonly Party[],
  cacheDir: string = LOGO_CACHE_DIR,
  options: { prune?: boolean } = {},
): Promise<LogoUrls> {
  await Deno.mkdir(cacheDir, { recursive: true });
  const urls: LogoUrls = {};
  const keep = new Set<string>();
  for (const party of parties) {
    const data = await readLogoSource(party);
    const names = renderNames(party.id, data);
    const sizes = {} as Record<LogoSize, string>;
    for (const size of LOGO_SIZES) {
      const name = names[size];
      keep.add(name);
      const path = join(cacheDir, name);
      if (!existsSync(path)) {
        let png: Uint8Array;
        try {
          png = await renderLogo(data, size);
        } catch (e) {
          throw new LogoError(
            `the logo of party ${party.id}, ${party.logo}: ${(e as Error).message}`,
          );
        }
        const tmp = `${path}.${crypto.randomUUID()}.tmp`;
        await Deno.writeFile(tmp, png);
        await Deno.rename(tmp, path);
      }
      sizes[size] = LOGO_URL_PREFIX + name;
    }
    urls[party.id] = sizes;
  }
  if (options.prune === false) return urls;
  const ids = new Set(parties.map((p) => p.id));
  for await (const entry of Deno.readDir(cacheDir)) {
    const id = entry.name.replace(/-\d+-[0-9a-f]{12}\.png$/, "");
    if (ids.has(id) && !keep.has(entry.name)) await Deno.remove(join(cacheDir, entry.name));
  }
  return urls;
}
