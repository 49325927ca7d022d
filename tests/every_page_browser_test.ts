/**
 * Every page, in a real Chromium, in Hindi and English, with and without
 * JavaScript, at 320, 360 and 1280 px: the booth, its confirm step and its
 * error page, the receipt, the check page, the results, the projector view,
 * the sign-in page, the admin panel and the 404 and 405 pages. No page scrolls
 * sideways, none shows the schema library's words, a catalogue key or an
 * unfilled `{placeholder}`, each says its language in `lang` and offers the
 * other, and axe-core finds nothing. The ballot has two 60-character party
 * names and a voter with a long unbroken address.
 *
 * Bounded in time: one browser, one context per language and JavaScript
 * setting (four in all), each page loaded once and measured at the three
 * widths by resizing the same page.
 */
import assert from "node:assert/strict";
import type { Page } from "playwright-core";
import { axeViolations, browserAvailable, launchBrowser } from "./_browser.ts";
import { startServer } from "./_server.ts";
import { voterId } from "./_voters.ts";
import { LONG_ADDRESS, sendLongVote, writeLongParties } from "./_long_ballot.ts";

const WIDTHS = [320, 360, 1280];
const PASSWORD = "correct horse battery";
/** What valibot says when a message is missing. */
const SCHEMA_TEXT = /Invalid (key|type|length)|Expected .* but received|valibot/;
/** A catalogue key shown as it is (`voterId_epic`, `code_required`), or a placeholder left unfilled. */
const RAW_TEXT =
  /\b(name|age|address|voterId|code|party|form)_(required|chars|epic|number|max|too_long|broken|invalid)\b|\{[a-zA-Z]+\}/;

/** Measures the page at every width; fails on sideways scrolling or raw text. */
async function assertFitsEveryWidth(page: Page, what: string) {
  for (const width of WIDTHS) {
    await page.setViewportSize({ width, height: width < 800 ? 720 : 900 });
    const { scroll, client } = await page.evaluate(() => ({
      scroll: document.documentElement.scrollWidth,
      client: document.documentElement.clientWidth,
    }));
    assert.ok(scroll <= client, `${what} at ${width} px: ${scroll} px wide`);
  }
  const text = await page.locator("body").innerText();
  assert.doesNotMatch(text, SCHEMA_TEXT, what);
  assert.doesNotMatch(text, RAW_TEXT, what);
}

Deno.test({
  name:
    "every page fits 320, 360 and 1280 px, in Hindi and English, with and without JavaScript; axe is clean",
  ignore: !browserAvailable(),
  async fn() {
    const dir = await Deno.makeTempDir({ prefix: "matdaan-every-page-" });
    await writeLongParties(`${dir}/parties.json`);
    const server = await startServer(
      ["--db", `${dir}/e.db`, "--parties", `${dir}/parties.json`, "--limit", "100"],
      { env: { ADMIN_PASSWORD: PASSWORD } },
    );
    const browser = await launchBrowser();
    try {
      const res = await sendLongVote(server.url);
      assert.equal(res.status, 201);
      const { receipt } = await res.json();
      const pages = [
        "/",
        "/results",
        "/check",
        `/check?code=${receipt}`,
        `/receipt/${receipt}`,
        "/present",
        "/no/such/page",
        "/admin/open", // a GET to a POST-only address: the 405 page
        "/admin",
      ];
      for (const locale of ["en", "hi"]) {
        for (const javaScriptEnabled of [true, false]) {
          const context = await browser.browser.newContext({
            locale: locale === "hi" ? "hi-IN" : "en-IN",
            javaScriptEnabled,
            viewport: { width: 320, height: 720 },
          });
          context.setDefaultTimeout(10_000);
          const page = await context.newPage();
          const how = `${locale}, JS ${javaScriptEnabled ? "on" : "off"}`;
          /** Checks the page in hand: widths, raw text, language, the switch, axe. */
          const check = async (what: string) => {
            const label = `${what} (${how})`;
            // After a form post the element waited for can be there before the style sheets.
            await page.waitForLoadState("load");
            await assertFitsEveryWidth(page, label);
            assert.equal(await page.getAttribute("html", "lang"), locale, label);
            assert.equal(await page.locator("[data-language-switch]").count(), 1, label);
            await page.setViewportSize({ width: 320, height: 720 });
            // axe runs as a script: with JavaScript off it never answers. The
            // no-JavaScript pages it checks are those the JS context is served
            // with the island bundles blocked (below).
            if (javaScriptEnabled) assert.deepEqual(await axeViolations(page), [], label);
          };
          try {
            for (const path of pages) {
              await page.goto(`${server.url}${path}`);
              if (javaScriptEnabled && path === "/") {
                await page.locator('[data-island="VoteBooth"][data-hydrated]').waitFor();
              }
              await check(path);
            }

            // The booth's error page (an island's errors with JavaScript) and its confirm step.
            await page.goto(server.url);
            if (javaScriptEnabled) {
              await page.locator('[data-island="VoteBooth"][data-hydrated]').waitFor();
            }
            await page.locator(".party-button").first().click();
            await page.locator(".error-summary, .field-error").first().waitFor();
            if (!javaScriptEnabled) assert.match(await page.title(), /^(Error|त्रुटि):/);
            await check("the booth's errors");
            await page.locator("#name").fill("Elaine D’Souza");
            await page.locator("#age").fill("३४");
            await page.locator("#address").fill(LONG_ADDRESS);
            await page.locator("#voterId").fill(voterId(2));
            await page.locator(".party-button").nth(1).click();
            await page.locator("#confirm-title").waitFor();
            await check("the confirm step");

            if (javaScriptEnabled) {
              // The server's own error and confirm pages, as a browser without the islands gets them.
              await page.route("**/build/*.js", (route) => route.abort());
              await page.goto(server.url);
              await page.locator(".party-button").first().click();
              await page.locator(".error-summary").waitFor();
              assert.match(await page.title(), /^(Error|त्रुटि):/);
              await check("the no-JavaScript error page");
              await page.locator("#name").fill("Elaine D’Souza");
              await page.locator("#age").fill("३४");
              await page.locator("#address").fill(LONG_ADDRESS);
              // One vote per language is cast from here: each its own voter.
              await page.locator("#voterId").fill(voterId(locale === "en" ? 30 : 31));
              await page.locator(".party-button").nth(1).click();
              await page.locator("form.confirm-form #confirm-title").waitFor();
              await check("the no-JavaScript confirm page");
              // The slip (the receipt's first view). It refreshes itself after 7 s to hide the
              // party, as the VVPAT's slip drops from view: a time limit that is essential to
              // the secret ballot on a shared screen (WCAG 2.2.1's exception), so axe's
              // meta-refresh rule is the one not applied here. Checked at once, before it goes.
              await page.locator(".confirm-form button[name=step][value=confirm]").click();
              await page.locator("[data-slip] #receipt-title").waitFor();
              const slip = (await axeViolations(page)).filter((v) => !v.startsWith("meta-refresh"));
              assert.deepEqual(slip, [], `the no-JavaScript slip (${how})`);
              await page.unroute("**/build/*.js");
            }

            // The administrator's sign-in and panel (a form post, with or without JavaScript).
            await page.goto(`${server.url}/admin`);
            await page.locator("#password").fill(PASSWORD);
            await page.locator('form[action="/admin/login"] button').click();
            await page.locator(".admin-panel").waitFor();
            if (javaScriptEnabled) {
              await page.locator('[data-island="AdminPanel"][data-hydrated]').waitFor();
            }
            await check("the admin panel");
            await page.goto(`${server.url}/admin?search=${voterId(1)}`);
            await page.locator("table.register").first().waitFor();
            await check("the admin panel's search");
            // Cells keep their words whole (the table's own box scrolls): a voter ID on one line.
            const idCell = page.locator("table.register td", { hasText: voterId(1) }).first();
            const lines = await idCell.evaluate((td) => {
              const range = document.createRange();
              range.selectNodeContents(td);
              return new Set([...range.getClientRects()].map((r) => Math.round(r.top))).size;
            });
            assert.equal(lines, 1, `the register's voter ID at 320 px spans ${lines} lines`);
          } finally {
            // A browser that died mid-test must not hide why: the error from the try goes first.
            await context.close().catch(() => {});
          }
        }
      }
    } finally {
      await browser.close();
      await server.stop();
      await Deno.remove(dir, { recursive: true });
    }
  },
});
