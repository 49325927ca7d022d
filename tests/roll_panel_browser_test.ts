/**
 * The panel's roll import in a real Chromium without JavaScript, on a 320 px
 * phone and in Hindi: sign in, upload a CSV, read the preview, confirm,
 * download the codes; then the booth asks for the code. Every page passes axe.
 */
import assert from "node:assert/strict";
import type { BrowserContext, Page } from "playwright-core";
import { axeViolations, browserAvailable, launchBrowser } from "./_browser.ts";
import { startServer } from "./_server.ts";
import { voterId } from "./_voters.ts";

const PASSWORD = "roll import browser password";
// Screenshots go to docs/ (shown in the README) with UPDATE_SCREENSHOTS=1.
const UPDATE_SCREENSHOTS = Deno.env.get("UPDATE_SCREENSHOTS") === "1";

Deno.test({
  name: "the roll import in Chromium without JavaScript, at 320 px",
  ignore: !browserAvailable(),
  sanitizeOps: false,
  sanitizeResources: false,
  async fn(t) {
    const dir = await Deno.makeTempDir({ prefix: "matdaan-roll-browser-" });
    const DOCS = UPDATE_SCREENSHOTS ? new URL("../docs/", import.meta.url).pathname : `${dir}/`;
    const roll = `${dir}/roll.csv`;
    await Deno.writeTextFile(
      roll,
      [
        "voter_id,name,age,address",
        ...[0, 1, 2].map((n) => `${voterId(n)},Voter ${"ABC"[n]},30,Pune`),
      ]
        .join("\n") + "\n",
    );
    const bad = `${dir}/bad.csv`;
    await Deno.writeTextFile(bad, "voter_id,name,age\nWKH1186263,Asha Rao,abc\n");
    const server = await startServer(["--db", `${dir}/e.db`, "--step", "10"], {
      env: { ADMIN_PASSWORD: PASSWORD },
    });
    const browser = await launchBrowser();
    // Playwright cannot evaluate (axe) in a page without JavaScript: axe runs in a second context.
    const contexts: { context: BrowserContext; page: Page }[] = [];
    // One after the other: two sign-ins at once may meet the sign-in throttle.
    for (const javaScriptEnabled of [true, false]) {
      const context = await browser.browser.newContext({
        viewport: { width: 320, height: 640 },
        javaScriptEnabled,
      });
      context.setDefaultTimeout(10_000);
      const page = await context.newPage();
      await page.goto(`${server.url}/admin`);
      await page.getByLabel("Password").fill(PASSWORD);
      await page.getByRole("button", { name: "Sign in" }).click();
      await page.getByRole("heading", { name: "Election administration" }).waitFor();
      await page.getByRole("link", { name: "Import the electoral roll (CSV)" }).click();
      await page.getByRole("heading", { name: "Import the electoral roll" }).waitFor();
      contexts.push({ context, page });
    }
    const [{ page: checked }, { page }] = contexts;
    try {
      await t.step("every page of the import passes axe and fits 320 px", async () => {
        assert.deepEqual(await axeViolations(checked), []);
        await checked.getByLabel(/Roll file/).setInputFiles(bad);
        await checked.getByRole("button", { name: "Upload and check" }).click();
        await checked.getByRole("heading", { name: "The roll was refused" }).waitFor();
        assert.deepEqual(await axeViolations(checked), []);
        const width = await checked.evaluate(() => document.documentElement.scrollWidth);
        assert.ok(width <= 320, `no sideways scrolling at 320 px (${width} px)`);
        await checked.screenshot({ path: `${DOCS}roll-import-problems.png`, fullPage: true });
        await checked.goto(`${server.url}/admin/roll/import`);
        await checked.getByLabel(/Roll file/).setInputFiles(roll);
        await checked.getByRole("button", { name: "Upload and check" }).click();
        await checked.getByRole("heading", { name: "Check the roll before importing it" })
          .waitFor();
        assert.deepEqual(await axeViolations(checked), []);
        const previewWidth = await checked.evaluate(() => document.documentElement.scrollWidth);
        assert.ok(previewWidth <= 320, `the preview fits 320 px (${previewWidth} px)`);
        await checked.screenshot({ path: `${DOCS}roll-import-preview.png`, fullPage: true });
        await checked.getByRole("button", { name: "Cancel" }).click();
        await checked.getByRole("heading", { name: "Election administration" }).waitFor();
      });

      await t.step(
        "without JavaScript, a bad file: its problems by line, in Hindi too",
        async () => {
          await page.getByLabel(/Roll file/).setInputFiles(bad);
          await page.getByRole("button", { name: "Upload and check" }).click();
          await page.getByRole("heading", { name: "The roll was refused" }).waitFor();
          const text = await page.locator("main").innerText();
          assert.match(text, /line 2: voter_id "WKH1186263" is not an EPIC number/);
          assert.match(text, /age "abc" is not a whole number/);
          await page.goto(`${server.url}/admin/roll/import?lang=hi`);
          await page.getByRole("heading", { name: "मतदाता सूची आयात करें" }).waitFor();
          await page.getByLabel(/सूची की फ़ाइल/).setInputFiles(bad);
          await page.getByRole("button", { name: "अपलोड करें और जाँचें" }).click();
          await page.getByRole("heading", { name: "सूची अस्वीकार कर दी गई" }).waitFor();
          assert.match(await page.locator("main").innerText(), /पंक्ति २: voter_id "WKH1186263"/);
          await page.goto(`${server.url}/admin/roll/import?lang=en`);
        },
      );

      await t.step(
        "without JavaScript, a good file: preview, confirm, the codes once",
        async () => {
          await page.getByLabel(/Roll file/).setInputFiles(roll);
          await page.getByRole("button", { name: "Upload and check" }).click();
          await page.getByRole("heading", { name: "Check the roll before importing it" }).waitFor();
          assert.match(await page.locator("main").innerText(), /3 voters; every row passed/);
          await page.getByRole("button", { name: "Import 3 voters" }).click();
          await page.getByRole("heading", { name: "The electoral roll is imported" }).waitFor();
          const [download] = await Promise.all([
            page.waitForEvent("download"),
            page.getByRole("link", { name: "Voting codes (CSV, for mail merge)" }).click(),
          ]);
          const codes = await Deno.readTextFile((await download.path())!);
          assert.equal(codes.trim().split("\n").length, 4, "a header and three voters");
          const booth = await contexts[1].context.newPage();
          await booth.goto(server.url);
          await booth.getByLabel("One-time voting code").waitFor();
        },
      );
    } finally {
      for (const { context } of contexts) await context.close();
      await browser.close();
      await server.stop();
      await Deno.remove(dir, { recursive: true });
    }
  },
});
