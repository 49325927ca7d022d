/**
 * Every address of the HTTP contract answers another method with `405
 * method_not_allowed` and an `Allow` header naming the methods it takes: the
 * contract's JSON for API clients, the designed page for a browser, in
 * English and Hindi. An address that is not there at all stays a 404.
 */
import assert from "node:assert/strict";
import { AdminAuth } from "../lib/admin/admin_auth.ts";
import { AuditLog } from "../lib/admin/audit_log.ts";
import { RollUploads } from "../lib/admin/roll_uploads.ts";
import { translate } from "../lib/i18n/catalogue.ts";
import { signIn, testApp } from "./_app.ts";

const PASSWORD = "method test password";

/** Each address of the contract, a method it does not take, and its `Allow`. */
const WRONG_METHODS: [method: string, path: string, allow: string][] = [
  ["POST", "/", "GET, HEAD"],
  ["DELETE", "/vote", "GET, HEAD, POST"],
  ["GET", "/api/votes", "POST"],
  ["PUT", "/api/tally", "GET, HEAD"],
  ["POST", "/ws/tally", "GET, HEAD"],
  ["POST", "/results", "GET, HEAD"],
  ["POST", "/results/result.csv", "GET, HEAD"],
  ["PUT", "/results/summary.csv", "GET, HEAD"],
  ["POST", "/present", "GET, HEAD"],
  ["DELETE", "/admin", "GET, HEAD"],
  ["GET", "/admin/login", "POST"],
  ["GET", "/admin/logout", "POST"],
  ["GET", "/admin/logout-everywhere", "POST"],
  ["GET", "/admin/close", "POST"],
  ["GET", "/admin/open", "POST"],
  ["GET", "/admin/mock-poll", "POST"],
  ["GET", "/admin/mock-poll/clear", "POST"],
  ["POST", "/admin/session", "GET, HEAD"],
  ["POST", "/admin/roll/import", "GET, HEAD"],
  ["GET", "/admin/roll/upload", "POST"],
  ["GET", "/admin/roll/confirm", "POST"],
  ["GET", "/admin/roll/discard", "POST"],
  ["POST", "/admin/roll/download/abc", "GET, HEAD"],
  ["GET", "/admin/roll/reissue", "POST"],
  ["POST", "/ws/admin", "GET, HEAD"],
  ["POST", "/admin/export/result.csv", "GET, HEAD"],
  ["DELETE", "/admin/export/turnout.csv", "GET, HEAD"],
  ["POST", "/admin/audit.json", "GET, HEAD"],
  ["DELETE", "/api/receipts/0000-0000-0000", "GET, HEAD"],
  ["POST", "/receipt/0000-0000-0000", "GET, HEAD"],
  ["POST", "/check", "GET, HEAD"],
  ["POST", "/fonts/5.3.0/noto-sans-devanagari-400.woff2", "GET, HEAD"],
  ["POST", "/healthz", "GET, HEAD"],
];

function contractApp() {
  return testApp({}, async (dir) => ({
    admin: { auth: new AdminAuth(PASSWORD), audit: new AuditLog(":memory:") },
    rollUploads: await RollUploads.open({
      dir: `${dir}/staging`,
      maxBytes: 1024,
      saveKey: (key) => Deno.writeFile(`${dir}/codes.key`, key),
    }),
  }));
}

Deno.test("every address of the contract answers a method it does not take with 405 and Allow", async (t) => {
  const a = await contractApp();
  try {
    const cookie = await signIn(a.app, PASSWORD);
    for (const signedIn of [false, true]) {
      await t.step(signedIn ? "signed in" : "without a session", async () => {
        for (const [method, path, allow] of WRONG_METHODS) {
          const res = await a.app.request(path, {
            method,
            headers: { origin: "http://localhost", ...(signedIn ? { cookie } : {}) },
          });
          const what = `${method} ${path}`;
          // Folders behind the session as a whole (/admin/roll/*, /admin/export/*)
          // ask for it first, and tell nobody else which addresses they hold.
          if (!signedIn && res.status === 401 && /^\/admin\/(roll|export)\//.test(path)) {
            assert.equal((await res.json()).error.code, "unauthorized", what);
            continue;
          }
          assert.equal(res.status, 405, what);
          assert.equal(res.headers.get("allow"), allow, what);
          const body = await res.json();
          assert.equal(body.error.code, "method_not_allowed", what);
          assert.equal(body.error.message, translate("en", "method_not_allowed"), what);
        }
      });
    }
    await t.step("nothing changed: voting is still open", () => {
      assert.equal(a.store.snapshot().status, "open");
    });
  } finally {
    await a.dispose();
  }
});

Deno.test("a browser gets the designed 405 page in its language; the API answers JSON in it", async () => {
  const a = await contractApp();
  try {
    for (const locale of ["en", "hi"] as const) {
      const page = await a.app.request("/admin/open", {
        headers: { accept: "text/html,*/*", "accept-language": locale },
      });
      assert.equal(page.status, 405);
      assert.equal(page.headers.get("allow"), "POST");
      assert.match(page.headers.get("content-type") ?? "", /^text\/html/);
      const html = await page.text();
      assert.match(html, new RegExp(`<html lang="${locale}"`));
      assert.ok(html.includes(translate(locale, "method_not_allowed_title")), locale);
      assert.ok(html.includes(translate(locale, "method_not_allowed_text")), locale);
      assert.ok(html.includes('href="/admin"'), `${locale}: a way back to the panel`);

      const api = await a.app.request("/api/votes", {
        headers: { accept: "text/html", "accept-language": locale },
      });
      assert.equal(api.status, 405);
      assert.equal(
        (await api.json()).error.message,
        translate(locale, "method_not_allowed"),
        locale,
      );
    }
  } finally {
    await a.dispose();
  }
});

Deno.test("an address that is not there stays 404 for every method, and HEAD follows GET", async () => {
  const a = await contractApp();
  try {
    for (const method of ["GET", "POST", "DELETE"]) {
      const res = await a.app.request("/admin/nothing-here", {
        method,
        headers: { origin: "http://localhost" },
      });
      assert.equal(res.status, 404, method);
      assert.equal(res.headers.get("allow"), null, method);
      assert.equal((await res.json()).error.code, "not_found");
    }
    const head = await a.app.request("/admin/open", { method: "HEAD" });
    assert.equal(head.status, 405);
    assert.equal(head.headers.get("allow"), "POST");
    await head.body?.cancel();
    // A handler's own 404 (an unknown receipt) is not a wrong method.
    const receipt = await a.app.request("/receipt/0000-0000-0000");
    assert.equal(receipt.status, 404);
    await receipt.body?.cancel();
  } finally {
    await a.dispose();
  }
});
