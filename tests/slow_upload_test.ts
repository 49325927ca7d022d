/**
 * A roll upload on a slow link is not cut off at the 30 s every other request
 * has: the guarded server gives "POST /admin/roll/upload" the time of its
 * largest file at 1 Mbit/s. (Seen: a 9.5 MB roll sent at 200 KB/s was cut at
 * 31 s, 6.3 MB in; the browser showed a reset connection, the panel nothing.)
 */
import assert from "node:assert/strict";
import { serveGuarded } from "../serve.ts";
import { ConnectionLimits } from "../lib/server/connection_limits.ts";
import { ROLL_UPLOAD_PATH, rollUploadTimeouts } from "../routes/admin_roll_import.tsx";

/** Sends a body of `size` bytes in `pieces` over `ms`, then reads what comes back. */
async function slowPost(port: number, path: string, ms: number): Promise<string> {
  const conn = await Deno.connect({ hostname: "127.0.0.1", port });
  const pieces = 10;
  const encoder = new TextEncoder();
  let reply = "";
  const reading = (async () => {
    const buffer = new Uint8Array(4096);
    for (;;) {
      const n = await conn.read(buffer).catch(() => null);
      if (n === null) return;
      reply += new TextDecoder().decode(buffer.subarray(0, n));
    }
  })();
  try {
    await conn.write(encoder.encode(
      `POST ${path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Length: ${pieces}\r\n\r\n`,
    ));
    for (let i = 0; i < pieces; i++) {
      await new Promise((r) => setTimeout(r, ms / pieces));
      await conn.write(encoder.encode("x"));
    }
  } catch { /* cut off */ }
  await Promise.race([reading, new Promise((r) => setTimeout(r, 2_000))]);
  try {
    conn.close();
  } catch { /* closed */ }
  return reply;
}

Deno.test("the roll upload's address has the time of a 64 MiB file at 1 Mbit/s, others 30 s", () => {
  const limits = rollUploadTimeouts(64);
  const ms = limits.get(`POST ${ROLL_UPLOAD_PATH}`)!;
  assert.ok(ms >= 64 * 1024 * 1024 * 8 / 1000, `${ms} ms`);
  assert.equal(limits.size, 1);
});

Deno.test("serveGuarded() waits longer for a slow request only at its slowRequests addresses", async () => {
  const server = await serveGuarded(
    async (request) => new Response(`got ${(await request.text()).length}`),
    {
      port: 0,
      hostname: "127.0.0.1",
      limits: new ConnectionLimits({ total: 10, perClient: 10 }),
      headersTimeoutMs: 300,
      requestTimeoutMs: 400,
      slowRequests: new Map([["POST /upload", 5_000]]),
      idleTimeoutMs: 400,
      checkIntervalMs: 50,
      watchdogMs: 0,
    },
  );
  try {
    // 1.2 s to send: past the 400 ms everyone has, well within the upload's 5 s.
    assert.match(await slowPost(server.port, "/upload?lang=hi", 1_200), /200 OK[\s\S]*got 10/);
    assert.doesNotMatch(await slowPost(server.port, "/other", 1_200), /200 OK/);
  } finally {
    await server.shutdown();
  }
});
