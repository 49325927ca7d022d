import assert from "node:assert/strict";
import { createApp } from "../app.ts";
import { BUILD_DIR, ensureBundles, readManifest, sourceHash } from "../runtime/bundles.ts";
import { loadBuild } from "../runtime/manifest.ts";
import { openSqliteStore } from "../lib/store/sqlite/sqlite_store.ts";

Deno.test("ensureBundles() builds content-hashed files once and reuses them while sources are unchanged", async () => {
  const first = await ensureBundles();
  assert.equal(first.manifest.sourceHash, await sourceHash());
  assert.match(first.manifest.css.app, /^\/build\/app-[0-9a-f]{12}\.css$/);
  for (const url of Object.values(first.manifest.islands)) {
    assert.match(url, /^\/build\/[A-Z][A-Za-z0-9]*-[0-9a-f]{12}\.js$/);
    await Deno.stat(`${BUILD_DIR}/${url.slice("/build/".length)}`);
  }
  const second = await ensureBundles();
  assert.equal(second.built, false);
  assert.deepEqual(second.manifest, await readManifest());
});

Deno.test("GET /build/* serves built files with a year-long immutable cache", async () => {
  const { manifest } = await ensureBundles();
  const dir = await Deno.makeTempDir();
  const store = await openSqliteStore(`${dir}/e.db`, {});
  try {
    const app = createApp({ store, assets: manifest });
    const res = await app.request(manifest.css.app);
    assert.equal(res.status, 200);
    assert.equal(res.headers.get("cache-control"), "public, max-age=31536000, immutable");
    assert.match(res.headers.get("content-type") ?? "", /text\/css/);
    assert.match(await res.text(), /--accent/);
    const missing = await app.request("/build/nothing-000000000000.js");
    assert.equal(missing.status, 404);
    await missing.body?.cancel();
    const traversal = await app.request("/static/../deno.json");
    assert.equal(traversal.status, 404);
    await traversal.body?.cancel();
  } finally {
    await store.shutdown();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("loadBuild() refuses a missing or stale build and says to run deno task build", async () => {
  const dir = await Deno.makeTempDir({ prefix: "matdaan-build-" });
  try {
    await assert.rejects(loadBuild(dir), /bundles are not built .*run `deno task build`/);
    const stale = { sourceHash: "0".repeat(64), islands: {}, css: {} };
    await Deno.writeTextFile(`${dir}/manifest.json`, JSON.stringify(stale));
    await assert.rejects(loadBuild(dir), /older than their sources: run `deno task build`/);
    const current = { ...stale, sourceHash: await sourceHash() };
    await Deno.writeTextFile(`${dir}/manifest.json`, JSON.stringify(current));
    assert.deepEqual(await loadBuild(dir), current);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
