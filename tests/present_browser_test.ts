/**
 * The projector view (`/present`) in a real Chromium at 1920×1080 and
 * 1280×720: the QR code in a screenshot decodes to the booth URL, the figures
 * are large and fit the screen, turnout is live, party counts wait for the
 * close, and the winner shows after it. Screenshots go to docs/ with
 * UPDATE_SCREENSHOTS=1 (the README shows them).
 */
import assert from "node:assert/strict";
import axe from "axe-core";
import type { Page } from "playwright-core";
import { browserAvailable, launchBrowser } from "./_browser.ts";
import { startServer } from "./_server.ts";
import { sendVote } from "./_voters.ts";
import { decodePngQr } from "./_qr.ts";

const UPDATE_SCREENSHOTS = Deno.env.get("UPDATE_SCREENSHOTS") === "1";
const SIZES = [{ width: 1920, height: 1080 }, { width: 1280, height: 720 }];

async function fontPx(page: Page, selector: string): Promise<number> {
  return await page.locator(selector).first().evaluate((el) =>
    parseFloat(getComputedStyle(el).fontSize)
  );
}

async function fitsTheScreen(page: Page): Promise<boolean> {
  return await page.evaluate(() =>
    document.documentElement.scrollHeight <= innerHeight &&
    document.documentElement.scrollWidth <= innerWidth
  );
}

Deno.test({
  name:
    "/present: a QR code that decodes to the booth URL, live turnout, the winner after the close",
  ignore: !browserAvailable(),
  sanitizeOps: false,
  sanitizeResources: false,
  async fn(t) {
    const dir = await Deno.makeTempDir({ prefix: "matdaan-present-" });
    const docs = UPDATE_SCREENSHOTS ? new URL("../docs", import.meta.url).pathname : dir;
    const server = await startServer(["--db", `${dir}/e.db`, "--limit", "5"]);
    const browser = await launchBrowser();
    try {
      for (const viewport of SIZES) {
        await t.step(`at ${viewport.width}×${viewport.height} while open`, async () => {
          const context = await browser.browser.newContext({ viewport });
          context.setDefaultTimeout(10_000);
          const page = await context.newPage();
          await page.goto(`${server.url}/present`);
          await page.locator('[data-island="PresentBoard"][data-hydrated]').waitFor();
          const png = await page.screenshot();
          // The server listens on 127.0.0.1 only, so that is the booth URL voters get.
          assert.equal(await decodePngQr(png), `${server.url}/`);
          assert.equal(await page.locator("[data-join]").getAttribute("href"), `${server.url}/`);
          assert.ok(await fitsTheScreen(page), "no scrolling on a projector");
          const scale = viewport.height / 1080;
          assert.ok(await fontPx(page, "[data-total]") >= 150 * scale, "turnout in huge figures");
          assert.ok(await fontPx(page, ".present-link") >= 36 * scale, "the link readable afar");
          const qr = await page.locator(".present-qr").boundingBox();
          assert.ok(qr && qr.height >= viewport.height * 0.55, "the QR code fills the height");
          assert.deepEqual(
            (await page.evaluate(axe.source).then(() =>
              page.evaluate(() =>
                // deno-lint-ignore no-explicit-any
                (globalThis as any).axe.run(document, { resultTypes: ["violations"] })
              )
            )).violations.map((v: { id: string }) => v.id),
            [],
          );
          if (viewport.width === 1920) {
            await Deno.writeFile(`${docs}/present-1920.png`, png);
          }
          await context.close();
        });
      }

      await t.step(
        "turnout is live; party counts and the winner only after the close",
        async () => {
          const context = await browser.browser.newContext({ viewport: SIZES[1] });
          context.setDefaultTimeout(10_000);
          const page = await context.newPage();
          await page.goto(`${server.url}/present`);
          await page.locator('[data-island="PresentBoard"][data-hydrated]').waitFor();
          for (const [i, party] of ["aap", "aap", "bjp", "nota"].entries()) {
            const res = await sendVote(server.url, 500 + i, party);
            assert.equal(res.status, 201);
            await res.body?.cancel();
          }
          await page.locator("[data-total]", { hasText: /^4$/ }).waitFor();
          const open = await page.locator("main").innerText();
          assert.doesNotMatch(open, /AAP|BJP|NOTA/, "no party counts while open");
          const res = await sendVote(server.url, 600, "congress");
          await res.body?.cancel();
          await page.locator("[data-outcome]", { hasText: "AAP wins." }).waitFor();
          assert.equal(await page.locator("[data-status]").innerText(), "Voting has closed");
          // The projector left open through the close leads to the result, not to a
          // closed booth, by itself: the heading and the QR code change with no reload.
          await page.locator("#join-title", { hasText: "Scan for the results" }).waitFor();
          await page.locator('[data-island="PresentBoard"][data-hydrated]').waitFor();
          await page.locator("[data-outcome]", { hasText: "AAP wins." }).waitFor();
          assert.ok(await fitsTheScreen(page), "the result fits the screen too");
          const png = await page.screenshot({ path: `${docs}/present-1280-closed.png` });
          assert.equal(await decodePngQr(png), `${server.url}/results`);
          await context.close();
        },
      );
    } finally {
      await browser.close();
      await server.stop();
      await Deno.remove(dir, { recursive: true });
    }
  },
});
