/**
 * The body limit on a real socket: a 20 MB sign-in body is answered 413
 * without the server reading it into memory.
 */
import assert from "node:assert/strict";
import { startServer } from "./_server.ts";

const TWENTY_MB = 20 * 1024 * 1024;

/** The server process's resident and peak memory, in bytes (Linux). */
async function memoryOf(pid: number): Promise<{ rss: number; peak: number }> {
  const status = await Deno.readTextFile(`/proc/${pid}/status`);
  const kb = (name: string) => Number(status.match(new RegExp(`${name}:\\s+(\\d+) kB`))![1]) * 1024;
  return { rss: kb("VmRSS"), peak: kb("VmHWM") };
}

/**
 * Sends a POST of `size` bytes over a raw TCP socket (with a Content-Length,
 * or chunked) while reading the answer, and returns its status line. The
 * server may answer and close before the body is sent: that is not an error.
 */
async function postHuge(port: number, path: string, size: number, chunked: boolean) {
  const conn = await Deno.connect({ hostname: "127.0.0.1", port });
  const encoder = new TextEncoder();
  const head = [
    `POST ${path} HTTP/1.1`,
    "Host: 127.0.0.1",
    "Content-Type: application/x-www-form-urlencoded",
    chunked ? "Transfer-Encoding: chunked" : `Content-Length: ${size}`,
    "Connection: close",
    "",
    "",
  ].join("\r\n");
  const reading = (async () => {
    const buffer = new Uint8Array(4096);
    let text = "";
    const deadline = setTimeout(() => conn.close(), 30_000);
    try {
      while (!text.includes("\r\n")) {
        const n = await conn.read(buffer);
        if (n === null) break;
        text += new TextDecoder().decode(buffer.subarray(0, n));
      }
    } catch {
      // reset after the answer: the status line is what counts
    } finally {
      clearTimeout(deadline);
    }
    return text.split("\r\n")[0];
  })();
  const writeAll = async (bytes: Uint8Array) => {
    for (let done = 0; done < bytes.length;) done += await conn.write(bytes.subarray(done));
  };
  const writing = (async () => {
    const piece = encoder.encode("password=" + "x".repeat(64 * 1024 - 9));
    await writeAll(encoder.encode(head));
    for (let sent = 0; sent < size; sent += piece.length) {
      if (chunked) {
        await writeAll(encoder.encode(`${piece.length.toString(16)}\r\n`));
        await writeAll(piece);
        await writeAll(encoder.encode("\r\n"));
      } else await writeAll(piece.subarray(0, Math.min(piece.length, size - sent)));
    }
    if (chunked) await writeAll(encoder.encode("0\r\n\r\n"));
  })().catch(() => {}); // the server stopped reading: expected once it has answered
  const status = await reading;
  try {
    conn.close(); // the answer is in: stop sending what the server will not read
  } catch {
    // closed by the deadline
  }
  await writing;
  return status;
}

Deno.test("a 20 MB body to POST /admin/login over a real socket gets 413, and memory stays flat", async () => {
  const server = await startServer([]);
  try {
    const pid = server.process.pid;
    const before = await memoryOf(pid);
    for (const chunked of [false, true]) {
      for (let i = 0; i < 3; i++) {
        const status = await postHuge(server.port, "/admin/login", TWENTY_MB, chunked);
        assert.match(status, /^HTTP\/1\.1 413/, `chunked=${chunked}: ${status}`);
      }
    }
    const after = await memoryOf(pid);
    const grew = after.peak - Math.max(before.peak, before.rss);
    assert.ok(
      grew < 16 * 1024 * 1024,
      `peak memory grew by ${(grew / 1024 / 1024).toFixed(1)} MB for six refused 20 MB bodies`,
    );
    const health = await fetch(`${server.url}/healthz`);
    assert.equal(health.status, 200);
    await health.body?.cancel();
  } finally {
    await server.stop();
  }
});
