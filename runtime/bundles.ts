/**
 * Builds the browser bundles (`deno task build` calls this; the server never
 * does): one entry per island (`islands/*.tsx`) that hydrates it with
 * `runtime/hydrate.ts`, shared code split into chunks, and the style sheets in
 * `static/css/`, all with content-hashed names in `static/build/` and listed
 * in `manifest.json` (see `manifest.ts`). Needs `--allow-run` for `deno bundle`.
 */
import { createHash } from "node:crypto";
import { basename, extname, join } from "node:path";
import {
  BUILD_DIR,
  BuildError,
  type BuildManifest,
  MANIFEST_NAME,
  readManifest,
  ROOT,
  sourceHash,
  walk,
} from "./manifest.ts";

export { BUILD_DIR, BuildError, type BuildManifest, readManifest, sourceHash };

const MANIFEST = join(BUILD_DIR, MANIFEST_NAME);

function shortHash(data: Uint8Array | string): string {
  return createHash("sha256").update(data).digest("hex").slice(0, 12);
}

async function listFiles(dir: string, ext: string): Promise<string[]> {
  const files: string[] = [];
  for await (const file of walk(dir)) {
    const name = basename(file);
    if (extname(name) === ext && /^[A-Za-z]/.test(name)) files.push(file);
  }
  return files;
}

/** Writes a file by renaming a temporary one, so readers never see half a file. */
async function writeAtomic(path: string, data: Uint8Array | string) {
  const tmp = `${path}.${crypto.randomUUID()}.tmp`;
  if (typeof data === "string") await Deno.writeTextFile(tmp, data);
  else await Deno.writeFile(tmp, data);
  await Deno.rename(tmp, path);
}

async function bundleIslands(
  islands: string[],
  outDir: string,
): Promise<{ urls: Record<string, string>; files: string[] }> {
  if (islands.length === 0) return { urls: {}, files: [] };
  const entryDir = await Deno.makeTempDir({ prefix: "matdaan-entries-" });
  try {
    const hydrate = join(ROOT, "runtime", "hydrate.ts");
    const entries = [];
    for (const file of islands) {
      const name = basename(file, ".tsx");
      const entry = join(entryDir, `${name}.ts`);
      await Deno.writeTextFile(
        entry,
        `import { hydrateIslands } from ${JSON.stringify(hydrate)};\n` +
          `import Island from ${JSON.stringify(file)};\n` +
          `hydrateIslands(${JSON.stringify(name)}, Island);\n`,
      );
      entries.push(entry);
    }
    const out = await new Deno.Command(Deno.execPath(), {
      args: [
        "bundle",
        "--quiet",
        "--config",
        join(ROOT, "deno.json"),
        "--platform",
        "browser",
        "--minify",
        "--code-splitting",
        "--outdir",
        outDir,
        ...entries,
      ],
      stdin: "null",
    }).output();
    if (!out.success) {
      throw new BuildError(`deno bundle failed:\n${new TextDecoder().decode(out.stderr)}`);
    }
  } finally {
    await Deno.remove(entryDir, { recursive: true });
  }
  // Chunks come out content-hashed; entries are named after the island, so hash them here.
  const urls: Record<string, string> = {};
  const files: string[] = [];
  for (const file of await listFiles(outDir, ".js")) {
    const name = basename(file, ".js");
    const isEntry = islands.some((i) => basename(i, ".tsx") === name);
    const data = await Deno.readFile(file);
    const target = isEntry ? `${name}-${shortHash(data)}.js` : basename(file);
    await writeAtomic(join(BUILD_DIR, target), data);
    files.push(target);
    if (isEntry) urls[name] = `/build/${target}`;
  }
  return { urls, files };
}

/**
 * Builds every island bundle and style sheet into `static/build/` and writes
 * the manifest last. Files of earlier builds are removed.
 *
 * @returns The new manifest.
 * @throws {BuildError} When the bundler fails.
 * @example Illustration only (it always runs the bundler; `ensureBundles` asserts the result)
 * ```ts ignore
 * // Illustrative: reads or writes static/build/ (tests/bundles_test.ts checks it for real).
 * import { buildBundles } from "./bundles.ts";
 * const manifest = await buildBundles();
 * console.log(manifest.islands.VoteBooth); // "/build/VoteBooth-0a1b2c3d4e5f.js"
 * ```
 */
export async function buildBundles(): Promise<BuildManifest> {
  const hash = await sourceHash();
  await Deno.mkdir(BUILD_DIR, { recursive: true });
  const outDir = await Deno.makeTempDir({ prefix: "matdaan-build-" });
  let bundles: { urls: Record<string, string>; files: string[] };
  try {
    bundles = await bundleIslands(await listFiles(join(ROOT, "islands"), ".tsx"), outDir);
  } finally {
    await Deno.remove(outDir, { recursive: true });
  }
  const keep = new Set(bundles.files);
  const css: Record<string, string> = {};
  for (const file of await listFiles(join(ROOT, "static", "css"), ".css")) {
    const data = await Deno.readFile(file);
    const name = basename(file, ".css");
    const target = `${name}-${shortHash(data)}.css`;
    await writeAtomic(join(BUILD_DIR, target), data);
    css[name] = `/build/${target}`;
    keep.add(target);
  }
  const manifest: BuildManifest = { sourceHash: hash, islands: bundles.urls, css };
  for await (const entry of Deno.readDir(BUILD_DIR)) {
    if (/\.(js|css)$/.test(entry.name) && !keep.has(entry.name)) {
      await Deno.remove(join(BUILD_DIR, entry.name)).catch(() => {});
    }
  }
  await writeAtomic(MANIFEST, JSON.stringify(manifest, null, 2) + "\n");
  return manifest;
}

/**
 * Returns the current build, building first when it is missing or older than
 * the sources.
 *
 * @returns The manifest and whether a build ran.
 * @throws {BuildError} When a needed build fails.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { ensureBundles } from "./bundles.ts";
 * import { loadBuild } from "./manifest.ts";
 * const { manifest } = await ensureBundles();
 * assert.match(manifest.islands.VoteBooth, /^\/build\/VoteBooth-[0-9a-f]{12}\.js$/);
 * assert.deepEqual(await loadBuild(), manifest); // what the server will run with
 * assert.equal((await ensureBundles()).built, false); // up to date: nothing to do
 * ```
 */
export async function ensureBundles(): Promise<{ manifest: BuildManifest; built: boolean }> {
  const current = await readManifest();
  if (current && current.sourceHash === await sourceHash()) {
    return { manifest: current, built: false };
  }
  return { manifest: await buildBundles(), built: true };
}
