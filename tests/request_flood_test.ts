/**
 * One client flooding the server with requests for an expensive page must
 * not keep another client waiting. 900 connections from one address, each
 * pipelining 16 `GET /results`, left another voter's `/healthz` unanswered
 * for 20 s; 300 connections show the same.
 */
import assert from "node:assert/strict";
import net from "node:net";
import { startServer } from "./_server.ts";
import { voteBody } from "./_voters.ts";
import { DEFAULT_REQUESTS_PER_CLIENT } from "../lib/server/cli.ts";
import { BURST_SECONDS } from "../lib/server/request_rate.ts";

// 14, not 16: a refill may reach the server before it has counted the answer sent.
const PIPELINED = 14;

/**
 * Opens `count` connections from `localAddress`, each keeping `PIPELINED`
 * `GET /results` unanswered: a new one is sent for each answer read.
 * Returns how many answers of each status came back, and a stop function.
 */
async function flood(port: number, localAddress: string, count: number) {
  const statuses = new Map<string, number>();
  const sockets: net.Socket[] = [];
  const request = "GET /results HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
  for (let i = 0; i < count; i += 50) {
    const batch = await Promise.all(
      Array.from(
        { length: Math.min(50, count - i) },
        () =>
          new Promise<net.Socket | null>((resolve) => {
            const socket = net.connect({ port, host: "127.0.0.1", localAddress });
            socket.once("connect", () => resolve(socket));
            socket.once("error", () => resolve(null));
            socket.on("error", () => {});
          }),
      ),
    );
    for (const socket of batch) {
      if (!socket) continue;
      sockets.push(socket);
      let tail = "";
      socket.on("data", (chunk: Buffer) => {
        // Count status lines; the page's text holds none.
        const text = tail + chunk.toString("latin1");
        const found = [...text.matchAll(/HTTP\/1\.1 (\d{3})/g)];
        tail = text.slice(-16);
        for (const [, status] of found) statuses.set(status, (statuses.get(status) ?? 0) + 1);
        if (found.length && !socket.destroyed) socket.write(request.repeat(found.length));
      });
      socket.write(request.repeat(PIPELINED));
    }
  }
  return { statuses, stop: () => sockets.forEach((s) => s.destroy()) };
}

/** Sends one request from `localAddress` on a new connection; its status and time taken (deadline 30 s). */
function timed(
  port: number,
  localAddress: string,
  raw: string,
): Promise<{ status: number; ms: number }> {
  const started = performance.now();
  return new Promise((resolve) => {
    const socket = net.connect({ port, host: "127.0.0.1", localAddress });
    const timer = setTimeout(() => done(0), 30_000);
    let text = "";
    function done(status: number) {
      clearTimeout(timer);
      socket.destroy();
      resolve({ status, ms: performance.now() - started });
    }
    socket.on("error", () => done(0));
    socket.on("connect", () => socket.write(raw));
    socket.on("data", (chunk: Buffer) => {
      text += chunk.toString("latin1");
      const match = text.match(/^HTTP\/1\.1 (\d{3})/);
      if (match) done(Number(match[1]));
    });
  });
}

Deno.test("a request flood from one address leaves another voter's requests answered", async () => {
  const dir = await Deno.makeTempDir();
  const server = await startServer(["--db", `${dir}/e.db`]);
  let attack: Awaited<ReturnType<typeof flood>> | undefined;
  try {
    const started = performance.now();
    attack = await flood(server.port, "127.0.0.1", 200);
    const health = "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
    const results = "GET /results HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
    const vote = (n: number) => {
      const body = voteBody(n);
      return `POST /api/votes HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n` +
        `Content-Length: ${new TextEncoder().encode(body).length}\r\n\r\n${body}`;
    };
    // Another voter at another address, browsing as a person would (a round
    // every quarter of a second), for four seconds of the flood.
    const answers: { what: string; status: number; ms: number }[] = [];
    const until = performance.now() + 4_000;
    for (let n = 1; performance.now() < until; n++) {
      for (const [what, raw] of [["healthz", health], ["results", results], ["vote", vote(n)]]) {
        answers.push({ what, ...await timed(server.port, "127.0.0.2", raw) });
      }
      await new Promise((r) => setTimeout(r, 250));
    }
    const summary = answers.map((a) => `${a.what} ${a.status} in ${a.ms.toFixed(0)} ms`).join(", ");
    for (const a of answers) {
      assert.equal(a.status, a.what === "vote" ? 201 : 200, summary);
      assert.ok(a.ms < 3_000, `the other voter waited: ${summary}`);
    }
    // The flooding client was served too, at the pace one client may have
    // (the default budget, a page costing 10 points), and told to wait (its
    // connections are then closed: it pipelined past the 429).
    const seconds = Math.ceil((performance.now() - started) / 1000);
    const served = attack.statuses.get("200") ?? 0;
    const counts = `flood answers: ${[...attack.statuses]} in ${seconds} s`;
    const pages = (DEFAULT_REQUESTS_PER_CLIENT / 10) * (seconds + BURST_SECONDS);
    assert.ok(served > 0 && served <= pages, counts);
    assert.ok((attack.statuses.get("429") ?? 0) > 0, counts);
  } finally {
    attack?.stop();
    await server.stop();
    await Deno.remove(dir, { recursive: true });
  }
});
