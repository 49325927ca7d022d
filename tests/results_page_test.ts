/** `/results` after the close: the audit log's head in the reader's language. */
import assert from "node:assert/strict";
import { postVote, testApp } from "./_app.ts";
import { ballot } from "./_voters.ts";

Deno.test("the closed dashboard states the audit log's head in Hindi on a Hindi page, in English on an English one", async () => {
  const t = await testApp({ limit: 1 });
  try {
    const vote = await postVote(t.app, ballot(1));
    assert.equal(vote.status, 201);
    const hi = await (await t.app.request("/results", { headers: { cookie: "lang=hi" } })).text();
    const head = hi.match(/<p class="audit-head">(.*?)<\/p>/s)?.[1] ?? "";
    assert.match(head, /<code>[0-9a-f]{64}<\/code>/);
    assert.match(head, /ऑडिट लॉग/);
    assert.doesNotMatch(head.replace(/<code>.*<\/code>/, ""), /[A-Za-z]{3,}/, head);
    const en = await (await t.app.request("/results", { headers: { cookie: "lang=en" } })).text();
    assert.match(
      en,
      /<p class="audit-head">Audit log head \(entry \d+\): <code>[0-9a-f]{64}<\/code>\. Keep it: a rewritten log will not lead to it\.<\/p>/,
    );
    // As served (before any script runs): a final result, not a snapshot to reload.
    const pill = en.match(/data-connection="static">(.*?)<\/span><span/)?.[1] ?? "";
    assert.match(pill, /Final result$/, pill);
  } finally {
    await t.dispose();
  }
});

Deno.test("the closed dashboard links the public result files; the open one does not", async () => {
  const t = await testApp({ limit: 1 });
  try {
    const links = async (lang: string) =>
      [...(await (await t.app.request("/results", { headers: { cookie: `lang=${lang}` } })).text())
        .matchAll(/href="(\/results\/[^"]+)"/g)].map((m) => m[1]);
    assert.deepEqual(await links("en"), []);
    await postVote(t.app, ballot(1));
    const files = ["/results/result.csv", "/results/result.json", "/results/summary.csv"];
    assert.deepEqual(await links("en"), files);
    assert.deepEqual(await links("hi"), files);
    for (const file of files) assert.equal((await t.app.request(file)).status, 200, file);
    const hi = await (await t.app.request("/results", { headers: { cookie: "lang=hi" } })).text();
    assert.match(hi, /नतीजा डाउनलोड करें/);
  } finally {
    await t.dispose();
  }
});

Deno.test("the Hindi dashboard writes its last update's time in Devanagari digits, as its counts", async () => {
  const t = await testApp();
  try {
    const hi = await (await t.app.request("/results", { headers: { cookie: "lang=hi" } })).text();
    const time = hi.match(/<time datetime="[^"]+">(.*?)<\/time>/i)?.[1] ?? "";
    assert.match(time, /^[०-९]{2}:[०-९]{2}:[०-९]{2}/, time);
    const en = await (await t.app.request("/results", { headers: { cookie: "lang=en" } })).text();
    assert.match(
      en.match(/<time datetime="[^"]+">(.*?)<\/time>/i)?.[1] ?? "",
      /^\d{2}:\d{2}:\d{2}/,
    );
  } finally {
    await t.dispose();
  }
});
