/** The language switch keeps what the page shows: a checked receipt stays checked. */
import assert from "node:assert/strict";
import { postVote, testApp } from "./_app.ts";
import { ballot } from "./_voters.ts";

Deno.test("switching language on a receipt check keeps the code, and the answer, in the other language", async () => {
  const t = await testApp();
  try {
    const vote = await postVote(t.app, ballot(1));
    const { receipt } = await vote.json();
    const page = await (await t.app.request(`/check?code=${receipt}`)).text();
    const href = page.match(/class="language-switch" href="([^"]+)"/)?.[1]?.replaceAll(
      "&amp;",
      "&",
    );
    assert.equal(href, `/check?code=${receipt}&lang=hi`);
    // The header still marks "Check a receipt" as the current page.
    assert.match(page, /<a href="\/check" aria-current="page">/);
    const hi = await t.app.request(href!);
    const text = await hi.text();
    assert.match(text, /<html lang="hi"/);
    assert.match(text, new RegExp(`data-counted="true"[^>]*>[^<]*${receipt}`));
    // Without a code the switch is the plain address.
    const empty = await (await t.app.request("/check")).text();
    assert.match(empty, /class="language-switch" href="\/check\?lang=hi"/);
  } finally {
    await t.dispose();
  }
});
