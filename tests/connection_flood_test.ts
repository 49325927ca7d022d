/**
 * One client holding thousands of connections must not end the server or
 * stop others from voting. The server runs with 2,048 descriptors (prlimit),
 * so a few thousand connections show what 25,000 do to a server with 20,000.
 */
import assert from "node:assert/strict";
import net from "node:net";
import { serveGuarded } from "../serve.ts";
import { ConnectionLimits } from "../lib/server/connection_limits.ts";
import { connectFrom, SMALL_SERVER, startServer } from "./_server.ts";
import { createApp } from "../app.ts";
import { openSqliteStore } from "../lib/store/sqlite/sqlite_store.ts";
import { waitFor } from "./_wait.ts";
import { voteBody } from "./_voters.ts";

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** Sends voter n's vote on an open socket and reads the answer's status (deadline 10 s). */
function voteOn(socket: net.Socket, n: number): Promise<number> {
  const body = voteBody(n);
  return new Promise((resolve, reject) => {
    let text = "";
    const timer = setTimeout(() => done(new Error(`No answer in 10 s: ${text}`)), 10_000);
    const onData = (chunk: Uint8Array) => {
      text += decoder.decode(chunk);
      const match = text.match(/^HTTP\/1\.1 (\d+)[\s\S]*?\r\n\r\n/);
      const length = Number(text.match(/content-length: (\d+)/i)?.[1] ?? NaN);
      if (match && text.length >= match[0].length + length) done(null, Number(match[1]));
    };
    const onClose = () => done(new Error(`The connection closed: ${text}`));
    function done(error: Error | null, status = 0) {
      clearTimeout(timer);
      socket.off("data", onData);
      socket.off("close", onClose);
      if (error) reject(error);
      else resolve(status);
    }
    socket.on("data", onData);
    socket.once("close", onClose);
    socket.write(encoder.encode(
      `POST /api/votes HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n` +
        `Content-Length: ${encoder.encode(body).length}\r\n\r\n${body}`,
    ));
  });
}

/** Votes on a fresh connection from `localAddress`. */
async function freshVote(port: number, localAddress: string, n: number): Promise<number> {
  const socket = await connectFrom(port, localAddress);
  assert.ok(socket, `could not connect from ${localAddress}`);
  try {
    return await voteOn(socket, n);
  } finally {
    socket.destroy();
  }
}

/** Opens `count` connections from `localAddress` and sends half a request on each. */
async function flood(port: number, localAddress: string, count: number): Promise<net.Socket[]> {
  const sockets: net.Socket[] = [];
  for (let i = 0; i < count; i += 100) {
    const batch = await Promise.all(
      Array.from({ length: Math.min(100, count - i) }, () => connectFrom(port, localAddress)),
    );
    for (const socket of batch) {
      if (!socket) continue;
      socket.write("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n"); // and never the rest
      sockets.push(socket);
    }
  }
  return sockets;
}

Deno.test({
  name: "thousands of connections from one client neither end the server nor stop others voting",
  ignore: !(await Deno.stat("/usr/bin/prlimit").then(() => true, () => false)),
  async fn() {
    const dir = await Deno.makeTempDir();
    const server = await startServer(["--db", `${dir}/e.db`], {
      wrapper: ["prlimit", "--nofile=2048", "--"],
    });
    const held: net.Socket[] = [];
    try {
      // A voter whose connection was served before the flood.
      const early = await connectFrom(server.port, "127.0.0.1");
      assert.ok(early);
      held.push(early);
      assert.equal(await voteOn(early, 1), 201);

      // One client opens 2,500 connections (more than the server has descriptors).
      held.push(...await flood(server.port, "127.0.0.1", 2_500));
      assert.equal(await freshVote(server.port, "127.0.0.2", 2), 201, server.output());
      assert.equal(await voteOn(early, 3), 201);

      // Many clients together fill the cap on connections in all: new
      // connections are closed, the server stays up, served ones still vote.
      for (const address of ["127.0.0.3", "127.0.0.4"]) {
        held.push(...await flood(server.port, address, 1_000));
      }
      assert.equal(await voteOn(early, 4), 201);

      // When the flood ends, everyone votes again.
      for (const socket of held.splice(1)) socket.destroy();
      let status = 0;
      await waitFor(
        async () => (status = await freshVote(server.port, "127.0.0.5", 5).catch(() => 0)) === 201,
        10_000,
        {
          intervalMs: 50,
          what: () => `a vote after the flood (last: ${status}) ${server.output()}`,
        },
      );
      const tally = await (await fetch(`${server.url}/api/tally`)).json();
      assert.equal(tally.total, 5);
      assert.doesNotMatch(server.output(), /Too many open files|Uncaught/);
    } finally {
      for (const socket of held) socket.destroy();
      await server.stop();
      await Deno.remove(dir, { recursive: true });
    }
  },
});

Deno.test("serveGuarded() closes a connection whose headers never finish", async () => {
  const server = await serveGuarded(() => new Response("hi"), {
    port: 0,
    hostname: "127.0.0.1",
    limits: new ConnectionLimits({ total: 100, perClient: 10 }),
    headersTimeoutMs: 200,
    checkIntervalMs: 50,
  });
  try {
    const conn = await Deno.connect({ hostname: "127.0.0.1", port: server.port });
    await conn.write(encoder.encode("GET / HTTP/1.1\r\nHost: x\r\n"));
    const buffer = new Uint8Array(1024);
    const timer = setTimeout(() => conn.close(), 5_000); // the deadline: a test that can fail
    let answer = "";
    try {
      for (let n = await conn.read(buffer); n !== null; n = await conn.read(buffer)) {
        answer += decoder.decode(buffer.subarray(0, n));
      }
    } catch (e) {
      assert.fail(`the server kept the half-sent request open: ${(e as Error).message}`);
    } finally {
      clearTimeout(timer);
    }
    assert.doesNotMatch(answer, /200 OK/);
    conn.close();
  } finally {
    await server.shutdown();
  }
});

Deno.test("one client may hold only so many WebSockets; the next is refused with 429", async () => {
  const dir = await Deno.makeTempDir();
  const store = await openSqliteStore(`${dir}/e.db`, {});
  const app = createApp({ store, socketsPerClient: 3 });
  const server = Deno.serve({ port: 0, hostname: "127.0.0.1", onListen() {} }, app.fetch);
  const url = `ws://127.0.0.1:${server.addr.port}/ws/tally`;
  const open = (): Promise<WebSocket | null> =>
    new Promise((resolve) => {
      const ws = new WebSocket(url);
      ws.onopen = () => resolve(ws);
      ws.onerror = () => resolve(null);
    });
  const sockets: WebSocket[] = [];
  try {
    for (let i = 0; i < 3; i++) sockets.push((await open())!);
    assert.ok(sockets.every((s) => s !== null));
    const refused = await fetch(`http://127.0.0.1:${server.addr.port}/ws/tally`, {
      headers: {
        upgrade: "websocket",
        connection: "Upgrade",
        "sec-websocket-key": "dGhlIHNhbXBsZSBub25jZQ==",
        "sec-websocket-version": "13",
      },
    });
    assert.equal(refused.status, 429);
    await refused.body?.cancel();
    const closed = new Promise((r) => sockets[0].onclose = r);
    sockets.shift()!.close();
    await closed;
    let again: WebSocket | null = null;
    await waitFor(async () => (again = await open()) !== null, 5_000, {
      what: "a socket once another closed",
    });
    sockets.push(again!);
  } finally {
    await Promise.all(sockets.map((s) => {
      const done = new Promise((r) => s.onclose = r);
      s.close();
      return done;
    }));
    await server.shutdown();
    await store.shutdown();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test({
  name: "the server accepts again after running out of descriptors (caps set too high)",
  ignore: !(await Deno.stat("/usr/bin/prlimit").then(() => true, () => false)),
  async fn() {
    const dir = await Deno.makeTempDir();
    // Caps above the descriptor limit: accepts fail for want of descriptors.
    const server = await startServer(
      ["--db", `${dir}/e.db`, "--max-connections", "5000", "--connections-per-client", "5000"],
      { wrapper: ["prlimit", "--nofile=256", "--"] },
    );
    try {
      const held = await flood(server.port, "127.0.0.3", 400);
      for (const socket of held) socket.destroy();
      let status = 0;
      await waitFor(
        async () => {
          status = await freshVote(server.port, "127.0.0.5", 7).catch(() => 0);
          return status === 201;
        },
        15_000,
        { what: () => `a vote after the flood ended (last status ${status})` },
      );
      assert.doesNotMatch(server.output(), /Uncaught/);
    } finally {
      await server.stop();
      await Deno.remove(dir, { recursive: true });
    }
  },
});

Deno.test({
  name: "--http-server deno: running out of descriptors does not end the server; it listens again",
  ignore: !(await Deno.stat("/usr/bin/prlimit").then(() => true, () => false)),
  async fn() {
    const dir = await Deno.makeTempDir();
    const server = await startServer(["--db", `${dir}/e.db`, "--http-server", "deno"], {
      wrapper: ["prlimit", "--nofile=256", "--"],
    });
    const held: net.Socket[] = [];
    try {
      assert.equal(await freshVote(server.port, "127.0.0.2", 1), 201);
      // More connections than the process has descriptors: an accept fails.
      held.push(...await flood(server.port, "127.0.0.1", 400));
      for (const socket of held.splice(0)) socket.destroy();
      let status = 0;
      await waitFor(
        async () => {
          status = await freshVote(server.port, "127.0.0.3", 2).catch(() => 0);
          return status === 201;
        },
        15_000,
        { what: "a vote once the flood ended" },
      );
      assert.equal(status, 201);
      assert.match(server.output(), /Too many open files.*listening again/);
      const tally = await (await fetch(`${server.url}/api/tally`)).json();
      assert.equal(tally.total, 2);
    } finally {
      for (const socket of held) socket.destroy();
      await server.stop();
      await Deno.remove(dir, { recursive: true });
    }
  },
});

Deno.test("a few addresses that fill every connection do not shut out a new voter", async () => {
  const dir = await Deno.makeTempDir();
  const server = await startServer(["--db", `${dir}/e.db`, ...SMALL_SERVER]);
  const held: net.Socket[] = [];
  try {
    for (const address of ["127.0.0.2", "127.0.0.3", "127.0.0.4", "127.0.0.5"]) {
      held.push(...await flood(server.port, address, 8));
    }
    // Every connection is taken: the last one opened is answered once it ends
    // its request, and connections are accepted in the order they were made.
    const last = held[held.length - 1];
    const answered = new Promise<string>((resolve) => {
      const timer = setTimeout(() => resolve("no answer in 10 s"), 10_000);
      last.once(
        "data",
        (chunk: Uint8Array) => (clearTimeout(timer), resolve(decoder.decode(chunk))),
      );
    });
    last.write("\r\n");
    assert.match(await answered, /^HTTP\/1\.1 200/);
    // A voter from another address still votes: the fullest client gives up an idle connection.
    assert.equal(await freshVote(server.port, "127.0.0.9", 1), 201, server.output());
  } finally {
    for (const socket of held) socket.destroy();
    await server.stop();
    await Deno.remove(dir, { recursive: true });
  }
});
