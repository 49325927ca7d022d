import assert from "node:assert/strict";
import { createApp } from "../app.ts";
import { ensureBundles } from "../runtime/bundles.ts";
import { prepareLogos } from "../lib/logos/logos.ts";
import { openSqliteStore } from "../lib/store/sqlite/sqlite_store.ts";
import type { ElectionStore } from "../lib/store/store.ts";
import { ballot, voterId } from "./_voters.ts";

interface Env {
  app: ReturnType<typeof createApp>;
  store: ElectionStore;
}

async function withApp(limit: number | null, fn: (env: Env) => Promise<void>) {
  const dir = await Deno.makeTempDir({ prefix: "matdaan-pages-" });
  const store = await openSqliteStore(`${dir}/e.db`, { limit, step: 1 });
  try {
    const logos = await prepareLogos(store.parties, `${dir}/logos`);
    const { manifest } = await ensureBundles();
    await fn({ app: createApp({ store, assets: manifest, logos }), store });
  } finally {
    await store.shutdown();
    await Deno.remove(dir, { recursive: true });
  }
}

function form(fields: Record<string, string>): RequestInit {
  return {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams(fields).toString(),
  };
}

const VOTER = { name: "Asha Verma", age: "34", address: "14 Park Street", voterId: voterId(7) };

Deno.test("GET / renders the booth form with a submit button per party and its script", async () => {
  await withApp(null, async ({ app }) => {
    const res = await app.request("/");
    assert.equal(res.status, 200);
    const html = await res.text();
    assert.match(html, /<form class="booth card" method="post" action="\/vote"/);
    for (const id of ["bjp", "congress", "aap", "nota"]) {
      assert.match(html, new RegExp(`<button type="submit" name="party" value="${id}"`));
    }
    assert.match(html, /<label for="voterId">/);
    assert.match(html, /alt="BJP symbol"/);
    assert.match(html, /<script type="module" src="\/build\/VoteBooth-[0-9a-f]{12}\.js">/);
    assert.ok(!/<script>|\son[a-z]+="|style="/.test(html), "no inline script, handler or style");
  });
});

Deno.test("POST /vote answers with the receipt page and counts the vote", async () => {
  await withApp(null, async ({ app, store }) => {
    const res = await app.request("/vote", form({ ...VOTER, party: "aap" }));
    assert.equal(res.status, 200);
    const html = await res.text();
    assert.match(html, /You voted for <strong>AAP<\/strong>/);
    assert.match(html, /data-receipt="true">[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}</);
    assert.equal(store.snapshot().parties.find((p) => p.id === "aap")?.votes, 1);
  });
});

Deno.test("POST /vote shows each error beside its field and keeps the other fields", async () => {
  await withApp(null, async ({ app, store }) => {
    const cases: [Record<string, string>, number, RegExp][] = [
      [{ ...VOTER, age: "17", party: "bjp" }, 403, /id="age-error">You must be 18 or older/],
      [{ ...VOTER, voterId: "WKH1186263", party: "bjp" }, 400, /id="voterId-error">Voter ID must/],
      [{ ...VOTER }, 400, /id="party-error" tabindex="-1">Choose a party/],
      [{ ...VOTER, party: "green" }, 422, /id="party-error" tabindex="-1">That party is not/],
      [{ ...VOTER, name: "", party: "bjp" }, 400, /id="name-error">Please enter your name/],
    ];
    for (const [fields, status, error] of cases) {
      const res = await app.request("/vote", form(fields));
      assert.equal(res.status, status, JSON.stringify(fields));
      const html = await res.text();
      assert.match(html, error);
      assert.match(html, /value="14 Park Street"/, "the address is kept");
    }
    assert.equal(store.snapshot().total, 0);
  });
});

Deno.test("POST /vote tells a repeated voter ID it has already voted, and escapes what it echoes", async () => {
  await withApp(null, async ({ app }) => {
    await (await app.request("/vote", form({ ...VOTER, party: "bjp" }))).body?.cancel();
    const res = await app.request(
      "/vote",
      form({ ...VOTER, address: '<script>alert("x")</script>', party: "nota" }),
    );
    assert.equal(res.status, 409);
    const html = await res.text();
    assert.match(html, /id="voterId-error">This voter ID has already been used to vote/);
    assert.ok(!html.includes('<script>alert("x")'));
    assert.match(html, /value="&lt;script>alert\(&quot;x&quot;\)&lt;\/script>"/);
  });
});

Deno.test("the booth says voting has ended and disables its buttons once closed", async () => {
  await withApp(1, async ({ app, store }) => {
    await store.cast(ballot(1, "bjp"));
    const page = await (await app.request("/")).text();
    assert.match(page, /Voting has ended/);
    assert.equal(page.match(/class="party-button[^"]*" disabled/g)?.length, 4);
    const res = await app.request("/vote", form({ ...VOTER, party: "aap" }));
    assert.equal(res.status, 409);
    assert.match(await res.text(), /Voting has ended/);
  });
});

Deno.test("GET /parties.css gives each party its colour", async () => {
  await withApp(null, async ({ app }) => {
    const res = await app.request("/parties.css");
    assert.match(res.headers.get("content-type") ?? "", /text\/css/);
    assert.match(await res.text(), /\.party-bjp\{--party:#f57c00\}/);
  });
});

Deno.test("GET /results renders the current tally, and the winner once closed", async () => {
  await withApp(3, async ({ app, store }) => {
    await store.cast(ballot(1, "aap"));
    let html = await (await app.request("/results")).text();
    assert.match(html, /data-status="open"/);
    assert.match(html, /data-party="aap"[^]*?<strong data-votes="true">1<\/strong>/);
    assert.match(html, /<script type="module" src="\/build\/LiveTally-[0-9a-f]{12}\.js">/);
    await store.cast(ballot(2, "nota"));
    await store.cast(ballot(3, "nota"));
    html = await (await app.request("/results")).text();
    assert.match(html, /data-status="closed"/);
    assert.match(html, /AAP wins/, "NOTA has more votes but never wins");
  });
});

Deno.test("GET /results announces a tie as a tie", async () => {
  await withApp(2, async ({ app, store }) => {
    await store.cast(ballot(1, "bjp"));
    await store.cast(ballot(2, "congress"));
    const html = await (await app.request("/results")).text();
    assert.match(html, /A tie between BJP and Congress/);
  });
});
