/**
 * The booth without JavaScript in an election with a roll: the voter's ID
 * and code are checked at the first step (before the confirm page), through
 * the same throttle as the vote, in the voter's language, and an ID not on
 * the roll answers exactly as a wrong code does (the roll is no oracle).
 */
import assert from "node:assert/strict";
import { createApp } from "../app.ts";
import { sqliteRollTarget } from "../lib/store/sqlite/sqlite_roll.ts";
import { openSqliteStore } from "../lib/store/sqlite/sqlite_store.ts";
import { codesApp, importTestRoll, writeRoll } from "./_roll.ts";
import { voterId } from "./_voters.ts";

/** The visible text of the page's `<main>`, without tags or the hidden fields' values. */
function mainText(html: string): string {
  const main = html.slice(html.indexOf("<main"), html.indexOf("</main>"))
    .replace(/<script[^>]*>[^<]*<\/script>/g, "");
  return main.replace(/<[^>]*>/g, " ").replace(/\s+/g, " ");
}

async function firstStep(
  app: ReturnType<typeof createApp>,
  fields: Record<string, string>,
  lang = "en",
) {
  const res = await app.request("/vote", {
    method: "POST",
    headers: { "accept-language": lang },
    body: new URLSearchParams({ party: "aap", ...fields }),
  });
  return { status: res.status, html: await res.text() };
}

Deno.test("roll booth without JavaScript: code checked at the first step, no roll oracle, no raw keys", async (t) => {
  const dir = await Deno.makeTempDir({ prefix: "matdaan-roll-booth-" });
  const { app, store, codes } = await codesApp(dir, 10, { underage: 3 });
  try {
    await t.step(
      "a wrong code is reported at once, beside the code field, not on a confirm page",
      async () => {
        const { status, html } = await firstStep(app, {
          voterId: voterId(0),
          code: codes.get(voterId(1))!,
        });
        assert.equal(status, 403);
        assert.doesNotMatch(html, /class="confirm-form"/);
        assert.match(mainText(html), /This voter ID and voting code do not match/);
        assert.match(html, /<title>Error:/);
      },
    );
    await t.step("an ID not on the roll gets the very same page as a wrong code", async () => {
      const outsider = await firstStep(app, {
        voterId: voterId(500),
        code: codes.get(voterId(2))!,
      });
      const wrong = await firstStep(app, { voterId: voterId(2), code: codes.get(voterId(4))! });
      assert.equal(outsider.status, wrong.status);
      const blank = (html: string) =>
        mainText(html).replaceAll(voterId(500), "ID").replaceAll(voterId(2), "ID")
          .replaceAll(codes.get(voterId(2))!, "CODE").replaceAll(codes.get(voterId(4))!, "CODE");
      assert.equal(blank(outsider.html), blank(wrong.html));
    });
    await t.step("the first step's guesses count in the same throttle as votes", async () => {
      // voter 2 has one wrong guess from the step above; two more lock this client out.
      for (let i = 0; i < 2; i++) {
        await firstStep(app, { voterId: voterId(2), code: "22222-22222" });
      }
      const locked = await firstStep(app, { voterId: voterId(2), code: codes.get(voterId(2))! });
      assert.equal(locked.status, 429);
      assert.doesNotMatch(locked.html, /class="confirm-form"/);
    });
    await t.step(
      "a right code goes on to the confirm page; an underage voter learns it at once",
      async () => {
        const right = await firstStep(app, { voterId: voterId(5), code: codes.get(voterId(5))! });
        assert.equal(right.status, 200);
        assert.match(right.html, /class="confirm-form"/);
        const young = await firstStep(app, { voterId: voterId(3), code: codes.get(voterId(3))! });
        assert.equal(young.status, 403);
        assert.match(mainText(young.html), /18 or older/);
        assert.equal(store.snapshot().total, 0);
      },
    );
    await t.step(
      "field messages are sentences in the voter's language, never catalogue keys",
      async () => {
        const bad = await firstStep(app, { voterId: "WKH1186263", code: "" });
        assert.equal(bad.status, 400);
        assert.doesNotMatch(mainText(bad.html), /voterId_epic|_required|_chars/);
        assert.match(mainText(bad.html), /This voter ID is not valid/);
        const hindi = await firstStep(app, { voterId: voterId(6), code: "" }, "hi");
        assert.equal(hindi.status, 403);
        assert.match(hindi.html, /<html lang="hi"/);
        assert.match(mainText(hindi.html), /मतदाता पर्ची/);
        assert.doesNotMatch(mainText(hindi.html), /Please enter the one-time code/);
        const wrongHi = await firstStep(
          app,
          { voterId: voterId(7), code: codes.get(voterId(8))! },
          "hi",
        );
        assert.match(mainText(wrongHi.html), /मेल नहीं खाते/);
      },
    );
    await t.step(
      "the API's messages with a roll are sentences too, in the asker's language",
      async () => {
        const ask = (lang: string) =>
          app.request("/api/votes", {
            method: "POST",
            headers: { "content-type": "application/json", "accept-language": lang },
            body: JSON.stringify({ voterId: "WKH1186263", code: "", party: "aap" }),
          });
        const en = await (await ask("en")).json();
        assert.equal(en.error.code, "invalid_input");
        assert.match(en.error.message, /This voter ID is not valid/);
        const hi = await (await ask("hi")).json();
        assert.match(hi.error.message, /मतदाता पहचान पत्र संख्या/);
        const noCode = await (await app.request("/api/votes", {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ voterId: voterId(6), party: "aap" }),
        })).json();
        assert.equal(noCode.error.code, "bad_code");
        assert.doesNotMatch(noCode.error.message, /_required/);
      },
    );
  } finally {
    await store.shutdown();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("roll booth without codes: a name not on the roll is reported at the first step; guessing names is throttled", async () => {
  const dir = await Deno.makeTempDir({ prefix: "matdaan-roll-names-" });
  const path = `${dir}/e.db`;
  await writeRoll(`${dir}/roll.csv`, 5);
  await importTestRoll(sqliteRollTarget(path), {
    path: `${dir}/roll.csv`,
    codes: false,
    keyPath: `${dir}/e.codes.key`,
  });
  const store = await openSqliteStore(path, { step: 1 });
  const app = createApp({ store });
  try {
    const wrong = await firstStep(app, { voterId: voterId(1), name: "Somebody Else" });
    assert.equal(wrong.status, 403);
    assert.doesNotMatch(wrong.html, /class="confirm-form"/);
    assert.match(mainText(wrong.html), /not on the electoral roll/);
    const right = await firstStep(app, { voterId: voterId(1), name: "Voter B" });
    assert.equal(right.status, 200);
    assert.match(right.html, /class="confirm-form"/);
    // A check that casts nothing must not let anyone try names against an ID freely.
    for (let i = 0; i < 5; i++) {
      assert.equal(
        (await firstStep(app, { voterId: voterId(2), name: `Guess ${"ABCDE"[i]}` })).status,
        403,
      );
    }
    const locked = await firstStep(app, { voterId: voterId(2), name: "Voter C" });
    assert.equal(locked.status, 429);
    assert.doesNotMatch(locked.html, /class="confirm-form"/);
    assert.match(locked.html, /href="#voterId">Too many names that are not on the roll/);
  } finally {
    await store.shutdown();
    await Deno.remove(dir, { recursive: true });
  }
});
