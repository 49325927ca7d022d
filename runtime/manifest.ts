/**
 * The server's view of the build: the manifest `deno task build` writes into
 * `static/build/`, the hash of the sources it was built from, and
 * `loadBuild()`, which the server calls at start to refuse a missing or stale
 * build with a message saying what to run. Nothing here runs the bundler.
 */
import { createHash } from "node:crypto";
import { fileURLToPath } from "node:url";
import { join, relative } from "node:path";

/** The project folder (this file lives in `runtime/`). */
export const ROOT: string = fileURLToPath(new URL("..", import.meta.url));
/** Where built files go; served under `/build/`. */
export const BUILD_DIR: string = join(ROOT, "static", "build");
/** The manifest's file name inside a build folder. */
export const MANIFEST_NAME = "manifest.json";
/** What the bundles are built from: a change here means a rebuild. */
const SOURCES = [
  "islands",
  "client",
  "components",
  "runtime",
  "lib",
  "static/css",
  "deno.json",
  "deno.lock",
];

/** What a build produced: URLs under `/build/` by island and style sheet name. */
export interface BuildManifest {
  /** Hash of every source file the build read (hex SHA-256), to tell when it is out of date. */
  sourceHash: string;
  /** Island name (file name without `.tsx`) to its entry script URL, e.g. `/build/VoteBooth-0a1b2c3d4e5f.js`. */
  islands: Record<string, string>;
  /** Style sheet name (file name without `.css`) to its URL, e.g. `/build/app-0a1b2c3d4e5f.css`. */
  css: Record<string, string>;
}

/** A build that failed, or is missing or stale; the message says what happened and what to run. */
export class BuildError extends Error {
  /** Makes the error; `message` says what went wrong and what to run. */
  constructor(message: string) {
    super(message);
    this.name = "BuildError";
  }
}

/**
 * Lists the files under `path` (or `path` itself when it is a file), sorted,
 * depth first; nothing when it does not exist.
 *
 * @param path A file or folder.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { walk } from "./manifest.ts";
 * const files = [];
 * for await (const file of walk(new URL(".", import.meta.url).pathname)) files.push(file);
 * assert.ok(files.some((f) => f.endsWith("/manifest.ts")));
 * for await (const _ of walk("/nonexistent/folder")) assert.fail("nothing is listed");
 * ```
 */
export async function* walk(path: string): AsyncGenerator<string> {
  let info: Deno.FileInfo;
  try {
    info = await Deno.stat(path);
  } catch {
    return;
  }
  if (info.isFile) {
    yield path;
    return;
  }
  const names: string[] = [];
  for await (const entry of Deno.readDir(path)) names.push(entry.name);
  for (const name of names.sort()) yield* walk(join(path, name));
}

/**
 * Hashes every source the bundles are built from, and the Deno version.
 *
 * @returns A hex SHA-256 digest that changes when any source changes.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { sourceHash } from "./manifest.ts";
 * assert.match(await sourceHash(), /^[0-9a-f]{64}$/);
 * ```
 */
export async function sourceHash(): Promise<string> {
  const hash = createHash("sha256").update(Deno.version.deno);
  for (const source of SOURCES) {
    for await (const file of walk(join(ROOT, source))) {
      hash.update(relative(ROOT, file)).update("\0").update(await Deno.readFile(file));
    }
  }
  return hash.digest("hex");
}

/**
 * Reads the manifest of the last build.
 *
 * @param buildDir The build folder (default `static/build/`).
 * @returns The manifest, or null when there is none or it cannot be read.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { readManifest } from "./manifest.ts";
 * assert.equal(await readManifest("/nonexistent/build"), null);
 * ```
 */
export async function readManifest(buildDir: string = BUILD_DIR): Promise<BuildManifest | null> {
  try {
    return JSON.parse(await Deno.readTextFile(join(buildDir, MANIFEST_NAME)));
  } catch {
    return null;
  }
}

/**
 * The build the server runs with: the manifest, checked against the sources.
 * The server never builds (it has no permission to run the bundler).
 *
 * @param buildDir The build folder (default `static/build/`).
 * @returns The manifest of an up-to-date build.
 * @throws {BuildError} When there is no build, or it is older than its sources;
 *   the message says to run `deno task build`.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { BuildError, loadBuild } from "./manifest.ts";
 * await assert.rejects(loadBuild("/nonexistent/build"), BuildError);
 * await assert.rejects(loadBuild("/nonexistent/build"), /run `deno task build`/);
 * ```
 */
export async function loadBuild(buildDir: string = BUILD_DIR): Promise<BuildManifest> {
  const manifest = await readManifest(buildDir);
  const where = buildDir.startsWith(ROOT) ? relative(ROOT, buildDir) : buildDir;
  if (!manifest) {
    throw new BuildError(
      `the browser bundles are not built (${where}/${MANIFEST_NAME} is missing): ` +
        "run `deno task build` first (`deno task start` does).",
    );
  }
  if (manifest.sourceHash !== await sourceHash()) {
    throw new BuildError(
      `the browser bundles in ${where}/ are older than their sources: ` +
        "run `deno task build` first (`deno task start` does).",
    );
  }
  return manifest;
}
