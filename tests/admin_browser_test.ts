/** The admin panel in a real Chromium: the register shows names as text, and a close shows live. */
import assert from "node:assert/strict";
import { browserAvailable, launchBrowser } from "./_browser.ts";
import { startServer } from "./_server.ts";
import { ballot } from "./_voters.ts";

const PASSWORD = "correct horse battery";

Deno.test({
  name: "the admin panel in Chromium",
  ignore: !browserAvailable(),
  sanitizeOps: false,
  sanitizeResources: false,
  async fn(t) {
    const dir = await Deno.makeTempDir({ prefix: "matdaan-admin-browser-" });
    const server = await startServer(["--db", `${dir}/e.db`, "--timezone", "Asia/Kolkata"], {
      env: { ADMIN_PASSWORD: PASSWORD },
    });
    const browser = await launchBrowser();
    const context = await browser.browser.newContext({ viewport: { width: 1280, height: 900 } });
    context.setDefaultTimeout(10_000);
    try {
      const admin = await context.newPage();
      let dialogs = 0;
      admin.on("dialog", (d) => (dialogs++, d.dismiss()));
      await admin.goto(`${server.url}/admin`);
      const card = await admin.locator(".admin-login").boundingBox();
      assert.ok(
        card && card.height < 450,
        `the sign-in card is not stretched (${card?.height} px)`,
      );
      await admin.getByLabel("Password").fill(PASSWORD);
      await admin.getByRole("button", { name: "Sign in" }).click();
      await admin.getByRole("heading", { name: "Election administration" }).waitFor();
      await admin.locator('[data-island="AdminPanel"][data-hydrated]').waitFor();

      await t.step("a voter named with HTML appears in the register as text", async () => {
        const name = "<img src=x onerror=alert(1)>";
        const res = await fetch(`${server.url}/api/votes`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ ...ballot(1, "aap"), address: name }),
        });
        // The schema refuses such a name, so the address carries it into the register.
        assert.equal(res.status, 201);
        await res.body?.cancel();
        await admin.locator(".admin-latest td", { hasText: name }).waitFor();
        // The register shows the step, never a time (issue 11).
        assert.equal(await admin.locator(".admin-latest th", { hasText: "Time" }).count(), 0);
        assert.equal(await admin.locator(".admin-latest th", { hasText: "Step" }).count(), 1);
        assert.equal(await admin.locator(".admin-latest img").count(), 0);
        assert.equal(dialogs, 0);
        const refused = await fetch(`${server.url}/api/votes`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ ...ballot(2), name }),
        });
        assert.equal(refused.status, 400);
        await refused.body?.cancel();
      });

      await t.step(
        "ending the vote in the panel closes the booth and the dashboard live",
        async () => {
          const booth = await context.newPage();
          await booth.goto(server.url);
          await booth.locator('[data-island="VoteBooth"][data-hydrated]').waitFor();
          const results = await context.newPage();
          await results.goto(`${server.url}/results`);
          await results.locator('[data-connection="live"]').waitFor();

          // Without the confirmation box ticked, the browser does not send the form:
          // the form is invalid, so no request leaves (no sleep needed to show it).
          const closeRequests: string[] = [];
          admin.on("request", (r) => {
            if (new URL(r.url()).pathname === "/admin/close") closeRequests.push(r.method());
          });
          await admin.getByRole("button", { name: "End voting" }).click();
          const confirm = admin.getByLabel(/I understand that this ends voting/);
          const valid = await confirm.evaluate((box) =>
            (box as HTMLInputElement).form?.checkValidity()
          );
          assert.equal(valid, false);
          assert.deepEqual(closeRequests, []);
          assert.equal((await (await fetch(`${server.url}/api/tally`)).json()).status, "open");
          await confirm.check();
          const entries = Number(await admin.locator("[data-audit-count]").innerText());
          await admin.getByRole("button", { name: "End voting" }).click();
          await admin.locator(".admin-status", {
            hasText: "Voting was closed by the administrator.",
          }).waitFor();
          await admin.locator("[data-outcome]", { hasText: "AAP wins." }).waitFor();
          // The audit list follows without a reload: the close and the new head hash.
          await admin.locator("[data-audit-count]", { hasText: String(entries + 1) }).waitFor();
          await admin.locator(".audit li", { hasText: /close by admin/ }).first().waitFor();
          assert.match(await admin.locator(".audit li time").first().innerText(), / IST$/);

          await booth.getByText("Voting has ended").waitFor();
          assert.equal(await booth.locator(".party-button:enabled").count(), 0);
          await results.getByText(/AAP wins/).first().waitFor();
          // The dashboard's title and pill say the result is final.
          await results.getByRole("heading", { level: 1, name: "Final results" }).waitFor();
          await results.locator("[data-connection]", { hasText: "Final result" }).waitFor();
          assert.match(await results.title(), /^Final results · /);
          const tally = await (await fetch(`${server.url}/api/tally`)).json();
          assert.equal(tally.closedReason, "admin");
        },
      );

      await t.step(
        "sign out everywhere, from another browser, makes the panel ask to sign in",
        async () => {
          const other = await browser.browser.newContext();
          try {
            const page = await other.newPage();
            await page.goto(`${server.url}/admin`);
            await page.getByLabel("Password").fill(PASSWORD);
            await page.getByRole("button", { name: "Sign in" }).click();
            await page.getByRole("button", { name: "Sign out everywhere" }).click();
            await page.getByRole("heading", { name: "Administrator sign-in" }).waitFor();
            await admin.getByRole("alert").filter({ hasText: "Your session has ended" }).waitFor();
            await admin.getByRole("link", { name: "Sign in again" }).click();
            await admin.getByRole("heading", { name: "Administrator sign-in" }).waitFor();
          } finally {
            await other.close();
          }
        },
      );
    } finally {
      await context.close();
      await browser.close();
      await server.stop();
      await Deno.remove(dir, { recursive: true });
    }
  },
});
