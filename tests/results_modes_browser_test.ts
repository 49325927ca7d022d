/**
 * The dashboard and the admin panel in each results mode, in a real
 * Chromium: live steps (and nothing between them), turnout only, sealed.
 */
import assert from "node:assert/strict";
import type { Page } from "playwright-core";
import { browserAvailable, launchBrowser } from "./_browser.ts";
import { startServer } from "./_server.ts";
import { sendVote } from "./_voters.ts";

const PASSWORD = "correct horse battery";
const UPDATE_SCREENSHOTS = Deno.env.get("UPDATE_SCREENSHOTS") === "1";

async function vote(url: string, n: number, party: string) {
  const res = await sendVote(url, n, party);
  assert.equal(res.status, 201);
  await res.body?.cancel();
}

async function text(page: Page, selector: string): Promise<string> {
  return (await page.locator(selector).first().textContent())?.trim() ?? "";
}

Deno.test({
  name: "the dashboard and the admin panel follow the results mode in Chromium",
  ignore: !browserAvailable(),
  sanitizeOps: false,
  sanitizeResources: false,
  async fn(t) {
    const dir = await Deno.makeTempDir({ prefix: "matdaan-modes-" });
    const DOCS = UPDATE_SCREENSHOTS ? new URL("../docs", import.meta.url).pathname : `${dir}/`;
    const browser = await launchBrowser();
    try {
      for (const results of ["live", "turnout", "sealed"] as const) {
        await t.step(`${results} mode`, async () => {
          const server = await startServer(
            ["--db", `${dir}/${results}.db`, "--results", results, "--step", "3", "--limit", "20"],
            { env: { ADMIN_PASSWORD: PASSWORD } },
          );
          const context = await browser.browser.newContext({
            viewport: { width: 1280, height: 900 },
          });
          context.setDefaultTimeout(10_000);
          try {
            const page = await context.newPage();
            await page.goto(`${server.url}/results`);
            await page.locator('[data-island="LiveTally"][data-hydrated]').waitFor();
            await page.locator('[data-connection="live"]').waitFor();
            const admin = await context.newPage();
            await admin.goto(`${server.url}/admin`);
            await admin.getByLabel("Password").fill(PASSWORD);
            await admin.getByRole("button", { name: "Sign in" }).click();
            await admin.locator('[data-island="AdminPanel"][data-hydrated]').waitFor();
            await admin.locator(".connection-live").waitFor();

            const parties = ["aap", "bjp", "aap", "nota"];
            for (let n = 0; n < 4; n++) await vote(server.url, 100 + n, parties[n]);
            // Read once the page has drawn the votes (the socket's update may come a moment later).
            const note = () => text(page, "[data-publication]");
            if (results === "live") {
              // Four votes: one step of three published, the fourth waits for its step.
              await page.locator("[data-total]", { hasText: /^3$/ }).waitFor();
              assert.equal(await text(page, '[data-party="aap"] [data-votes]'), "2");
              assert.equal(await text(page, '[data-party="bjp"] [data-votes]'), "1");
              assert.equal(await text(page, '[data-party="nota"] [data-votes]'), "0");
              assert.match(await note(), /next update comes within the next 3 votes/);
              await admin.locator("table.register tbody tr").nth(2).waitFor();
              assert.equal(await admin.locator("table.register tbody tr").count(), 3);
              await page.screenshot({ path: `${DOCS}/results-live-step.png` });
            } else if (results === "turnout") {
              await page.locator("[data-total]", { hasText: /^4$/ }).waitFor();
              assert.equal(await page.locator('[data-votes="sealed"]').count(), 1);
              assert.match(await note(), /Party results are published when voting closes/);
              await admin.locator("table.register tbody tr").nth(2).waitFor();
            } else {
              await admin.locator("table.register tbody tr").nth(2).waitFor();
              assert.equal(await page.locator('[data-total="sealed"]').count(), 1);
              assert.equal(await page.locator('[data-votes="sealed"]').count(), 1);
              assert.equal(await admin.locator('[data-total="sealed"]').count(), 1);
              assert.match(await note(), /Results and turnout are published when voting closes/);
              await page.screenshot({ path: `${DOCS}/results-sealed.png` });
            }
            // The register shows steps, never a time or a sequence number.
            const headers = await admin.locator(".admin-latest table.register th")
              .allTextContents();
            assert.deepEqual(headers, ["Step", "Voter ID", "Name", "Age", "Address"]);

            admin.on("dialog", (d) => d.dismiss());
            await admin.getByRole("checkbox").check();
            await admin.getByRole("button", { name: "End voting" }).click();
            await page.locator('[data-status="closed"]').waitFor();
            await page.locator("[data-total]", { hasText: /^4$/ }).waitFor();
            assert.equal(await text(page, '[data-party="aap"] [data-votes]'), "2");
            assert.equal(await text(page, '[data-party="nota"] [data-votes]'), "1");
            await admin.locator("table.register tbody tr").nth(3).waitFor();
          } finally {
            await context.close();
            await server.stop();
          }
        });
      }
    } finally {
      await browser.close();
      await Deno.remove(dir, { recursive: true });
    }
  },
});
