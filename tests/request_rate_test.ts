import assert from "node:assert/strict";
import { createApp } from "../app.ts";
import { openSqliteStore } from "../lib/store/sqlite/sqlite_store.ts";
import { costOf, PAGE_COST } from "../routes/_request_rate.ts";
import { BURST_SECONDS, RequestRate } from "../lib/server/request_rate.ts";
import { DEFAULT_REQUESTS_PER_CLIENT } from "../lib/server/cli.ts";

Deno.test("costOf() counts pages and exports as PAGE_COST, cheap answers as 1", () => {
  for (const path of ["/results", "/", "/check", "/present", "/admin", "/results/result.csv"]) {
    assert.equal(costOf(path), PAGE_COST, path);
  }
  for (const path of ["/healthz", "/api/votes", "/api/tally", "/ws/tally", "/build/a.js"]) {
    assert.equal(costOf(path), 1, path);
  }
});

Deno.test("a client past its request budget is answered 429 with Retry-After, in its language", async () => {
  const dir = await Deno.makeTempDir({ prefix: "matdaan-rate-" });
  const store = await openSqliteStore(`${dir}/election.db`, { step: 1 });
  try {
    // A stopped clock: the test may take longer than a second.
    const app = createApp({
      store,
      requestRate: new RequestRate({ points: 25 / BURST_SECONDS, now: () => 0 }),
    });
    for (let i = 0; i < 2; i++) {
      const page = await app.request("/results");
      assert.equal(page.status, 200);
      await page.body?.cancel();
    }
    const health = await app.request("/healthz");
    assert.equal(health.status, 200); // 21 of 25 points spent
    await health.body?.cancel();
    const refused = await app.request("/results", { headers: { "accept-language": "hi" } });
    assert.equal(refused.status, 429);
    assert.ok(Number(refused.headers.get("retry-after")) >= 1);
    const body = await refused.json();
    assert.equal(body.error.code, "too_many_requests");
    assert.match(body.error.message, /अनुरोध/);
  } finally {
    await store.shutdown();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("createApp() without a request budget refuses nothing", async () => {
  const dir = await Deno.makeTempDir({ prefix: "matdaan-rate-" });
  const store = await openSqliteStore(`${dir}/election.db`, { step: 1 });
  try {
    const app = createApp({ store });
    for (let i = 0; i < 50; i++) {
      const page = await app.request("/healthz");
      assert.equal(page.status, 200);
      await page.body?.cancel();
    }
  } finally {
    await store.shutdown();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a classroom behind one address opens the booth at once within the default budget", () => {
  // Chromium's first visit to the booth: the page (10 points) and 19 files
  // (scripts, styles, logos, the font, the icon) at 1 point each.
  const visit = [10, ...Array(19).fill(1)];
  const rate = new RequestRate({ points: DEFAULT_REQUESTS_PER_CLIENT, now: () => 0 });
  const refused = Array.from({ length: 40 }, () => visit)
    .flat()
    .filter((cost) => rate.take("203.0.113.7", cost) > 0);
  assert.equal(refused.length, 0, "40 voters opening the booth in the same instant");
});
