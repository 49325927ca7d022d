/**
 * The voter's experience in a real Chromium (issue 14): the confirm step and
 * the slip, with and without JavaScript; post-redirect-get; the receipt check;
 * the closed booth; English and Hindi; every page at 320, 360 and 1280 px
 * without sideways scrolling or the schema library's words; axe-core on every
 * page in both languages. The slip's seven seconds pass on Playwright's fake
 * clock, never in real time.
 */
import assert from "node:assert/strict";
import type { Browser, BrowserContextOptions, Page } from "playwright-core";
import { axeViolations, browserAvailable, launchBrowser, type TestBrowser } from "./_browser.ts";
import { type ServerProcess, startServer } from "./_server.ts";
import { sendVote, voterId } from "./_voters.ts";
import { LONG_NAMES, sendLongVote, writeLongParties } from "./_long_ballot.ts";

const UPDATE_SCREENSHOTS = Deno.env.get("UPDATE_SCREENSHOTS") === "1";
const WIDTHS = [320, 360, 1280];
const PASSWORD = "correct horse battery";
/** What valibot says when a message is missing; none of it may reach a page. */
const SCHEMA_TEXT = /Invalid (key|type|length)|Expected .* but received|valibot/;

function view(width: number): BrowserContextOptions {
  return { viewport: { width, height: width < 800 ? 720 : 900 } };
}

async function withPage(
  browser: Browser,
  options: BrowserContextOptions,
  fn: (page: Page) => Promise<void>,
) {
  const context = await browser.newContext(options);
  context.setDefaultTimeout(10_000);
  try {
    await fn(await context.newPage());
  } finally {
    await context.close();
  }
}

/** Fails when the page scrolls sideways or shows the schema library's words. */
async function assertFits(page: Page, what: string) {
  const { scroll, client } = await page.evaluate(() => ({
    scroll: document.documentElement.scrollWidth,
    client: document.documentElement.clientWidth,
  }));
  assert.ok(scroll <= client, `${what}: ${scroll} px wide in a ${client} px window`);
  assert.doesNotMatch(await page.locator("body").innerText(), SCHEMA_TEXT, what);
}

async function fillDetails(page: Page, id: string, labels = ENGLISH) {
  await page.getByLabel(labels.name).fill("Elaine D’Souza");
  await page.getByLabel(labels.age).fill("३४");
  await page.getByLabel(labels.address).fill("14 Park Street, Kolkata");
  await page.getByLabel(labels.voterId, { exact: false }).fill(id);
}

const ENGLISH = {
  name: "Full name",
  age: "Age in years",
  address: "Address",
  voterId: "Voter ID",
};
const HINDI = { name: "पूरा नाम", age: "आयु (वर्षों में)", address: "पता", voterId: "मतदाता पहचान" };

async function tally(server: ServerProcess) {
  return await (await fetch(`${server.url}/api/tally`)).json();
}

async function apiReceipt(server: ServerProcess, n: number, party: string): Promise<string> {
  const res = await sendVote(server.url, n, party);
  assert.equal(res.status, 201);
  return (await res.json()).receipt;
}

Deno.test({
  name: "the voter's experience in Chromium",
  ignore: !browserAvailable(),
  sanitizeOps: false,
  sanitizeResources: false,
  async fn(t) {
    const dir = await Deno.makeTempDir({ prefix: "matdaan-voter-" });
    const DOCS = UPDATE_SCREENSHOTS ? new URL("../docs/", import.meta.url).pathname : `${dir}/`;
    const server = await startServer(["--db", `${dir}/open.db`]);
    const browser: TestBrowser = await launchBrowser();
    try {
      await t.step(
        "with JavaScript: choose, change, confirm, see the slip, keep the receipt",
        async () => {
          await withPage(browser.browser, view(1280), async (page) => {
            await page.clock.install();
            await page.goto(server.url);
            await page.locator('[data-island="VoteBooth"][data-hydrated]').waitFor();
            await fillDetails(page, voterId(1));
            const before = (await tally(server)).total;
            await page.getByRole("button", { name: "Vote for Congress" }).click();
            await page.getByRole("heading", { name: "Is this your choice?" }).waitFor();
            assert.match(await page.locator(".confirm").innerText(), /Congress/);
            assert.equal((await tally(server)).total, before, "choosing casts nothing");
            assert.equal(
              await page.locator(".booth-intro").isVisible(),
              false,
              "no 'Cast your vote'",
            );
            assert.deepEqual(await axeViolations(page), [], "the confirm step");
            await page.getByRole("button", { name: "Change" }).click();
            assert.equal(await page.getByLabel("Full name").inputValue(), "Elaine D’Souza");
            await page.getByRole("button", { name: "Vote for AAP" }).click();
            await page.evaluate(() => document.fonts.ready);
            await page.screenshot({ path: `${DOCS}confirm-step.png` });
            await page.getByRole("button", { name: "Confirm vote" }).click();
            await page.getByRole("heading", { name: "Your vote is counted" }).waitFor();
            const slip = await page.locator(".slip").innerText();
            assert.match(slip, /You voted for AAP\./);
            assert.equal(
              await page.locator(".booth-intro").isVisible(),
              false,
              "the slip stands alone",
            );
            const receipt = await page.locator("[data-receipt]").innerText();
            assert.match(receipt, /^[0-9A-Z]{4}(-[0-9A-Z]{4}){2}$/);
            assert.equal((await tally(server)).total, before + 1);
            // Already at the receipt's address: a reload during the slip keeps the receipt.
            assert.equal(new URL(page.url()).pathname, `/receipt/${receipt}`);
            assert.deepEqual(await axeViolations(page), [], "the slip");
            await page.evaluate(() => document.fonts.ready);
            await page.screenshot({ path: `${DOCS}slip.png` });
            // About seven seconds later the party leaves the screen; the receipt stays, at its address.
            await page.clock.runFor(7_100);
            await page.locator(".receipt:not(.slip)").waitFor();
            // Whole words: a receipt code may hold the letters AAP by chance (AAPD-EHBJ-7H9G did).
            assert.doesNotMatch(await page.locator("main").innerText(), /\bAAP\b/);
            assert.equal(new URL(page.url()).pathname, `/receipt/${receipt}`);
            // The page is the receipt now: its title, and a language switch that keeps it.
            assert.equal(await page.title(), "Your receipt · Matdaan");
            assert.equal(
              await page.locator("[data-language-switch]").getAttribute("href"),
              `/receipt/${receipt}?lang=hi`,
            );
            await page.reload();
            assert.equal(await page.locator("[data-receipt]").innerText(), receipt);
            // Whole words: a receipt code may hold the letters AAP by chance (AAPD-EHBJ-7H9G did).
            assert.doesNotMatch(await page.locator("main").innerText(), /\bAAP\b/);
            assert.equal((await tally(server)).total, before + 1, "a reload sends nothing");
          });
        },
      );

      await t.step("the receipt's copy button copies the code", async () => {
        const receipt = await apiReceipt(server, 2, "bjp");
        await withPage(browser.browser, view(360), async (page) => {
          await page.context().grantPermissions(["clipboard-read", "clipboard-write"]);
          await page.goto(`${server.url}/receipt/${receipt}`);
          await page.getByRole("button", { name: "Copy code" }).click();
          await page.getByRole("button", { name: "Copied" }).waitFor();
          assert.equal(await page.evaluate(() => navigator.clipboard.readText()), receipt);
          await page.getByRole("button", { name: "Print" }).waitFor();
        });
      });

      await t.step("a kiosk resets for the next voter after the slip", async () => {
        await withPage(browser.browser, view(360), async (page) => {
          await page.clock.install();
          await page.goto(`${server.url}/?kiosk`);
          await page.locator('[data-island="VoteBooth"][data-hydrated]').waitFor();
          await fillDetails(page, voterId(3));
          await page.getByRole("button", { name: "Vote for BJP" }).click();
          await page.getByRole("button", { name: "Confirm vote" }).click();
          await page.locator(".slip").waitFor();
          assert.match(await page.locator(".slip").innerText(), /next voter/);
          await page.clock.runFor(7_100);
          await page.getByLabel("Full name").waitFor();
          assert.equal(await page.getByLabel("Full name").inputValue(), "");
          assert.equal(
            await page.locator("[data-receipt]").count(),
            0,
            "nothing left for the next voter",
          );
          assert.equal(new URL(page.url()).pathname, "/");
        });
      });

      await t.step(
        "without JavaScript: two posts, a receipt that survives Reload and Back",
        async () => {
          await withPage(
            browser.browser,
            { ...view(320), javaScriptEnabled: false },
            async (page) => {
              await page.goto(server.url);
              await fillDetails(page, voterId(4));
              await page.getByRole("button", { name: "Vote for NOTA" }).click();
              await page.getByRole("heading", { name: "Is this your choice?" }).waitFor();
              await assertFits(page, "confirm page at 320 px");
              const before = (await tally(server)).total;
              await page.getByRole("button", { name: "Confirm vote" }).click();
              await page.locator(".slip").waitFor();
              assert.match(await page.locator(".slip").innerText(), /You voted for NOTA\./);
              const url = page.url();
              assert.match(new URL(url).pathname, /^\/receipt\/[0-9A-Z]{4}(-[0-9A-Z]{4}){2}$/);
              const receipt = await page.locator("[data-receipt]").innerText();
              await assertFits(page, "slip at 320 px");
              assert.equal((await tally(server)).total, before + 1);
              await page.reload();
              assert.equal(page.url(), url);
              assert.equal(await page.locator("[data-receipt]").innerText(), receipt);
              assert.doesNotMatch(
                await page.locator("main").innerText(),
                /NOTA/,
                "the party is gone",
              );
              // Back must not show the choice to the next person at a shared device: the
              // confirm page is never stored, so the browser cannot show it again unasked.
              await page.goBack().catch(() => {}); // a page never kept may not come back at all
              await page.waitForLoadState("load");
              assert.doesNotMatch(
                await page.locator("body").innerText(),
                /Is this your choice|NOTA/,
              );
              assert.equal((await tally(server)).total, before + 1, "nothing was sent twice");
            },
          );
          // Whoever opens the receipt's address later never learns the party.
          await withPage(browser.browser, view(1280), async (page) => {
            const receipt = await apiReceipt(server, 5, "congress");
            await page.goto(`${server.url}/receipt/${receipt}`);
            assert.doesNotMatch(await page.locator("main").innerText(), /Congress/);
          });
        },
      );

      await t.step("the no-JavaScript error page announces its errors", async () => {
        for (const javaScriptEnabled of [false, true]) {
          await withPage(browser.browser, { ...view(320), javaScriptEnabled }, async (page) => {
            // With JavaScript on, the island scripts are blocked so that axe can check the no-JS page.
            if (javaScriptEnabled) await page.route("**/build/*.js", (route) => route.abort());
            await page.goto(server.url);
            await page.getByLabel("Full name").fill("R2-D2");
            await page.getByLabel("Voter ID", { exact: false }).fill("WKH1186263");
            await page.getByRole("button", { name: "Vote for BJP" }).click();
            await page.locator(".error-summary").waitFor();
            assert.match(await page.title(), /^Error: /);
            const summary = await page.locator(".error-summary").innerText();
            assert.match(summary, /only letters, spaces/);
            assert.match(summary, /Please enter your age/);
            assert.match(summary, /Please enter your address/);
            assert.match(summary, /This voter ID is not valid/);
            await page.locator('.error-summary a[href="#age"]').click();
            assert.equal(await page.evaluate(() => document.activeElement?.id), "age");
            await assertFits(page, "error page at 320 px");
            if (javaScriptEnabled) assert.deepEqual(await axeViolations(page), [], "error page");
            // The no-JavaScript confirm page, once the details are right.
            await fillDetails(page, voterId(8));
            await page.getByRole("button", { name: "Vote for BJP" }).click();
            await page.getByRole("heading", { name: "Is this your choice?" }).waitFor();
            assert.doesNotMatch(await page.title(), /^Error/);
            await assertFits(page, "confirm page at 320 px");
            if (javaScriptEnabled) assert.deepEqual(await axeViolations(page), [], "confirm page");
          });
        }
      });

      await t.step(
        "Hindi: from the browser's language, switchable, remembered, with Hindi digits",
        async () => {
          await withPage(browser.browser, { ...view(360), locale: "hi-IN" }, async (page) => {
            await page.clock.install();
            await page.goto(server.url);
            assert.equal(await page.getAttribute("html", "lang"), "hi");
            await page.locator('[data-island="VoteBooth"][data-hydrated]').waitFor();
            await page.getByRole("heading", { name: "अपना वोट डालें" }).waitFor();
            // Hindi renders in the shipped web font, whatever fonts the machine has.
            await page.evaluate(() => document.fonts.load("16px 'Noto Sans Devanagari'", "मतदान"));
            const loaded = await page.evaluate(() =>
              [...document.fonts].filter((f) =>
                f.family.includes("Noto Sans Devanagari") && f.status === "loaded"
              ).length
            );
            assert.ok(loaded >= 1, "the Devanagari web font loaded");
            await page.evaluate(() => document.fonts.ready);
            await page.screenshot({ path: `${DOCS}booth-hindi.png`, fullPage: true });
            await fillDetails(page, voterId(6), HINDI);
            await page.getByLabel(HINDI.age).fill("१५");
            await page.getByRole("button", { name: "BJP को वोट दें" }).click();
            assert.match(await page.locator("#age-error").innerText(), /१८ वर्ष या अधिक/);
            await page.getByLabel(HINDI.age).fill("३४");
            await page.getByRole("button", { name: "BJP को वोट दें" }).click();
            await page.getByRole("button", { name: "वोट की पुष्टि करें" }).click();
            await page.getByRole("heading", { name: "आपका वोट गिन लिया गया है" }).waitFor();
            assert.match(await page.locator(".slip").innerText(), /आपने BJP को वोट दिया।/);
            await page.goto(`${server.url}/results`);
            assert.match(await page.locator("[data-total]").innerText(), /^[०-९]+$/);
            await page.getByRole("link", { name: "English" }).click();
            assert.equal(await page.getAttribute("html", "lang"), "en");
            await page.goto(server.url);
            assert.equal(await page.getAttribute("html", "lang"), "en", "the choice is remembered");
          });
        },
      );

      await t.step("/check says counted or not, never the party, without JavaScript", async () => {
        const receipt = await apiReceipt(server, 7, "aap");
        await withPage(
          browser.browser,
          { ...view(320), javaScriptEnabled: false },
          async (page) => {
            await page.goto(`${server.url}/check`);
            await page.getByLabel("Receipt code").fill(receipt.toLowerCase().replaceAll("-", " "));
            await page.getByRole("button", { name: "Check" }).click();
            const answer = await page.locator(".check-answer").innerText();
            assert.match(answer, new RegExp(`Counted: .*${receipt}`));
            // Whole words: a receipt code may hold the letters AAP by chance (AAPD-EHBJ-7H9G did).
            assert.doesNotMatch(await page.locator("main").innerText(), /\bAAP\b/);
            await page.getByLabel("Receipt code").fill("ZZZZ-ZZZZ-ZZZZ");
            await page.getByRole("button", { name: "Check" }).click();
            assert.match(await page.locator(".check-answer").innerText(), /No ballot has/);
            await assertFits(page, "check page at 320 px");
          },
        );
        await withPage(browser.browser, view(1280), async (page) => {
          await page.goto(`${server.url}/check?code=${receipt}`);
          await page.evaluate(() => document.fonts.ready);
          await page.screenshot({ path: `${DOCS}check-page.png` });
        });
      });
    } finally {
      await server.stop();
    }

    // A ballot of long names, a voter with a long unbroken address, and every page at every width.
    const partiesFile = `${dir}/long.json`;
    await writeLongParties(partiesFile);
    const long = await startServer(["--db", `${dir}/long.db`, "--parties", partiesFile], {
      env: { ADMIN_PASSWORD: PASSWORD },
    });
    try {
      const vote = await sendLongVote(long.url);
      const { receipt } = await vote.json();
      const pages = ["/", "/results", "/check", `/check?code=${receipt}`, `/receipt/${receipt}`];
      pages.push("/no/such/page", "/admin");
      await t.step(
        "every page fits 320, 360 and 1280 px in both languages; axe is clean",
        async () => {
          for (const locale of ["en-IN", "hi-IN"]) {
            for (const width of WIDTHS) {
              for (const javaScriptEnabled of [true, false]) {
                await withPage(
                  browser.browser,
                  { ...view(width), locale, javaScriptEnabled },
                  async (page) => {
                    for (const path of pages) {
                      await page.goto(`${long.url}${path}`);
                      const what = `${path} at ${width} px, ${locale}, JS ${javaScriptEnabled}`;
                      if (javaScriptEnabled && path === "/") {
                        await page.locator('[data-island="VoteBooth"][data-hydrated]').waitFor();
                      }
                      await assertFits(page, what);
                      const lang = locale.slice(0, 2);
                      assert.equal(await page.getAttribute("html", "lang"), lang, what);
                      if (javaScriptEnabled && width === 320) {
                        assert.deepEqual(await axeViolations(page), [], what);
                      }
                    }
                  },
                );
              }
            }
          }
        },
      );

      await t.step("the admin panel fits 320 px with long names and addresses", async () => {
        await withPage(browser.browser, view(320), async (page) => {
          await page.goto(`${long.url}/admin`);
          await page.getByLabel("Password").fill(PASSWORD);
          await page.getByRole("button", { name: "Sign in" }).click();
          await page.locator('[data-island="AdminPanel"][data-hydrated]').waitFor();
          await assertFits(page, "admin panel at 320 px");
          assert.deepEqual(await axeViolations(page), [], "admin panel");
        });
      });

      await t.step(
        "the closed booth says so at the top, with the result, in both languages",
        async () => {
          const closed = await fetch(`${long.url}/api/tally`).then((r) => r.json());
          assert.equal(closed.status, "open");
          await withPage(browser.browser, view(1280), async (page) => {
            await page.goto(`${long.url}/admin`);
            await page.getByLabel("Password").fill(PASSWORD);
            await page.getByRole("button", { name: "Sign in" }).click();
            await page.locator('[data-island="AdminPanel"][data-hydrated]').waitFor();
            await page.getByRole("button", { name: "End voting" }).click();
            await page.getByLabel(/I understand that this ends voting/).check();
            await page.getByRole("button", { name: "End voting" }).click();
            await page.locator(".admin-status", { hasText: "closed by the administrator" })
              .waitFor();
          });
          for (const locale of ["en-IN", "hi-IN"]) {
            for (const javaScriptEnabled of [true, false]) {
              await withPage(
                browser.browser,
                { ...view(320), locale, javaScriptEnabled },
                async (page) => {
                  await page.goto(long.url);
                  const heading = page.locator("main h1, main h2").first();
                  const text = await page.locator(".closed-booth").innerText();
                  assert.match(text, locale === "en-IN" ? /Voting has ended/ : /मतदान समाप्त/);
                  assert.match(text, new RegExp(LONG_NAMES[1]));
                  assert.ok(await heading.isVisible());
                  assert.equal(await page.locator("main input, .party-button").count(), 0);
                  const box = await page.locator(".closed-booth").boundingBox();
                  assert.ok(box && box.y < 720, "the closed notice is above the fold");
                  await assertFits(page, `closed booth, ${locale}`);
                  if (javaScriptEnabled) assert.deepEqual(await axeViolations(page), []);
                },
              );
            }
          }
        },
      );
    } finally {
      await long.stop();
      await browser.close();
      await Deno.remove(dir, { recursive: true });
    }
  },
});
