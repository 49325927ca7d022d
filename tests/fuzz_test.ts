/**
 * Fuzzing: thousands of generated malformed requests against every endpoint.
 * None may answer 5xx, and none may change the tally.
 */
import assert from "node:assert/strict";
import fc from "fast-check";
import { testApp } from "./_app.ts";
import { startServer } from "./_server.ts";
import { sendVote } from "./_voters.ts";
import { body, TYPES } from "./_vote_bodies.ts";

const PATHS = [
  "/api/votes",
  "/api/tally",
  "/api/receipts/ABCD-EFGH-JKMN",
  "/api/receipts/%00%ff",
  "/ws/tally",
  "/healthz",
  "/",
  "/vote",
  "/results",
  "/admin",
  "/admin/login",
  "/admin/close",
  "/admin/logout",
  "/nowhere/../api/votes",
];
const METHODS = ["GET", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "HEAD"];
// Most requests are votes, where the parsing is; the rest spread over every endpoint.
const request = fc.record({
  target: fc.oneof(
    { weight: 6, arbitrary: fc.constant(["POST", "/api/votes"] as const) },
    { weight: 1, arbitrary: fc.constant(["POST", "/vote"] as const) },
    { weight: 2, arbitrary: fc.tuple(fc.constantFrom(...METHODS), fc.constantFrom(...PATHS)) },
  ),
  type: fc.oneof(
    { weight: 4, arbitrary: fc.constant("application/json") },
    fc.constantFrom(...TYPES),
  ),
  origin: fc.constantFrom(undefined, undefined, "http://evil.example", "null"),
  body,
});

Deno.test("fuzzing every endpoint never answers 5xx and never changes the tally", async () => {
  const t = await testApp({ limit: 1000 });
  try {
    let accepted = 0;
    await fc.assert(
      fc.asyncProperty(request, async (r) => {
        const headers: Record<string, string> = {};
        if (r.type) headers["content-type"] = r.type;
        if (r.origin) headers.origin = r.origin;
        const [method, path] = r.target;
        const hasBody = !["GET", "HEAD"].includes(method);
        const res = await t.app.request(path, {
          method,
          headers,
          body: hasBody
            ? (typeof r.body === "string" ? r.body : new Uint8Array(r.body))
            : undefined,
        });
        await res.body?.cancel();
        if (res.status === 201) accepted++;
        assert.ok(res.status < 500, `${method} ${path} answered ${res.status}`);
      }),
      { numRuns: 3000 },
    );
    // Only a request that was a valid vote after all (a harmless extra key, say)
    // may be counted, and each voter only once.
    assert.ok(accepted <= 2, `${accepted} accepted`);
    assert.equal(t.store.snapshot().total, accepted);
    assert.equal((await t.store.turnout()).length, accepted);
  } finally {
    await t.dispose();
  }
});

Deno.test("garbage on a real socket does not stop the server from taking votes", async () => {
  const dir = await Deno.makeTempDir();
  const server = await startServer(["--db", `${dir}/e.db`]);
  try {
    const junk = [
      "GARBAGE\r\n\r\n",
      "POST /api/votes HTTP/1.1\r\nHost: x\r\nContent-Length: 999999999\r\n\r\n{",
      "POST /api/votes HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
      "GET / HTTP/1.1\r\n" + "X: " + "a".repeat(100_000) + "\r\n\r\n",
      "\u0000\u0001\u0002\u00ff",
    ];
    for (const text of junk) {
      const conn = await Deno.connect({ hostname: "127.0.0.1", port: server.port });
      await conn.write(new TextEncoder().encode(text)).catch(() => 0);
      const buf = new Uint8Array(4096);
      const n = await conn.read(buf).catch(() => null);
      const head = n ? new TextDecoder().decode(buf.subarray(0, n)) : "";
      assert.doesNotMatch(head, /^HTTP\/1\.1 5\d\d/);
      conn.close();
    }
    const res = await sendVote(server.url, 1);
    assert.equal(res.status, 201);
    await res.body?.cancel();
  } finally {
    assert.equal(await server.stop(), 0);
    await Deno.remove(dir, { recursive: true });
  }
});
