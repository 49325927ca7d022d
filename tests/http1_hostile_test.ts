/**
 * Hostile clients against the guarded server's HTTP/1.1 layer on raw
 * sockets (in-process `serveGuarded`): what they must not hold or break.
 */
import assert from "node:assert/strict";
import { serveGuarded } from "../serve.ts";
import { ConnectionLimits } from "../lib/server/connection_limits.ts";
import { serveHere, startServer } from "./_server.ts";

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** Sends `text` on a new connection and reads what comes within `ms` (stopping at the end). */
async function exchange(
  port: number,
  text: string,
  ms = 1_000,
): Promise<{ conn: Deno.TcpConn; got: string; ended: boolean }> {
  const conn = await Deno.connect({ hostname: "127.0.0.1", port });
  await conn.write(encoder.encode(text)).catch(() => 0);
  let got = "";
  let ended = false;
  const buffer = new Uint8Array(64 * 1024);
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const n = await Promise.race([
      conn.read(buffer).catch(() => null),
      new Promise<"wait">((r) => timer = setTimeout(() => r("wait"), deadline - Date.now())),
    ]);
    clearTimeout(timer);
    if (n === "wait") break;
    if (n === null) {
      ended = true;
      break;
    }
    got += decoder.decode(buffer.subarray(0, n));
  }
  return { conn, got, ended };
}

function close(conn: Deno.TcpConn) {
  try {
    conn.close();
  } catch {
    // closed already
  }
}

Deno.test("an upgrade the app answers without upgrading does not hold its connection for good", async () => {
  // Two connections a client; the app answers every request (no WebSocket).
  const limits = new ConnectionLimits({ total: 10, perClient: 2 });
  const server = await serveGuarded(() => new Response("page"), {
    port: 0,
    hostname: "127.0.0.1",
    limits,
    headersTimeoutMs: 300,
    requestTimeoutMs: 600,
    idleTimeoutMs: 400,
    checkIntervalMs: 50,
    watchdogMs: 0,
  });
  const held: Deno.TcpConn[] = [];
  try {
    // Each asks to upgrade, reads the answer and never closes its side.
    for (let i = 0; i < 2; i++) {
      const { conn, got } = await exchange(
        server.port,
        "GET / HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: h2c\r\n\r\n",
        300,
      );
      assert.match(got, /^HTTP\/1\.1 200 /);
      held.push(conn);
    }
    // Past the idle timeout, those connections are the server's no more:
    // the client's next connection is served.
    await new Promise((r) => setTimeout(r, 1_200));
    const { conn, got } = await exchange(server.port, "GET / HTTP/1.1\r\nHost: x\r\n\r\n", 1_000);
    close(conn);
    assert.match(got, /^HTTP\/1\.1 200 /, "the client's connections are still counted");
  } finally {
    for (const conn of held) close(conn);
    await server.shutdown();
  }
});

Deno.test("a chunked body that turns malformed halfway is no server error (no stack trace in the log)", async () => {
  const server = await startServer([]);
  try {
    const conn = await Deno.connect({ hostname: "127.0.0.1", port: server.port });
    await conn.write(encoder.encode(
      "POST /api/votes HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n" +
        'Transfer-Encoding: chunked\r\n\r\n5\r\n{"a":\r\n',
    ));
    // The app reads the first chunk; the next chunk's size is not hex.
    await new Promise((r) => setTimeout(r, 300));
    await conn.write(encoder.encode("ZZ\r\nxx\r\n")).catch(() => 0);
    await conn.read(new Uint8Array(1024)).catch(() => null);
    close(conn);
    // Ten answers later the refusal has long been seen.
    for (let i = 0; i < 10; i++) {
      const res = await fetch(`${server.url}/healthz`);
      assert.equal(res.status, 200);
      await res.body?.cancel();
    }
    assert.doesNotMatch(server.output(), /Unexpected error|could not be parsed/);
  } finally {
    await server.stop();
  }
});

Deno.test("a request with more header fields than any browser sends is refused (431) before the app", async () => {
  // 1,900 distinct names fit in the 16 KiB head. Copying such headers (the
  // app's body limit does, for a chunked body) takes Deno's Headers about
  // half a second each: eight of them stalled every other voter for seconds.
  const fields = Array.from({ length: 1_900 }, (_, i) => `A${i}: b\r\n`).join("");
  const request = "POST /api/votes HTTP/1.1\r\nHost: 127.0.0.1\r\n" +
    "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n" + fields +
    "\r\n2\r\n{}\r\n0\r\n\r\n";
  const server = await startServer([]);
  try {
    const started = performance.now();
    const answers = await Promise.all(
      Array.from({ length: 8 }, async () => {
        const { conn, got } = await exchange(server.port, request, 10_000);
        close(conn);
        return got;
      }),
    );
    const elapsed = performance.now() - started;
    for (const got of answers) assert.match(got, /^HTTP\/1\.1 431 /);
    const res = await fetch(`${server.url}/healthz`);
    assert.equal(res.status, 200);
    await res.body?.cancel();
    assert.ok(elapsed < 2_000, `eight such requests took ${Math.round(elapsed)} ms`);
    // A browser's few dozen fields are served as ever.
    const few = Array.from({ length: 60 }, (_, i) => `X-Field-${i}: b\r\n`).join("");
    const { conn, got } = await exchange(
      server.port,
      `GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n${few}\r\n`,
      2_000,
    );
    close(conn);
    assert.match(got, /^HTTP\/1\.1 200 /);
  } finally {
    await server.stop();
  }
});

Deno.test("a whole answer still in the socket's buffer is not cut off by the idle timeout", async () => {
  // One write of 32 MiB: far more than the kernel's buffers take at once.
  const size = 32 * 1024 * 1024;
  const server = await serveGuarded(() => new Response(new Uint8Array(size).fill(97)), {
    port: 0,
    hostname: "127.0.0.1",
    limits: new ConnectionLimits({ total: 10, perClient: 10 }),
    headersTimeoutMs: 300,
    requestTimeoutMs: 5_000,
    idleTimeoutMs: 400,
    checkIntervalMs: 50,
    watchdogMs: 0,
  });
  const conn = await Deno.connect({ hostname: "127.0.0.1", port: server.port });
  try {
    await conn.write(encoder.encode("GET / HTTP/1.1\r\nHost: x\r\n\r\n"));
    // A slow link: nothing read for longer than the idle timeout.
    await new Promise((r) => setTimeout(r, 1_500));
    let got = 0;
    const buffer = new Uint8Array(1024 * 1024);
    let head = "";
    for (;;) {
      const n = await conn.read(buffer).catch(() => null);
      if (n === null) break;
      if (head === "") head = decoder.decode(buffer.subarray(0, Math.min(n, 200)));
      got += n;
      if (got >= size) break;
    }
    assert.match(head, /^HTTP\/1\.1 200 /);
    assert.ok(got > size, `${got} bytes of ${size} arrived before the connection closed`);
  } finally {
    close(conn);
    await server.shutdown();
  }
});

/** Writes as fast as the server reads, for up to 3 s or 256 MB: the bytes it took before the cut. */
async function sendUntilCut(conn: Deno.Conn): Promise<number> {
  const blob = new Uint8Array(256 * 1024).fill(120);
  let sent = 0;
  const deadline = Date.now() + 3_000;
  while (Date.now() < deadline && sent < 256 * 1024 * 1024) {
    const n = await conn.write(blob).catch(() => null);
    if (n === null) break;
    sent += n;
  }
  return sent;
}

Deno.test("a client that goes on sending after its refusal is cut off, not read at full speed", async () => {
  // The app refuses the body unread (as the body limit does past 16 KiB).
  const server = await serveHere(() => new Response(null, { status: 413 }), {
    limits: new ConnectionLimits({ total: 10, perClient: 10 }),
  });
  const conn = await Deno.connect({ hostname: "127.0.0.1", port: server.port });
  try {
    await conn.write(encoder.encode(
      "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 1000000000000\r\n\r\n",
    ));
    // Each refusal (413, 400, 431) was read on and dropped until the idle
    // timeout: gigabytes in a few seconds, and the server's memory past 1 GB.
    const sent = await sendUntilCut(conn);
    assert.ok(sent < 64 * 1024 * 1024, `${sent >> 20} MB read after the refusal`);
  } finally {
    close(conn);
    await server.shutdown();
  }
});

Deno.test("a client that goes on sending after its upgrade was refused is cut off", async () => {
  const server = await serveHere(() => new Response("no upgrade here"), {
    limits: new ConnectionLimits({ total: 10, perClient: 10 }),
  });
  const conn = await Deno.connect({ hostname: "127.0.0.1", port: server.port });
  try {
    await conn.write(encoder.encode(
      "GET / HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: h2c\r\n\r\n",
    ));
    const sent = await sendUntilCut(conn);
    assert.ok(sent < 64 * 1024 * 1024, `${sent >> 20} MB read after the refusal`);
  } finally {
    close(conn);
    await server.shutdown();
  }
});
