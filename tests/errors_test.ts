/**
 * The error contract: every error answers with its own status and a code
 * named for what happened, never a domain code guessed from a status.
 */
import assert from "node:assert/strict";
import { Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import { csrf } from "hono/csrf";
import { HTTPException } from "hono/http-exception";
import { createApp } from "../app.ts";
import { AdminAuth } from "../lib/admin/admin_auth.ts";
import { AuditLog } from "../lib/admin/audit_log.ts";
import { openSqliteStore } from "../lib/store/sqlite/sqlite_store.ts";
import { onError } from "../routes/_errors.ts";
import { translate } from "../lib/i18n/catalogue.ts";
import { postVote, testApp } from "./_app.ts";
import { ballot } from "./_voters.ts";

const DOMAIN_CODES = [
  "invalid_input",
  "underage",
  "unknown_party",
  "already_voted",
  "voting_closed",
  "unavailable",
];

async function errorOf(res: Response) {
  const body = await res.json();
  return { status: res.status, code: body.error?.code, message: body.error?.message };
}

Deno.test("onError() keeps a Hono HTTPException's own status and names it, never as a domain code", async (t) => {
  const app = new Hono();
  app.onError(onError);
  app.use("/form", csrf({ origin: "https://matdaan.example" }));
  app.post("/form", (c) => c.text("ok"));
  app.use("/upload", bodyLimit({ maxSize: 10 }));
  app.post("/upload", async (c) => c.text(await c.req.text()));
  app.get("/conflict", () => {
    throw new HTTPException(409, { message: "Internal detail nobody should read" });
  });
  app.get("/teapot", () => {
    throw new HTTPException(418);
  });
  app.get("/retry", () => {
    throw new HTTPException(429, {
      res: new Response("slow down", { status: 429, headers: { "Retry-After": "7" } }),
    });
  });
  const cases: [string, () => Response | Promise<Response>, number, string][] = [
    [
      "a 403 from Hono's csrf middleware",
      () =>
        app.request("/form", {
          method: "POST",
          headers: {
            origin: "https://evil.example",
            "content-type": "application/x-www-form-urlencoded",
          },
          body: "a=1",
        }),
      403,
      "forbidden",
    ],
    [
      "a 413 from Hono's bodyLimit",
      () => app.request("/upload", { method: "POST", body: "x".repeat(100) }),
      413,
      "payload_too_large",
    ],
    ["a bare 409", () => app.request("/conflict"), 409, "conflict"],
    ["a status without a name", () => app.request("/teapot"), 418, "http_error"],
    ["a 429 with its own response", () => app.request("/retry"), 429, "too_many_requests"],
  ];
  for (const [name, send, status, code] of cases) {
    await t.step(`${name} → ${status} ${code}`, async () => {
      const res = await send();
      const e = await errorOf(res);
      assert.equal(e.status, status);
      assert.equal(e.code, code);
      assert.ok(!DOMAIN_CODES.includes(e.code), `${e.code} is a domain code`);
      assert.ok(e.message.length > 10, "a message a person can read");
      assert.doesNotMatch(e.message, /Internal detail|18 or older/);
      // Hono raises these statuses for its own reasons: no reason of ours is claimed.
      assert.doesNotMatch(e.message, /another site|as JSON|failed attempts/);
    });
  }
  await t.step("the message is in the reader's language, as every other error's", async () => {
    const res = await app.request("/upload", {
      method: "POST",
      headers: { "accept-language": "hi-IN,hi;q=0.9" },
      body: "x".repeat(100),
    });
    const e = await errorOf(res);
    assert.deepEqual([e.status, e.code], [413, "payload_too_large"]);
    assert.equal(e.message, translate("hi", "payload_too_large"));
    const teapot = await errorOf(await app.request("/teapot?lang=hi"));
    assert.equal(teapot.code, "http_error");
    assert.equal(teapot.message, translate("hi", "http_error"));
  });
  await t.step("headers of the exception's own response are kept (Retry-After)", async () => {
    const res = await app.request("/retry");
    assert.equal(res.headers.get("retry-after"), "7");
    assert.match(res.headers.get("content-type") ?? "", /application\/json/);
    await res.body?.cancel();
  });
});

Deno.test("every route that reads a body refuses one over the limit with 413 and changes nothing", async (t) => {
  const dir = await Deno.makeTempDir({ prefix: "matdaan-errors-" });
  const store = await openSqliteStore(`${dir}/e.db`, { limit: 10 });
  const audit = new AuditLog(`${dir}/e.audit.db`);
  const app = createApp({ store, admin: { auth: new AdminAuth("correct horse battery"), audit } });
  const form = { "content-type": "application/x-www-form-urlencoded" };
  try {
    const login = await app.request("/admin/login", {
      method: "POST",
      headers: form,
      body: new URLSearchParams({ password: "correct horse battery" }),
    });
    assert.equal(login.status, 303);
    const cookie = login.headers.get("set-cookie")!.split(";")[0];
    const seqBefore = audit.head.seq;
    const twentyMegabytes = "password=" + "x".repeat(20 * 1024 * 1024);
    const cases: [string, string, Record<string, string>][] = [
      ["/admin/login", twentyMegabytes, form],
      ["/admin/login", "password=" + "x".repeat(17 * 1024), form],
      ["/admin/close", "confirm=yes&pad=" + "x".repeat(20 * 1024), { ...form, cookie }],
      ["/admin/logout", "pad=" + "x".repeat(20 * 1024), { ...form, cookie }],
      ["/vote", "name=" + "x".repeat(20 * 1024), form],
    ];
    for (const [path, body, headers] of cases) {
      await t.step(`POST ${path} with ${body.length} bytes → 413`, async () => {
        for (const withLength of [false, true]) {
          const res = await app.request(path, {
            method: "POST",
            headers: withLength ? { ...headers, "content-length": String(body.length) } : headers,
            body,
          });
          const e = await errorOf(res);
          assert.equal(e.status, 413);
          assert.equal(e.code, "payload_too_large");
        }
      });
    }
    assert.equal(audit.head.seq, seqBefore, "no audit entry for a refused body");
    assert.equal(store.snapshot().status, "open");
    const panel = await app.request("/admin", { headers: { cookie } });
    assert.equal(panel.status, 200, "the session survived the refused logout");
    await panel.body?.cancel();
  } finally {
    await store.shutdown();
    audit.close();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("GET /api/receipts/:code refuses letters the receipt alphabet never produces", async () => {
  const a = await testApp();
  try {
    for (const code of ["ILOU-ILOU-ILOU", "0000-0000-000U", "abcd-efgh-ijku", "0000-0000"]) {
      const e = await errorOf(await a.app.request(`/api/receipts/${code}`));
      assert.equal(e.status, 400, code);
      assert.equal(e.code, "invalid_input");
    }
    const e = await errorOf(await a.app.request("/api/receipts/0000-0000-0000"));
    assert.equal(e.status, 404);
    assert.equal(e.code, "not_found");
  } finally {
    await a.dispose();
  }
});

Deno.test("an unknown path answers 404 not_found with the table's message", async () => {
  const a = await testApp();
  try {
    const e = await errorOf(await a.app.request("/nowhere"));
    assert.deepEqual([e.status, e.code], [404, "not_found"]);
  } finally {
    await a.dispose();
  }
});

Deno.test("a receipt typed as a voter reads it (lower case, O for 0, I or L for 1) is found", async () => {
  const a = await testApp();
  try {
    const res = await postVote(a.app, ballot(1, "bjp"));
    assert.equal(res.status, 201);
    const { receipt } = await res.json();
    const typed = receipt.toLowerCase().replaceAll("0", "o").replaceAll("1", "l").replaceAll(
      "-",
      " ",
    );
    const check = await a.app.request(`/api/receipts/${encodeURIComponent(typed)}`);
    assert.equal(check.status, 200);
    assert.deepEqual(await check.json(), { receipt, counted: true });
  } finally {
    await a.dispose();
  }
});

Deno.test("another method on an API address answers 405 method_not_allowed with Allow", async () => {
  const a = await testApp();
  try {
    for (
      const [method, path, allow] of [
        ["DELETE", "/api/votes", "POST"],
        ["GET", "/api/votes", "POST"],
        ["PUT", "/api/tally", "GET, HEAD"],
        ["DELETE", "/api/receipts/0000-0000-0000", "GET, HEAD"],
      ]
    ) {
      const res = await a.app.request(path, { method, headers: { origin: "http://localhost" } });
      assert.equal(res.headers.get("allow"), allow, `${method} ${path}`);
      assert.deepEqual((await errorOf(res)).code, "method_not_allowed");
      assert.equal(res.status, 405);
    }
    assert.equal((await a.app.request("/api/tally", { method: "HEAD" })).status, 200);
  } finally {
    await a.dispose();
  }
});
