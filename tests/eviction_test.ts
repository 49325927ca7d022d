/** Eviction on a full server must not cut a vote whose request is still arriving. */
import assert from "node:assert/strict";
import net from "node:net";
import { connectFrom, SMALL_SERVER, startServer } from "./_server.ts";
import { voteBody } from "./_voters.ts";
import { waitFor } from "./_wait.ts";

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** Reads one answer's status on `socket` (deadline 10 s); "closed" if the server closed it. */
function answer(socket: net.Socket): Promise<number | "closed"> {
  return new Promise((resolve) => {
    let text = "";
    const timer = setTimeout(() => done(0), 10_000);
    const onData = (chunk: Uint8Array) => {
      text += decoder.decode(chunk);
      const match = text.match(/^HTTP\/1\.1 (\d+)[\s\S]*?\r\n\r\n/);
      const length = Number(text.match(/content-length: (\d+)/i)?.[1] ?? NaN);
      if (match && text.length >= match[0].length + length) done(Number(match[1]));
    };
    const onClose = () => done("closed");
    function done(status: number | "closed") {
      clearTimeout(timer);
      socket.off("data", onData);
      socket.off("close", onClose);
      resolve(status);
    }
    socket.on("data", onData);
    socket.once("close", onClose);
  });
}

Deno.test("newcomers to a full server do not cut a vote whose headers are still coming", async () => {
  const dir = await Deno.makeTempDir();
  const server = await startServer(["--db", `${dir}/e.db`, ...SMALL_SERVER]);
  const held: net.Socket[] = [];
  const open = async (address: string) => {
    const socket = await connectFrom(server.port, address);
    assert.ok(socket, `could not connect from ${address}`);
    held.push(socket);
    return socket;
  };
  try {
    // A voter on a slow link: the vote's headers have begun to arrive...
    const vote = await open("127.0.0.9");
    vote.write("POST /api/votes HTTP/1.1\r\nHost: 127.0.0.1\r\n");
    // ...and the browser holds two idle keep-alive connections that loaded the page.
    for (let i = 0; i < 2; i++) {
      const idle = await open("127.0.0.9");
      const answered = answer(idle);
      idle.write("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
      assert.equal(await answered, 200);
    }
    // The attacker fills the server from 29 addresses, one connection each.
    for (let i = 0; i < 29; i++) (await open(`127.0.1.${i + 1}`)).write("GET / HTTP/1.1\r\n");
    // Two more of the attacker's addresses come: the voter holds the most.
    const voteAnswer = answer(vote);
    for (let i = 0; i < 2; i++) await open(`127.0.2.${i + 1}`);
    // The evictions happen at accept: two of the held connections are closed.
    await waitFor(() => held.filter((s) => s.readableEnded || s.destroyed).length >= 2, 10_000, {
      what: () => `two evictions (${server.output()})`,
    });
    const body = voteBody(1);
    vote.write(
      `Content-Type: application/json\r\nContent-Length: ${
        encoder.encode(body).length
      }\r\n\r\n${body}`,
    );
    assert.equal(await voteAnswer, 201, server.output());
  } finally {
    for (const socket of held) socket.destroy();
    await server.stop();
    await Deno.remove(dir, { recursive: true });
  }
});
