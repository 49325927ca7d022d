/** Slow and stuck clients must not hold the server or other voters back. */
import assert from "node:assert/strict";
import { createApp } from "../app.ts";
import { openSqliteStore } from "../lib/store/sqlite/sqlite_store.ts";
import { TallyFeed } from "../lib/live/tally_feed.ts";
import { startServer } from "./_server.ts";
import { ballot, sendVote } from "./_voters.ts";
import { waitFor } from "./_wait.ts";

/** Opens a WebSocket to `/ws/tally` over raw TCP and never reads from it. */
async function stuckSocket(port: number): Promise<Deno.TcpConn> {
  const conn = await Deno.connect({ hostname: "127.0.0.1", port });
  await conn.write(new TextEncoder().encode(
    "GET /ws/tally HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" +
      "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n",
  ));
  return conn;
}

Deno.test("a dashboard socket that never reads is dropped, not buffered without bound", async () => {
  const dir = await Deno.makeTempDir();
  // Many long party names make each tally message a few kilobytes.
  const parties = Array.from({ length: 50 }, (_, i) => ({
    id: `p${i}`,
    name: `Party number ${i} `.padEnd(60, "x"),
    color: "#336699",
    logo: "static/logos/nota.svg",
  }));
  const store = await openSqliteStore(`${dir}/e.db`, { parties, step: 1 });
  const feed = new TallyFeed(store, { intervalMs: 1, maxBufferedBytes: 64 * 1024 });
  const server = Deno.serve(
    { port: 0, hostname: "127.0.0.1", onListen() {} },
    createApp({ store, feed }).fetch,
  );
  const reader = new WebSocket(`ws://127.0.0.1:${server.addr.port}/ws/tally`);
  let lastTotal = -1;
  reader.onmessage = (e) => lastTotal = JSON.parse(e.data).total;
  await new Promise((r) => reader.onopen = r);
  const stuck = await stuckSocket(server.addr.port);
  try {
    await waitFor(() => feed.size === 2, 10_000, { what: "both sockets in the feed" });
    let n = 0;
    // The kernel's socket buffers take a few megabytes; the feed must drop the
    // socket soon after they fill, well before this many votes.
    while (feed.size === 2 && n < 5000) {
      await store.cast({ ...ballot(n), party: `p${n % 50}` });
      n++;
      if (n % 20 === 0) await new Promise((r) => setTimeout(r, 2));
    }
    assert.equal(feed.size, 1, `still ${feed.size} sockets after ${n} votes`);
    await store.cast({ ...ballot(n), party: "p0" });
    await waitFor(() => lastTotal === n + 1, 10_000, {
      what: () => `the reader to see ${n + 1} votes (saw ${lastTotal})`,
    });
  } finally {
    stuck.close();
    reader.close();
    feed.stop();
    await server.shutdown();
    await store.shutdown();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("idle and trickling connections do not stop others from voting", async () => {
  const dir = await Deno.makeTempDir();
  const server = await startServer(["--db", `${dir}/e.db`]);
  const conns: Deno.TcpConn[] = [];
  let trickling = true;
  try {
    for (let i = 0; i < 300; i++) {
      conns.push(await Deno.connect({ hostname: "127.0.0.1", port: server.port }));
    }
    const slow = conns.slice(0, 50);
    for (const c of slow) {
      await c.write(new TextEncoder().encode("POST /api/votes HTTP/1.1\r\nHost: x\r\n"));
    }
    const trickle = (async () => {
      while (trickling) {
        for (const c of slow) {
          await c.write(new TextEncoder().encode("X-Slow: 1\r\n")).catch(() => 0);
        }
        await new Promise((r) => setTimeout(r, 50));
      }
    })();
    const statuses = await Promise.all(Array.from({ length: 50 }, async (_, i) => {
      const res = await sendVote(server.url, i);
      await res.body?.cancel();
      return res.status;
    }));
    trickling = false;
    await trickle;
    assert.deepEqual(statuses, Array(50).fill(201));
  } finally {
    trickling = false;
    for (const c of conns) c.close();
    await server.stop();
    await Deno.remove(dir, { recursive: true });
  }
});
