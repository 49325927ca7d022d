/**
 * A page load refused by the request budget (429) gets a small page in the
 * reader's language, whether the guarded server refuses it before the app or
 * the app's middleware does; the API and non-browser clients keep the
 * contract's JSON. In Chromium the page fits 320 px and axe finds nothing.
 */
import assert from "node:assert/strict";
import { createApp } from "../app.ts";
import { RequestRate } from "../lib/server/request_rate.ts";
import { openSqliteStore } from "../lib/store/sqlite/sqlite_store.ts";
import { axeViolations, browserAvailable, launchBrowser } from "./_browser.ts";
import { startServer } from "./_server.ts";

const HTML = "text/html,application/xhtml+xml,*/*;q=0.8";
const WORDS = {
  en: { title: /<title>Error: Too many requests/, wait: /Wait \d+ s, then reload/ },
  hi: { title: /<title>त्रुटि: बहुत अधिक अनुरोध/, wait: /[०-९]+ सेकंड रुकें/ },
} as const;

/** Asserts a refusal is the page in `lang`, told to wait as its `Retry-After` says. */
async function assertBusyPage(res: Response, lang: "en" | "hi") {
  assert.equal(res.status, 429, lang);
  assert.match(res.headers.get("content-type") ?? "", /^text\/html/, lang);
  const wait = Number(res.headers.get("retry-after"));
  assert.ok(wait >= 1, `Retry-After: ${wait}`);
  const html = await res.text();
  assert.match(html, new RegExp(`<html lang="${lang}"`));
  assert.match(html, WORDS[lang].title);
  assert.match(html, WORDS[lang].wait);
  assert.ok(
    html.includes(new Intl.NumberFormat(lang === "hi" ? "hi-u-nu-deva" : "en").format(wait)),
  );
  assert.match(html, /href="\/"/, "a way back");
  assert.doesNotMatch(html, /\{seconds\}|"error"/);
}

/** Asserts a refusal is the contract's JSON. */
async function assertJson(res: Response, what: string) {
  assert.equal(res.status, 429, what);
  assert.match(res.headers.get("content-type") ?? "", /^application\/json/, what);
  assert.ok(Number(res.headers.get("retry-after")) >= 1, what);
  assert.equal((await res.json()).error.code, "too_many_requests", what);
}

Deno.test("the app's budget answers a refused page load with the page in the reader's language, the API with JSON", async () => {
  const dir = await Deno.makeTempDir({ prefix: "matdaan-busy-" });
  const store = await openSqliteStore(`${dir}/e.db`, {});
  try {
    // A bucket of 3 points: every page (10) is refused, and nothing else is spent.
    const app = createApp({ store, requestRate: new RequestRate({ points: 1, now: () => 0 }) });
    for (const lang of ["en", "hi"] as const) {
      await assertBusyPage(
        await app.request("/results", { headers: { accept: HTML, "accept-language": lang } }),
        lang,
      );
    }
    await assertBusyPage(await app.request("/check?lang=hi", { headers: { accept: HTML } }), "hi");
    await assertJson(await app.request("/results"), "no Accept: text/html");
    await assertJson(await app.request("/api/nothing", { headers: { accept: HTML } }), "/api/");
  } finally {
    await store.shutdown();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test({
  name:
    "the guarded server answers a refused page load with the page, fitting 320 px and axe-clean in Chromium; the API with JSON",
  ignore: !browserAvailable(),
  async fn() {
    // 3 points a second, a bucket of 9: a page (10) is always refused, its stylesheets are not.
    const server = await startServer(["--requests-per-client", "3"]);
    const browser = await launchBrowser();
    try {
      for (const lang of ["en", "hi"] as const) {
        const res = await fetch(`${server.url}/results`, {
          headers: { accept: HTML, "accept-language": lang },
        });
        await assertBusyPage(res, lang);
      }
      const api = await fetch(`${server.url}/api/nothing`, { headers: { accept: HTML } });
      await assertJson(api, "/api/ on the guarded server");
      const plain = await fetch(`${server.url}/results`);
      await assertJson(plain, "no Accept: text/html on the guarded server");

      for (const lang of ["en", "hi"] as const) {
        const context = await browser.browser.newContext({
          locale: lang === "hi" ? "hi-IN" : "en-IN",
          viewport: { width: 320, height: 720 },
        });
        context.setDefaultTimeout(10_000);
        const page = await context.newPage();
        const res = await page.goto(`${server.url}/check`);
        assert.equal(res?.status(), 429, lang);
        assert.equal(await page.getAttribute("html", "lang"), lang);
        assert.match(await page.title(), lang === "hi" ? /^त्रुटि: / : /^Error: /);
        await page.waitForLoadState("load");
        // Styled like the booth: its stylesheet arrived (a cheap request the budget lets through).
        const styled = await page.evaluate(() =>
          getComputedStyle(document.querySelector(".card")!).borderRadius !== "0px"
        );
        assert.ok(styled, `${lang}: the page's stylesheet was refused too`);
        for (const width of [320, 360, 1280]) {
          await page.setViewportSize({ width, height: 720 });
          const { scroll, client } = await page.evaluate(() => ({
            scroll: document.documentElement.scrollWidth,
            client: document.documentElement.clientWidth,
          }));
          assert.ok(scroll <= client, `${lang} at ${width} px: ${scroll} px wide`);
        }
        await page.setViewportSize({ width: 320, height: 720 });
        assert.deepEqual(await axeViolations(page), [], lang);
        await context.close();
      }
    } finally {
      await browser.close();
      await server.stop();
    }
  },
});
