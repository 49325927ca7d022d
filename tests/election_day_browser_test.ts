/**
 * The election day in Chromium: a booth waiting for the administrator says so
 * at 320 px in English and Hindi (no form, no axe violation), the
 * administrator runs a mock poll from the panel (the booth shows its banner,
 * the dashboard labels it), clears it, and opens voting; a booth left open
 * on a phone then shows the form by itself.
 */
import assert from "node:assert/strict";
import { axeViolations, browserAvailable, launchBrowser } from "./_browser.ts";
import { startServer } from "./_server.ts";
import { sendVote } from "./_voters.ts";

const PASSWORD = "election day password";
const UPDATE_SCREENSHOTS = Deno.env.get("UPDATE_SCREENSHOTS") === "1";
const DOCS = new URL("../docs", import.meta.url).pathname;

Deno.test({
  name: "the election day in Chromium: not open yet, a mock poll, then opening by hand",
  ignore: !browserAvailable(),
  sanitizeOps: false,
  sanitizeResources: false,
  async fn(t) {
    const dir = await Deno.makeTempDir({ prefix: "matdaan-day-browser-" });
    const server = await startServer(
      ["--db", `${dir}/e.db`, "--opens-at", "admin", "--timezone", "Asia/Kolkata"],
      { env: { ADMIN_PASSWORD: PASSWORD } },
    );
    const browser = await launchBrowser();
    const phone = await browser.browser.newContext({ viewport: { width: 320, height: 640 } });
    const desk = await browser.browser.newContext({ viewport: { width: 1280, height: 900 } });
    phone.setDefaultTimeout(10_000);
    desk.setDefaultTimeout(10_000);
    try {
      const booth = await phone.newPage();
      await t.step("the booth says voting has not opened, in English and Hindi", async () => {
        for (
          const [lang, heading] of [["hi", "मतदान अभी शुरू नहीं हुआ है"], [
            "en",
            "Voting has not opened yet",
          ]]
        ) {
          await booth.goto(`${server.url}/?lang=${lang}`);
          await booth.getByRole("heading", { level: 1, name: heading }).waitFor();
          assert.equal(await booth.locator('button[name="party"]').count(), 0);
          assert.deepEqual(await axeViolations(booth), []);
          assert.ok(
            await booth.evaluate(() => document.documentElement.scrollWidth <= innerWidth),
            "nothing wider than 320 px",
          );
        }
        await booth.locator('[data-island="VoteBooth"][data-hydrated]').waitFor();
        if (UPDATE_SCREENSHOTS) await booth.screenshot({ path: `${DOCS}/booth-not-open.png` });
      });

      const admin = await desk.newPage();
      await admin.goto(`${server.url}/admin`);
      await admin.getByLabel("Password").fill(PASSWORD);
      await admin.getByRole("button", { name: "Sign in" }).click();

      await t.step(
        "a mock poll from the panel: the booth's banner, the count, the clearing",
        async () => {
          await admin.getByRole("button", { name: "Start mock poll" }).click();
          await admin.getByText("Mock poll running").waitFor();
          // The waiting booth turns into a mock-poll booth by itself.
          await booth.locator("[data-mock-poll]").waitFor();
          assert.equal(await booth.locator('button[name="party"]').count(), 4);
          assert.deepEqual(await axeViolations(booth), []);
          if (UPDATE_SCREENSHOTS) await booth.screenshot({ path: `${DOCS}/booth-mock-poll.png` });
          for (let n = 0; n < 3; n++) {
            assert.equal((await sendVote(server.url, n, "aap")).status, 201);
          }
          const board = await desk.newPage();
          await board.goto(`${server.url}/results`);
          await board.getByRole("heading", { name: "Mock poll results" }).waitFor();
          assert.deepEqual(await axeViolations(board), []);
          await admin.reload();
          await admin.getByText("AAP: 3").waitFor();
          if (UPDATE_SCREENSHOTS) {
            await admin.locator(".admin-day").screenshot({ path: `${DOCS}/admin-mock-poll.png` });
          }
          await admin.getByRole("button", { name: "Open voting" }).click();
          await admin.getByRole("alert").getByText(/mock poll still holds votes/).waitFor();
          await admin.getByRole("button", { name: "Clear mock poll" }).click();
          await admin.getByRole("button", { name: "Start mock poll" }).waitFor();
          assert.equal(await booth.locator("[data-not-open]").count(), 1, "waiting again");
        },
      );

      await t.step(
        "opening by hand: the phone's booth shows the form without a reload",
        async () => {
          await admin.getByRole("button", { name: "Open voting" }).click();
          await admin.getByText("Voting is open.").waitFor();
          await booth.locator('button[name="party"]').first().waitFor();
          assert.equal(await booth.locator("[data-mock-poll]").count(), 0);
          assert.equal((await sendVote(server.url, 0, "bjp")).status, 201);
        },
      );
    } finally {
      await browser.close();
      await server.stop();
      await Deno.remove(dir, { recursive: true });
    }
  },
});
