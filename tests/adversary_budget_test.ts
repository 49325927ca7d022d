/**
 * Issue 13's request budget and WebSocket caps, attacked as a client would:
 * pages reached under a path the budget counts as cheap, and the read-only
 * feeds' sockets used to send a flood of small messages or pings.
 */
import assert from "node:assert/strict";
import net from "node:net";
import { startServer } from "./_server.ts";
import { costOf, PAGE_COST } from "../routes/_request_rate.ts";

/** One request on a new connection from `localAddress`: the whole answer (deadline 10 s). */
function ask(port: number, localAddress: string, raw: string): Promise<string> {
  return new Promise((resolve) => {
    const socket = net.connect({ port, host: "127.0.0.1", localAddress });
    let text = "";
    const timer = setTimeout(() => socket.destroy(), 10_000);
    socket.on("error", () => {});
    socket.on("connect", () => socket.write(raw));
    socket.on("data", (chunk: Buffer) => text += chunk.toString("latin1"));
    socket.on("close", () => {
      clearTimeout(timer);
      resolve(text);
    });
  });
}

// The guarded server costed the raw request target; @hono/node-server then
// resolves dot segments, so `/static/../results` cost 1 point and rendered
// the results page: 12 pages of 12 went through a budget of 3.
Deno.test("costOf() counts a page reached through dot segments or an encoded path as a page", () => {
  for (
    const path of [
      "/static/../results",
      "/ws/%2e%2e/results",
      "/build/.%2E/results?lang=hi",
      "/fonts/./../admin",
      "http://127.0.0.1/static/../results",
    ]
  ) assert.equal(costOf(path), PAGE_COST, path);
  for (
    const path of ["/static/css/app.css", "/build/a.1f2e.js", "http://x/healthz", "/api/votes?x"]
  ) {
    assert.equal(costOf(path), 1, path);
  }
});

// A missing file under a cheap prefix, asked for as a page, renders the 404
// page: about 380 µs, twice the time per point of /results, for one point.
Deno.test("costOf() counts a browser's page load under a cheap prefix as a page", () => {
  assert.equal(costOf("/static/nope", "text/html,application/xhtml+xml"), PAGE_COST);
  assert.equal(costOf("/build/nope.js", "*/*"), 1);
  assert.equal(costOf("/ws/tally", "text/html"), 1); // never a page
});

Deno.test("pages asked for through dot segments spend the budget of a page", async () => {
  const dir = await Deno.makeTempDir();
  // 10 points a second: three pages at once (a burst of three seconds), then one a second.
  const server = await startServer(["--db", `${dir}/e.db`, "--requests-per-client", "10"]);
  try {
    const paths = ["/static/../results", "/ws/%2e%2e/results", "/static/nope"];
    for (const [i, path] of paths.entries()) {
      const started = performance.now();
      const answers = await Promise.all(
        Array.from({ length: 12 }, () =>
          ask(
            server.port,
            `127.0.0.${9 + i}`, // a client of its own, with a full budget, for each path
            `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/html\r\nConnection: close\r\n\r\n`,
          )),
      );
      const seconds = Math.ceil((performance.now() - started) / 1000);
      // A page rendered, not refused: the refusal is a page too (for a browser), made at start.
      const pages = answers.filter((a) => a.includes("<html") && !a.startsWith("HTTP/1.1 429"))
        .length;
      assert.ok(pages <= 3 + seconds, `${path}: ${pages} pages of 12 in ${seconds} s`);
      assert.ok(answers.some((a) => a.startsWith("HTTP/1.1 429")), path);
    }
  } finally {
    await server.stop();
    await Deno.remove(dir, { recursive: true });
  }
});

/** Opens a WebSocket to `/ws/tally` by hand from `localAddress`. */
function openFeed(port: number, localAddress: string): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ port, host: "127.0.0.1", localAddress });
    socket.on("error", () => {});
    socket.on("connect", () =>
      socket.write(
        "GET /ws/tally HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" +
          "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n",
      ));
    let head = "";
    const onData = (chunk: Buffer) => {
      head += chunk.toString("latin1");
      if (!head.includes("\r\n\r\n")) return;
      socket.off("data", onData);
      socket.resume(); // read (and drop) whatever the server sends: pongs, tallies
      if (head.startsWith("HTTP/1.1 101")) resolve(socket);
      else reject(new Error(head.slice(0, 40)));
    };
    socket.on("data", onData);
  });
}

/** A masked client frame (mask key zero) of `length` zero bytes. */
function frame(opcode: number, length: number, fin = true): Buffer {
  const short = length < 126;
  const bytes = Buffer.alloc((short ? 6 : 8) + length);
  bytes[0] = (fin ? 0x80 : 0) | opcode;
  if (short) bytes[1] = 0x80 | length;
  else {
    bytes[1] = 0x80 | 126;
    bytes.writeUInt16BE(length, 2);
  }
  return bytes;
}

/** The slowest of a voter's `/healthz` answers, one every 100 ms for `ms`. */
async function slowestHealth(port: number, ms: number): Promise<number> {
  let slowest = 0;
  const until = performance.now() + ms;
  while (performance.now() < until) {
    const started = performance.now();
    const answer = await ask(
      port,
      "127.0.0.2",
      "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n",
    );
    assert.match(answer, /^HTTP\/1\.1 200/);
    slowest = Math.max(slowest, performance.now() - started);
    await new Promise((r) => setTimeout(r, 100));
  }
  return slowest;
}

// 32 sockets (the cap per address), each sending 4,000-byte messages (under
// the 4 KiB cap) as fast as loopback takes them: another voter's /healthz
// waited 6.3 s and was answered once in 4 s. Pings that the client reads
// the pongs of are the same flood. The feeds' clients send nothing.
for (
  const [what, chunk] of [
    ["small messages", Buffer.concat(Array.from({ length: 16 }, () => frame(1, 4_000)))],
    ["pings", Buffer.concat(Array.from({ length: 4_096 }, () => frame(9, 0)))],
    ["empty fragments", Buffer.concat(Array.from({ length: 4_096 }, () => frame(0, 0, false)))],
  ] as const
) {
  Deno.test(`a flood of ${what} on the live feeds' sockets does not hold up another voter`, async () => {
    const server = await startServer([]);
    const sockets: net.Socket[] = [];
    try {
      for (let i = 0; i < 32; i++) sockets.push(await openFeed(server.port, "127.0.0.5"));
      let closed = 0;
      for (const socket of sockets) {
        socket.on("close", () => closed++);
        // A first frame that opens a fragmented text message, for the fragments' flood.
        if (what === "empty fragments") socket.write(frame(1, 0, false));
        const pump = () => {
          while (!socket.destroyed && socket.write(chunk));
        };
        socket.on("drain", pump);
        pump();
      }
      const slowest = await slowestHealth(server.port, 3_000);
      assert.ok(slowest < 1_000, `the other voter's /healthz took ${slowest.toFixed(0)} ms`);
      assert.equal(closed, 32, "every flooding socket is closed");
    } finally {
      sockets.forEach((s) => s.destroy());
      await server.stop();
    }
  });
}
