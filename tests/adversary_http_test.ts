/**
 * Review of issues 13 and 15 as a hostile client: requests the guarded
 * server (`serve.ts`) must answer without a 5xx, on a real server process.
 */
import assert from "node:assert/strict";
import { startServer } from "./_server.ts";
import { voteBody } from "./_voters.ts";

/** A body sent as a stream: fetch sends it chunked, without a Content-Length. */
function chunkedBody(text: string): ReadableStream<Uint8Array> {
  const bytes = new TextEncoder().encode(text);
  return new ReadableStream({
    start(controller) {
      controller.enqueue(bytes.subarray(0, 5));
      controller.enqueue(bytes.subarray(5));
      controller.close();
    },
  });
}

Deno.test("a small chunked body (no Content-Length) is read, never a 500: a vote, a sign-in", async () => {
  const server = await startServer([]);
  try {
    const vote = await fetch(`${server.url}/api/votes`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: chunkedBody(voteBody(1)),
    });
    const voteText = await vote.text();
    assert.equal(vote.status, 201, voteText);
    const login = await fetch(`${server.url}/admin/login`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", origin: server.url },
      body: chunkedBody("password=wrong-guess"),
      redirect: "manual",
    });
    const loginText = await login.text();
    assert.equal(login.status, 401, loginText);
    assert.doesNotMatch(server.output(), /Unexpected error/);
  } finally {
    await server.stop();
  }
});

/** The server process's peak resident memory, in bytes (Linux). */
async function peakMemory(pid: number): Promise<number> {
  const status = await Deno.readTextFile(`/proc/${pid}/status`);
  return Number(status.match(/VmHWM:\s+(\d+) kB/)![1]) * 1024;
}

Deno.test("40,000 pipelined requests on one connection that never reads: memory stays flat, a voter still votes", async () => {
  const server = await startServer([]);
  const conn = await Deno.connect({ hostname: "127.0.0.1", port: server.port });
  try {
    const before = await peakMemory(server.process.pid);
    const request = "GET /api/tally HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
    const burst = new TextEncoder().encode(request.repeat(2_000));
    const writing = (async () => {
      try {
        for (let i = 0; i < 20; i++) {
          for (let done = 0; done < burst.length;) done += await conn.write(burst.subarray(done));
        }
      } catch {
        // closed by the server: what a guarded server may do to such a client
      }
    })();
    await Promise.race([writing, new Promise((r) => setTimeout(r, 3_000))]);
    const vote = await fetch(`${server.url}/api/votes`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: voteBody(7),
      signal: AbortSignal.timeout(30_000),
    });
    await vote.body?.cancel();
    assert.equal(vote.status, 201);
    const grew = (await peakMemory(server.process.pid)) - before;
    assert.ok(grew < 64 * 1024 * 1024, `peak memory grew by ${(grew / 2 ** 20).toFixed(0)} MB`);
    conn.close();
    await writing;
  } finally {
    try {
      conn.close();
    } catch {
      // closed already
    }
    await server.stop();
  }
});

Deno.test("a few pipelined requests are all answered, in order", async () => {
  const server = await startServer([]);
  const conn = await Deno.connect({ hostname: "127.0.0.1", port: server.port });
  try {
    const get = (path: string, close = false) =>
      `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\n${close ? "Connection: close\r\n" : ""}\r\n`;
    await conn.write(
      new TextEncoder().encode(get("/api/tally") + get("/healthz") + get("/nope", true)),
    );
    let text = "";
    const buffer = new Uint8Array(65536);
    const deadline = setTimeout(() => conn.close(), 10_000);
    try {
      for (;;) {
        const n = await conn.read(buffer);
        if (n === null) break;
        text += new TextDecoder().decode(buffer.subarray(0, n));
      }
    } finally {
      clearTimeout(deadline);
    }
    assert.deepEqual(text.match(/HTTP\/1\.1 \d+/g), [
      "HTTP/1.1 200",
      "HTTP/1.1 200",
      "HTTP/1.1 404",
    ]);
  } finally {
    try {
      conn.close();
    } catch {
      // closed by the server after Connection: close
    }
    await server.stop();
  }
});

Deno.test("a client that goes away mid-body is no server error (no 500, no stack trace in the log)", async () => {
  const server = await startServer([]);
  try {
    for (const framing of ["Content-Length: 100", "Transfer-Encoding: chunked"]) {
      const conn = await Deno.connect({ hostname: "127.0.0.1", port: server.port });
      const body = framing.startsWith("Content") ? "{}" : "2\r\n{}\r\n";
      await conn.write(new TextEncoder().encode(
        `POST /api/votes HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n${framing}\r\n\r\n${body}`,
      ));
      conn.close();
    }
    // Ten answers later the aborts have long been seen.
    for (let i = 0; i < 10; i++) {
      const res = await fetch(`${server.url}/healthz`);
      assert.equal(res.status, 200);
      await res.body?.cancel();
    }
    assert.doesNotMatch(server.output(), /Unexpected error|Error: aborted/);
  } finally {
    await server.stop();
  }
});

// Deno.upgradeWebSocket caps a client's message only at its own fixed limit,
// far above 60 MB (denoland/deno#15809), and the feeds take no input: eight /ws/tally
// sockets sending one 60 MB message each raised the server's peak memory by
// 928 MB. The guarded server's `ws` refuses a message past 4 KiB from its
// frame header (close 1009) before reading its payload.
Deno.test("large WebSocket messages to the read-only feeds are refused before they fill memory", async () => {
  const server = await startServer([]);
  try {
    const before = await peakMemory(server.process.pid);
    const url = server.url.replace("http", "ws") + "/ws/tally";
    const sockets = await Promise.all(
      Array.from({ length: 8 }, () =>
        new Promise<WebSocket>((resolve, reject) => {
          const ws = new WebSocket(url);
          ws.onopen = () => resolve(ws);
          ws.onerror = reject;
        })),
    );
    const closes = sockets.map((ws) => new Promise((resolve) => ws.onclose = resolve));
    const big = new Uint8Array(60 * 1024 * 1024);
    for (const ws of sockets) ws.send(big);
    let timer: ReturnType<typeof setTimeout> | undefined;
    await Promise.race([
      Promise.all(closes),
      new Promise<never>((_, reject) =>
        timer = setTimeout(() => reject(new Error("The sockets were not closed in 20 s")), 20_000)
      ),
    ]).finally(() => clearTimeout(timer));
    const grew = (await peakMemory(server.process.pid)) - before;
    assert.ok(grew < 64 * 1024 * 1024, `peak memory grew by ${(grew / 2 ** 20).toFixed(0)} MB`);
    const health = await fetch(`${server.url}/healthz`);
    assert.equal(health.status, 200);
    await health.body?.cancel();
  } finally {
    await server.stop();
  }
});
