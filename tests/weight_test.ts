import assert from "node:assert/strict";
import { gzipSync } from "node:zlib";
import { BUILD_DIR, ensureBundles } from "../runtime/bundles.ts";

const LIMIT = 20 * 1024;

/** The gzipped bytes of an entry and every chunk it imports, each file counted once. */
async function gzippedWithImports(file: string, seen = new Set<string>()): Promise<number> {
  if (seen.has(file)) return 0;
  seen.add(file);
  const code = await Deno.readTextFile(`${BUILD_DIR}/${file}`);
  let total = gzipSync(code).length;
  for (const [, chunk] of code.matchAll(/from\s*"\.\/([^"]+\.js)"|import\s*"\.\/([^"]+\.js)"/g)) {
    if (chunk) total += await gzippedWithImports(chunk, seen);
  }
  return total;
}

/** The admin panel: both its islands, their shared chunks counted once. */
Deno.test("the admin panel (/admin) ships at most 20 KB of gzipped JavaScript", async () => {
  const { manifest } = await ensureBundles();
  const seen = new Set<string>();
  let bytes = 0;
  for (const island of ["AdminPanel", "AuditList"]) {
    const url = manifest.islands[island];
    assert.ok(url, `${island} is in the build`);
    bytes += await gzippedWithImports(url.slice("/build/".length), seen);
  }
  console.log(`admin panel (/admin): ${(bytes / 1024).toFixed(1)} KB of JavaScript, gzipped`);
  assert.ok(bytes > 1000, "the bundles were measured");
  assert.ok(bytes <= LIMIT, `the admin panel ships ${bytes} bytes gzipped, more than ${LIMIT}`);
});

for (
  const [page, island] of [
    ["booth (/)", "VoteBooth"],
    ["dashboard (/results)", "LiveTally"],
    ["receipt (/receipt/:code)", "ReceiptActions"],
    ["projector view (/present)", "PresentBoard"],
  ]
) {
  Deno.test(`the ${page} ships at most 20 KB of gzipped JavaScript`, async () => {
    const { manifest } = await ensureBundles();
    const url = manifest.islands[island];
    assert.ok(url, `${island} is in the build`);
    const bytes = await gzippedWithImports(url.slice("/build/".length));
    console.log(`${page}: ${(bytes / 1024).toFixed(1)} KB of JavaScript, gzipped`);
    assert.ok(bytes > 1000, "the bundle was measured");
    assert.ok(bytes <= LIMIT, `${page} ships ${bytes} bytes gzipped, more than ${LIMIT}`);
  });
}
