/**
 * The panel's small things through `app.request()`: a register search that
 * finds nobody says so, times are in the election's zone and labelled, the
 * audit list's data follows the log, and the dashboard's title changes at the close.
 */
import assert from "node:assert/strict";
import { createApp } from "../app.ts";
import { AdminAuth } from "../lib/admin/admin_auth.ts";
import { AuditLog } from "../lib/admin/audit_log.ts";
import { openSqliteStore } from "../lib/store/sqlite/sqlite_store.ts";
import { ballot } from "./_voters.ts";
import { signIn } from "./_app.ts";

const PASSWORD = "correct horse battery";

async function panelApp(step = 1) {
  const dir = await Deno.makeTempDir({ prefix: "matdaan-small-" });
  const store = await openSqliteStore(`${dir}/e.db`, { step });
  const audit = new AuditLog(":memory:");
  const app = createApp({
    store,
    admin: { auth: new AdminAuth(PASSWORD), audit },
    timeZone: "Asia/Kolkata",
  });
  const cookie = await signIn(app, PASSWORD);
  return {
    app,
    store,
    audit,
    headers: { cookie },
    async dispose() {
      await store.shutdown();
      audit.close();
      await Deno.remove(dir, { recursive: true });
    },
  };
}

Deno.test("register search for a name nobody has says no one matches, not that no one voted", async () => {
  const a = await panelApp();
  try {
    await a.store.cast({ ...ballot(1), name: "Meera Iyer" });
    const miss = await (await a.app.request("/admin?search=Zubin", { headers: a.headers })).text();
    assert.match(miss, /No one in the register matches “Zubin”\./);
    assert.doesNotMatch(miss.split("search-title")[1], /No voter to show yet/);
    const hit = await (await a.app.request("/admin?search=meera", { headers: a.headers })).text();
    assert.match(hit, /<td>Meera Iyer<\/td>/);
    assert.match(hit, /<th scope="col">Step<\/th>/, "the register shows steps, not times");
  } finally {
    await a.dispose();
  }
});

Deno.test("the audit list's times are in the election's zone, and /admin/audit.json follows the log", async () => {
  const a = await panelApp();
  try {
    const page = await (await a.app.request("/admin", { headers: a.headers })).text();
    assert.match(page, /<time datetime="[^"]+Z">\d{4}-\d\d-\d\d \d\d:\d\d:\d\d IST<\/time>/);
    const anonymous = await a.app.request("/admin/audit.json");
    assert.equal(anonymous.status, 401);
    await anonymous.body?.cancel();
    const before = await (await a.app.request("/admin/audit.json", { headers: a.headers })).json();
    const close = await a.app.request("/admin/close", { method: "POST", headers: a.headers });
    assert.equal(close.status, 200);
    await close.body?.cancel();
    const after = await (await a.app.request("/admin/audit.json", { headers: a.headers })).json();
    assert.equal(after.head.seq, before.head.seq + 1);
    assert.notEqual(after.head.hash, before.head.hash);
    assert.equal(after.entries[0].event, "close");
    assert.equal(after.entries[0].detail, undefined, "the panel's list carries no details");
  } finally {
    await a.dispose();
  }
});

Deno.test("the dashboard is titled Live results while open and Final results after the close", async () => {
  const a = await panelApp();
  try {
    const open = await (await a.app.request("/results")).text();
    assert.match(open, /<title>Live results · Matdaan<\/title>/);
    assert.match(open, /<h1 class="results-title">Live results<\/h1>/);
    assert.match(open, / IST<\/time>/, "the last update in the election's zone");
    await a.store.close("admin");
    const closed = await (await a.app.request("/results")).text();
    assert.match(closed, /<title>Final results · Matdaan<\/title>/);
    assert.match(closed, /<h1 class="results-title">Final results<\/h1>/);
  } finally {
    await a.dispose();
  }
});

Deno.test("the sign-in page tells an organiser who lost the password how to make a new one", async () => {
  const dir = await Deno.makeTempDir({ prefix: "matdaan-signin-hint-" });
  const store = await openSqliteStore(`${dir}/e.db`, {});
  const audit = new AuditLog(`${dir}/e.audit.db`);
  try {
    const app = createApp({
      store,
      admin: { auth: new AdminAuth("correct horse battery"), audit },
    });
    for (const lang of ["en", "hi"]) {
      const page = await (await app.request(`/admin?lang=${lang}`)).text();
      assert.match(page, /<code>deno task admin-password<\/code>/, lang);
    }
  } finally {
    await store.shutdown();
    audit.close();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("votes waiting for their step do not read as no one having voted", async () => {
  const a = await panelApp(10);
  try {
    await a.store.cast(ballot(1));
    await a.store.cast(ballot(2));
    const panel = await (await a.app.request("/admin", { headers: a.headers })).text();
    const latest = panel.slice(panel.indexOf(`id="latest-title"`));
    assert.match(latest, /No voter to show yet: voters appear here once the step that holds/);
    assert.doesNotMatch(latest, /No one has voted/);
    assert.match(panel, /The first update comes within the next 10 votes/);
  } finally {
    await a.dispose();
  }
});
