/**
 * Where rendered logos live and how they are named, without rendering
 * anything (no imagescript): the build renders into the cache (`logos.ts`),
 * and the server only looks the renders up with `findLogos()`.
 */
import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { isAbsolute, join, resolve } from "node:path";
import type { Party } from "../election/types.ts";
import { LOGO_SIZES, type LogoSize, type LogoUrls } from "./party_views.ts";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
/** Where rendered logos are cached; served under `/static/logos/cache/`. */
export const LOGO_CACHE_DIR: string = join(ROOT, "static", "logos", "cache");
/** The URL folder of `LOGO_CACHE_DIR`. */
export const LOGO_URL_PREFIX = "/static/logos/cache/";
/** Changes whenever rendering changes, so old renders are not reused. */
const RENDER_VERSION = "1";
const MAX_SOURCE_BYTES = 10 * 1024 * 1024;

/** A logo file that is missing or cannot be used; the message names the file. */
export class LogoError extends Error {
  /** Makes the error; `message` says what is wrong, naming the party and the file. */
  constructor(message: string) {
    super(message);
    this.name = "LogoError";
  }
}

/** Logos whose renders are not in the cache yet: the build has not rendered them. */
export class LogosNotRenderedError extends LogoError {
  /** Makes the error; `message` names the parties and files whose renders are missing. */
  constructor(message: string) {
    super(message);
    this.name = "LogosNotRenderedError";
  }
}

/**
 * Tells a logo source's format by its first bytes.
 *
 * @param data The source file's bytes.
 * @returns `"png"`, `"jpeg"`, `"svg"`, or null for anything else.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { logoKind } from "./logo_cache.ts";
 * assert.equal(logoKind(new TextEncoder().encode('<svg viewBox="0 0 1 1"/>')), "svg");
 * assert.equal(logoKind(new Uint8Array([0x89, 0x50, 0x4e, 0x47])), "png");
 * assert.equal(logoKind(new TextEncoder().encode("not really a png")), null);
 * ```
 */
export function logoKind(data: Uint8Array): "png" | "jpeg" | "svg" | null {
  if (data[0] === 0x89 && data[1] === 0x50 && data[2] === 0x4e && data[3] === 0x47) return "png";
  if (data[0] === 0xff && data[1] === 0xd8 && data[2] === 0xff) return "jpeg";
  const head = new TextDecoder().decode(data.subarray(0, 4096));
  return /<svg[\s>]/.test(head) ? "svg" : null;
}

/** Finds a logo file: absolute, relative to the working folder, or to the project. */
function locate(logo: string): string {
  if (isAbsolute(logo)) return logo;
  const here = resolve(logo);
  return existsSync(here) ? here : join(ROOT, logo);
}

/**
 * Reads a party's logo source and checks that it is a PNG, JPEG or SVG image
 * of at most 10 MB.
 *
 * @param party The party whose `logo` to read.
 * @returns The source's bytes.
 * @throws {LogoError} When the file is missing, too large or of another kind; the message names it.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { readLogoSource } from "./logo_cache.ts";
 * const party = { id: "b", name: "B", color: "#445566", logo: "/nonexistent/b.png" };
 * await assert.rejects(readLogoSource(party), /logo of party b, \/nonexistent\/b\.png, cannot be read/);
 * ```
 */
export async function readLogoSource(party: Party): Promise<Uint8Array> {
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
  if (!logoKind(data)) {
    throw new LogoError(
      `the logo of party ${party.id}, ${party.logo}: it is not a PNG, JPEG or SVG image`,
    );
  }
  return data;
}

/**
 * The file names of a logo's renders: they carry the party id, the size and a
 * hash of the source, so a changed source gets new names.
 *
 * @param partyId The party's id.
 * @param data The logo source's bytes.
 * @returns The file name (in the cache folder) of each size.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { renderNames } from "./logo_cache.ts";
 * const names = renderNames("bjp", new TextEncoder().encode("<svg/>"));
 * assert.match(names[64], /^bjp-64-[0-9a-f]{12}\.png$/);
 * assert.notEqual(renderNames("bjp", new TextEncoder().encode("<svg> </svg>"))[64], names[64]);
 * ```
 */
export function renderNames(partyId: string, data: Uint8Array): Record<LogoSize, string> {
  const hash = createHash("sha256").update(RENDER_VERSION).update(data).digest("hex").slice(0, 12);
  const names = {} as Record<LogoSize, string>;
  for (const size of LOGO_SIZES) names[size] = `${partyId}-${size}-${hash}.png`;
  return names;
}

/**
 * Finds every party's rendered logos in the cache, as the server does at
 * start; it never renders (that is `deno task build`).
 *
 * @param parties The parties on the ballot.
 * @param cacheDir Where rendered PNGs are kept (default `static/logos/cache/`).
 * @returns The URL of each logo by party id and size.
 * @throws {LogoError} When a logo source is missing or not an image; the message names the file.
 * @throws {LogosNotRenderedError} When a source has no render in the cache yet.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { findLogos, LogosNotRenderedError } from "./logo_cache.ts";
 * const dir = await Deno.makeTempDir();
 * await Deno.writeTextFile(`${dir}/a.svg`, '<svg viewBox="0 0 1 1"/>');
 * const parties = [{ id: "a", name: "A", color: "#112233", logo: `${dir}/a.svg` }];
 * await assert.rejects(findLogos(parties, dir), LogosNotRenderedError);
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export async function findLogos(
  parties: readonly Party[],
  cacheDir: string = LOGO_CACHE_DIR,
): Promise<LogoUrls> {
  const urls: LogoUrls = {};
  const missing: string[] = [];
  for (const party of parties) {
    const names = renderNames(party.id, await readLogoSource(party));
    if (LOGO_SIZES.some((size) => !existsSync(join(cacheDir, names[size])))) {
      missing.push(`${party.id} (${party.logo})`);
    }
    urls[party.id] = {} as Record<LogoSize, string>;
    for (const size of LOGO_SIZES) urls[party.id][size] = LOGO_URL_PREFIX + names[size];
  }
  if (missing.length > 0) {
    throw new LogosNotRenderedError(`the logos of ${missing.join(", ")} are not rendered`);
  }
  return urls;
}
