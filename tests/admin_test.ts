import assert from "node:assert/strict";
import { DatabaseSync } from "node:sqlite";
import { createApp } from "../app.ts";
import { AdminAuth } from "../lib/admin/admin_auth.ts";
import { THROTTLE_DEFAULTS } from "../lib/admin/sign_in_throttle.ts";
import { FailedSignIns } from "../lib/admin/failed_sign_ins.ts";
import { AuditLog, verifyAuditLog } from "../lib/admin/audit_log.ts";
import { openSqliteStore } from "../lib/store/sqlite/sqlite_store.ts";
import type { ElectionStore } from "../lib/store/store.ts";
import { postVote } from "./_app.ts";
import { ballot } from "./_voters.ts";
import { waitFor } from "./_wait.ts";

const PASSWORD = "correct horse battery";

interface AdminApp {
  app: ReturnType<typeof createApp>;
  store: ElectionStore;
  audit: AuditLog;
  auditPath: string;
  failedSignIns: FailedSignIns;
  dispose(): Promise<void>;
}

async function adminApp(): Promise<AdminApp> {
  const dir = await Deno.makeTempDir({ prefix: "matdaan-admin-" });
  const store = await openSqliteStore(`${dir}/e.db`, { limit: 100, step: 1 });
  const auditPath = `${dir}/e.audit.db`;
  const audit = new AuditLog(auditPath);
  const failedSignIns = new FailedSignIns(audit, { intervalMs: 0 });
  const app = createApp({
    store,
    // No hold before a throttled answer: on the real clock it would outlast the wait itself.
    admin: { auth: new AdminAuth(PASSWORD), audit, failedSignIns, throttledHoldMs: 0 },
  });
  return {
    app,
    failedSignIns,
    store,
    audit,
    auditPath,
    async dispose() {
      await store.shutdown();
      audit.close();
      await Deno.remove(dir, { recursive: true });
    },
  };
}

function login(app: AdminApp["app"], password: string) {
  return app.request("/admin/login", {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ password }),
  });
}

async function sessionCookie(app: AdminApp["app"]): Promise<string> {
  const res = await login(app, PASSWORD);
  assert.equal(res.status, 303);
  const cookie = res.headers.get("set-cookie")!;
  assert.match(cookie, /HttpOnly/);
  assert.match(cookie, /SameSite=Strict/);
  assert.match(cookie, /Max-Age|Expires/);
  return cookie.split(";")[0];
}

Deno.test("admin routes refuse requests without a session", async (t) => {
  const a = await adminApp();
  try {
    const cases: [string, string, Record<string, string>, number][] = [
      ["POST", "/admin/close", {}, 401],
      ["POST", "/admin/logout", {}, 401],
      ["GET", "/admin/export/result.csv", {}, 401],
      ["GET", "/admin/export/result.json", {}, 401],
      ["GET", "/admin/export/turnout.csv", {}, 401],
      ["GET", "/ws/admin", { upgrade: "websocket" }, 401],
      ["GET", "/admin/export/turnout.csv", { accept: "text/html" }, 303],
    ];
    for (const [method, path, headers, status] of cases) {
      await t.step(`${method} ${path} ${JSON.stringify(headers)} → ${status}`, async () => {
        const res = await a.app.request(path, { method, headers });
        assert.equal(res.status, status);
        if (status === 401) assert.equal((await res.json()).error.code, "unauthorized");
        else assert.equal(res.headers.get("location"), "/admin");
      });
    }
    const page = await a.app.request("/admin");
    assert.equal(page.status, 200);
    assert.match(await page.text(), /Administrator sign-in/);
    assert.equal(a.store.snapshot().status, "open");
  } finally {
    await a.dispose();
  }
});

Deno.test("a wrong password is refused, and repeated failures make the address wait", async () => {
  const a = await adminApp();
  try {
    const wrong = await login(a.app, "not the password");
    assert.equal(wrong.status, 401);
    assert.match(await wrong.text(), /That password is not right/);
    let last: Response = wrong;
    for (let i = 1; i <= THROTTLE_DEFAULTS.freeFailures + 1; i++) {
      last = await login(a.app, `guess ${i}`);
    }
    assert.equal(last.status, 429);
    assert.ok(Number(last.headers.get("retry-after")) > 0);
    await last.body?.cancel();
    // Made to wait even for the right password (from another address it passes).
    const right = await login(a.app, PASSWORD);
    assert.equal(right.status, 429);
    assert.equal(right.headers.get("set-cookie"), null);
    await right.body?.cancel();
    a.failedSignIns.flush();
    const failed = a.audit.recent(10).filter((e) => e.event === "login-failed");
    assert.equal(failed.length, 1);
    assert.equal(JSON.parse(failed[0].detail).count, THROTTLE_DEFAULTS.freeFailures + 3);
  } finally {
    await a.dispose();
  }
});

Deno.test("the administrator signs in, sees the panel, and ends voting", async () => {
  const a = await adminApp();
  try {
    await postVote(a.app, ballot(1, "aap")).then((r) => r.body?.cancel());
    const cookie = await sessionCookie(a.app);
    const panel = await a.app.request("/admin", { headers: { cookie } });
    const html = await panel.text();
    assert.match(html, /Election administration/);
    assert.match(html, /data-island="AdminPanel"/);
    assert.doesNotMatch(html, /"party":"aap"/, "the register never says how anyone voted");

    const res = await a.app.request("/admin/close", { method: "POST", headers: { cookie } });
    assert.equal(res.status, 200);
    const tally = await res.json();
    assert.equal(tally.status, "closed");
    assert.equal(tally.closedReason, "admin");
    const publicTally = await (await a.app.request("/api/tally")).json();
    assert.equal(publicTally.closedReason, "admin");
    assert.deepEqual(publicTally.result, { winner: "aap", tie: [] });
    const again = await a.app.request("/admin/close", { method: "POST", headers: { cookie } });
    assert.equal(again.status, 409);
    assert.equal((await again.json()).error.code, "voting_closed");
    assert.ok(a.audit.recent(5).some((e) => e.event === "close" && e.actor === "admin"));

    const out = await a.app.request("/admin/logout", { method: "POST", headers: { cookie } });
    assert.equal(out.status, 303);
    const after = await a.app.request("/admin/export/result.json", { headers: { cookie } });
    assert.equal(after.status, 401);
    await after.body?.cancel();
  } finally {
    await a.dispose();
  }
});

Deno.test("closing from the form needs the confirmation box", async () => {
  const a = await adminApp();
  try {
    const cookie = await sessionCookie(a.app);
    const form = (body: Record<string, string>) =>
      a.app.request("/admin/close", {
        method: "POST",
        headers: { cookie, "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams(body),
      });
    const unconfirmed = await form({});
    assert.equal(unconfirmed.status, 400);
    assert.match(await unconfirmed.text(), /Tick the box/);
    assert.equal(a.store.snapshot().status, "open");
    // A broken multipart body reads as an unticked box, not a fault on our side.
    const broken = await a.app.request("/admin/close", {
      method: "POST",
      headers: { cookie, "content-type": "multipart/form-data; boundary=x" },
      body: "confirm=yes",
    });
    assert.equal(broken.status, 400);
    assert.match(await broken.text(), /Tick the box/);
    assert.equal(a.store.snapshot().status, "open");
    const confirmed = await form({ confirm: "yes" });
    assert.equal(confirmed.status, 303);
    assert.equal(a.store.snapshot().closedReason, "admin");
  } finally {
    await a.dispose();
  }
});

Deno.test("state-changing requests from another site are refused with 403", async () => {
  const a = await adminApp();
  try {
    const cookie = await sessionCookie(a.app);
    const evil = { origin: "http://evil.example" };
    const close = await a.app.request("http://localhost/admin/close", {
      method: "POST",
      headers: { cookie, ...evil },
    });
    assert.equal(close.status, 403);
    assert.equal((await close.json()).error.code, "forbidden");
    const crossSite = await a.app.request("http://localhost/admin/close", {
      method: "POST",
      headers: { cookie, "sec-fetch-site": "cross-site" },
    });
    assert.equal(crossSite.status, 403);
    await crossSite.body?.cancel();
    const sibling = await a.app.request("http://localhost/admin/close", {
      method: "POST",
      headers: { cookie, "sec-fetch-site": "same-site" },
    });
    assert.equal(sibling.status, 403);
    await sibling.body?.cancel();
    const socket = await a.app.request("http://localhost/ws/admin", {
      headers: { cookie, upgrade: "websocket", origin: "http://evil.example" },
    });
    assert.equal(socket.status, 403, "a cross-site page may not open the admin socket");
    await socket.body?.cancel();
    assert.equal(a.store.snapshot().status, "open");

    const vote = await postVote(a.app, ballot(2), evil);
    assert.equal(vote.status, 403);
    await vote.body?.cancel();
    const own = await a.app.request("http://localhost/api/votes", {
      method: "POST",
      headers: { "content-type": "application/json", origin: "http://localhost" },
      body: JSON.stringify(ballot(2)),
    });
    assert.equal(own.status, 201);
    await own.body?.cancel();
    assert.equal(a.store.snapshot().total, 1);
  } finally {
    await a.dispose();
  }
});

Deno.test("every page carries the security headers", async () => {
  const a = await adminApp();
  try {
    for (const path of ["/", "/results", "/admin", "/api/tally"]) {
      const res = await a.app.request(path);
      await res.body?.cancel();
      const csp = res.headers.get("content-security-policy") ?? "";
      assert.match(csp, /script-src 'self'/, path);
      assert.match(csp, /frame-ancestors 'none'/, path);
      assert.doesNotMatch(csp, /unsafe-inline/, path);
      assert.equal(res.headers.get("x-content-type-options"), "nosniff");
      assert.equal(res.headers.get("referrer-policy"), "same-origin");
      assert.equal(res.headers.get("strict-transport-security"), null, "no HSTS without TLS");
    }
  } finally {
    await a.dispose();
  }
});

Deno.test("exports: the result as CSV and JSON, the register as escaped CSV", async () => {
  const a = await adminApp();
  try {
    await a.store.cast({ ...ballot(1, "bjp"), address: '=HYPERLINK("http://x"), Pune' });
    await a.store.cast(ballot(2, "bjp"));
    const cookie = await sessionCookie(a.app);
    const csv = await (await a.app.request("/admin/export/result.csv", { headers: { cookie } }))
      .text();
    assert.match(
      csv,
      /^\uFEFFparty,name,votes,share\r\nbjp,BJP,2,100\.0%\r\ncongress,Congress,0,0\.0%\r\n/,
    );
    const json = await (await a.app.request("/admin/export/result.json", { headers: { cookie } }))
      .json();
    assert.equal(json.total, 2);
    const res = await a.app.request("/admin/export/turnout.csv", { headers: { cookie } });
    assert.match(res.headers.get("content-disposition") ?? "", /turnout\.csv/);
    const lines = (await res.text()).trimEnd().split("\r\n");
    assert.equal(lines[0].replace(/^\uFEFF/, ""), "step,voter_id,name,age,address"); // BOM: exports_test
    assert.equal(lines.length, 3);
    assert.ok(lines[1].endsWith(`,"'=HYPERLINK(""http://x""), Pune"`), lines[1]);
    assert.ok(!lines.join().includes("bjp"), "the register has no party");
    assert.equal(a.audit.recent(10).filter((e) => e.event === "export").length, 3);
  } finally {
    await a.dispose();
  }
});

Deno.test("/ws/admin streams new register entries to a signed-in administrator", async () => {
  const a = await adminApp();
  const server = Deno.serve({ port: 0, hostname: "127.0.0.1", onListen() {} }, a.app.fetch);
  try {
    const cookie = await sessionCookie(a.app);
    const url = `ws://127.0.0.1:${server.addr.port}/ws/admin?after=0`;
    // deno-lint-ignore no-explicit-any
    const ws = new WebSocket(url, { headers: { cookie } } as any);
    const names: string[] = [];
    ws.onmessage = (e) => {
      const message = JSON.parse(e.data);
      if (message.type === "turnout") {
        names.push(...message.entries.map((x: { name: string }) => x.name));
      }
      assert.ok(!e.data.includes('"party"'), "never how anyone voted");
    };
    await new Promise((r) => ws.onopen = r);
    await a.store.cast({ ...ballot(1, "nota"), name: "Meera Iyer" });
    await waitFor(() => names.includes("Meera Iyer"), 10_000, {
      what: "Meera Iyer in the register",
    });
    const closed = new Promise((r) => ws.onclose = r);
    ws.close();
    await closed;
  } finally {
    await server.shutdown();
    await a.dispose();
  }
});

Deno.test("the audit log's chain detects an edited and a deleted entry", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const path = `${dir}/e.audit.db`;
    const log = new AuditLog(path);
    for (const event of ["start", "login", "close", "export"]) {
      log.append({ actor: "admin", address: "127.0.0.1", event });
    }
    log.close();
    const intact = verifyAuditLog(path);
    assert.ok(intact.ok && intact.count === 4);
    const verify = () =>
      new Deno.Command(Deno.execPath(), {
        args: ["task", "audit-verify", "--db", `${dir}/e.db`],
        stdout: "piped",
        stderr: "piped",
      }).output();
    assert.equal((await verify()).code, 0);

    // An attacker with the file removes the guard and rewrites history.
    const db = new DatabaseSync(path);
    db.exec("DROP TRIGGER audit_no_update; DROP TRIGGER audit_no_delete");
    db.exec("UPDATE audit SET address = '10.0.0.9' WHERE seq = 2");
    db.close();
    const edited = verifyAuditLog(path);
    assert.deepEqual(edited, {
      ok: false,
      seq: 2,
      problem: "entry 2 was changed after it was written",
    });
    const out = await verify();
    assert.equal(out.code, 1);
    assert.match(new TextDecoder().decode(out.stderr), /tampered with: entry 2 was changed/);

    const again = new DatabaseSync(path);
    again.exec("DELETE FROM audit WHERE seq = 2");
    again.close();
    assert.deepEqual(verifyAuditLog(path), { ok: false, seq: 2, problem: "entry 2 is missing" });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
