/**
 * Party logos as the pages use them: PNGs of 64, 128 and 256 px, rendered
 * from SVG or resized from PNG/JPEG with imagescript, cached on disk under
 * names that carry the source's hash (so a changed source is re-rendered).
 */
import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { isAbsolute, join, resolve } from "node:path";
import { Image } from "imagescript";
import type { Party, PartyView } from "../election/types.ts";

/** The square sizes, in pixels, every logo is made in. */
export const LOGO_SIZES = [64, 128, 256] as const;
/** A logo size. */
export type LogoSize = typeof LOGO_SIZES[number];
/** URL of each party's logo by size: `urls[partyId][128]`. */
export type LogoUrls = Record<string, Record<LogoSize, string>>;

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
/** Where rendered logos are cached; served under `/static/logos/cache/`. */
export const LOGO_CACHE_DIR = join(ROOT, "static", "logos", "cache");
const URL_PREFIX = "/static/logos/cache/";
/** Changes whenever rendering changes, so old renders are not reused. */
const RENDER_VERSION = "1";
const MAX_SOURCE_BYTES = 10 * 1024 * 1024;

/** A logo file that is missing or cannot be used; the message names the file. */
export class LogoError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "LogoError";
  }
}

function kindOf(data: Uint8Array): "png" | "jpeg" | "svg" | null {
  if (data[0] === 0x89 && data[1] === 0x50 && data[2] === 0x4e && data[3] === 0x47) return "png";
  if (data[0] === 0xff && data[1] === 0xd8 && data[2] === 0xff) return "jpeg";
  const head = new TextDecoder().decode(data.subarray(0, 4096));
  return /<svg[\s>]/.test(head) ? "svg" : null;
}

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
 * import { renderLogo } from "./logos.ts";
 * const svg = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><circle cx="5" cy="5" r="5"/></svg>';
 * const png = await renderLogo(new TextEncoder().encode(svg), 64);
 * // A PNG signature, then the IHDR chunk: width and height are 64.
 * assert.deepEqual([...png.subarray(1, 4)], [0x50, 0x4e, 0x47]);
 * const header = new DataView(png.buffer, png.byteOffset);
 * assert.equal(header.getUint32(16), 64);
 * assert.equal(header.getUint32(20), 64);
 * ```
 */
export async function renderLogo(data: Uint8Array, size: number): Promise<Uint8Array> {
  const kind = kindOf(data);
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

/** Finds a logo file: absolute, relative to the working folder, or to the project. */
function locate(logo: string): string {
  if (isAbsolute(logo)) return logo;
  const here = resolve(logo);
  return existsSync(here) ? here : join(ROOT, logo);
}

async function readSource(party: Party): Promise<Uint8Array> {
  const path = locate(party.logo);
  let data: Uint8Array;
  try {
    data = await Deno.readFile(path);
  } catch (e) {
    throw new LogoError(
      `the logo of party ${party.id}, ${party.logo}, cannot be read: ${(e as Error).message}`,
    );
  }
  if (data.length > MAX_SOURCE_BYTES) {
    throw new LogoError(`the logo of party ${party.id}, ${party.logo}, is larger than 10 MB`);
  }
  return data;
}

/**
 * Makes (or finds in the cache) every party's logo in every size, and removes
 * cached renders of older versions of the same logos.
 *
 * @param parties The parties on the ballot.
 * @param cacheDir Where rendered PNGs are kept (default `static/logos/cache/`).
 * @returns The URL of each logo by party id and size.
 * @throws {LogoError} When a logo is missing or broken; the message names the file.
 * @example
 * ```ts ignore
 * // Illustrative: writes PNG files under static/ (tests/logos_test.ts checks them).
 * import { prepareLogos } from "./logos.ts";
 * import { DEFAULT_PARTIES } from "../election/parties.ts";
 * const urls = await prepareLogos(DEFAULT_PARTIES);
 * urls.bjp[64]; // "/static/logos/cache/bjp-64-….png"
 * ```
 */
export async function prepareLogos(
  parties: readonly Party[],
  cacheDir: string = LOGO_CACHE_DIR,
): Promise<LogoUrls> {
  await Deno.mkdir(cacheDir, { recursive: true });
  const urls: LogoUrls = {};
  const keep = new Set<string>();
  for (const party of parties) {
    const data = await readSource(party);
    const hash = createHash("sha256").update(RENDER_VERSION).update(data).digest("hex").slice(
      0,
      12,
    );
    const sizes = {} as Record<LogoSize, string>;
    for (const size of LOGO_SIZES) {
      const name = `${party.id}-${size}-${hash}.png`;
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
      sizes[size] = URL_PREFIX + name;
    }
    urls[party.id] = sizes;
  }
  const ids = new Set(parties.map((p) => p.id));
  for await (const entry of Deno.readDir(cacheDir)) {
    const id = entry.name.replace(/-\d+-[0-9a-f]{12}\.png$/, "");
    if (ids.has(id) && !keep.has(entry.name)) await Deno.remove(join(cacheDir, entry.name));
  }
  return urls;
}

/**
 * Joins the parties with their logo URLs, as pages and islands show them.
 *
 * @param parties The parties on the ballot.
 * @param urls The logos from `prepareLogos`, if any.
 * @returns One view per party, in ballot order.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { partyViews } from "./logos.ts";
 * const party = { id: "a", name: "A", color: "#112233", logo: "/srv/a.svg" };
 * assert.deepEqual(partyViews([party]), [{ id: "a", name: "A", color: "#112233", logo: null }]);
 * const urls = { a: { 64: "/a-64.png", 128: "/a-128.png", 256: "/a-256.png" } };
 * assert.deepEqual(partyViews([party], urls)[0].logo, urls.a);
 * ```
 */
export function partyViews(parties: readonly Party[], urls?: LogoUrls): PartyView[] {
  return parties.map(({ id, name, color }) => ({ id, name, color, logo: urls?.[id] ?? null }));
}
