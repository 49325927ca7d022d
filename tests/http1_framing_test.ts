/**
 * The guarded server's HTTP/1.1 framing on raw sockets, for what node:http
 * used to do for it: smuggling refused, pipelined answers in order, HEAD,
 * HTTP/1.0, `Expect: 100-continue`, a malformed request line, and a long
 * answer streamed under back-pressure.
 */
import assert from "node:assert/strict";
import { startServer } from "./_server.ts";
import { voteBody } from "./_voters.ts";
import { serveGuarded } from "../serve.ts";
import { ConnectionLimits } from "../lib/server/connection_limits.ts";
import { waitFor } from "./_wait.ts";

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** One answer as read off the wire. */
interface Answer {
  status: number;
  headers: Map<string, string>;
  body: string;
}

/** Reads answers off a raw connection, framed by their length or chunks. */
class Wire {
  #buffer = new Uint8Array(256 * 1024);
  #start = 0;
  #end = 0;
  #closed = false;
  constructor(readonly conn: Deno.TcpConn) {}

  static async open(port: number): Promise<Wire> {
    return new Wire(await Deno.connect({ hostname: "127.0.0.1", port }));
  }

  async send(text: string) {
    const bytes = encoder.encode(text);
    for (let done = 0; done < bytes.length;) done += await this.conn.write(bytes.subarray(done));
  }

  /** Reads more; false at the end of the stream (or a reset). */
  async #more(): Promise<boolean> {
    if (this.#closed) return false;
    if (this.#buffer.length - this.#end < 64 * 1024) {
      const size = this.#end - this.#start;
      const next = new Uint8Array(Math.max(this.#buffer.length, size * 2 + 64 * 1024));
      next.set(this.#buffer.subarray(this.#start, this.#end));
      this.#buffer = next;
      this.#start = 0;
      this.#end = size;
    }
    const n = await this.conn.read(this.#buffer.subarray(this.#end)).catch(() => null);
    if (n === null) {
      this.#closed = true;
      return false;
    }
    this.#end += n;
    return true;
  }

  async #take(count: number): Promise<Uint8Array> {
    while (this.#end - this.#start < count) {
      if (!await this.#more()) throw new Error(`the connection ended ${count} bytes short`);
    }
    this.#start += count;
    return this.#buffer.subarray(this.#start - count, this.#start);
  }

  async #line(): Promise<string> {
    for (let searched = 0;;) {
      const at = this.#buffer.subarray(this.#start + searched, this.#end).indexOf(10);
      if (at >= 0) return decoder.decode(await this.#take(searched + at + 1)).slice(0, -2);
      searched = this.#end - this.#start;
      if (!await this.#more()) throw new Error("the connection ended mid-line");
    }
  }

  /** The next answer; `head`: it has no body (the answer to a HEAD). */
  async answer(head = false): Promise<Answer> {
    const [, status] = (await this.#line()).match(/^HTTP\/1\.1 (\d{3}) /) ?? [];
    assert.ok(status, "a status line");
    const headers = new Map<string, string>();
    for (let line = await this.#line(); line !== ""; line = await this.#line()) {
      const colon = line.indexOf(":");
      headers.set(line.slice(0, colon).toLowerCase(), line.slice(colon + 1).trim());
    }
    let body = "";
    if (head || Number(status) < 200 || status === "204" || status === "304") {
      // no body
    } else if (headers.get("transfer-encoding") === "chunked") {
      for (let size = parseInt(await this.#line(), 16); size > 0;) {
        body += decoder.decode(await this.#take(size));
        await this.#line();
        size = parseInt(await this.#line(), 16);
      }
      await this.#line();
    } else if (headers.has("content-length")) {
      body = decoder.decode(await this.#take(Number(headers.get("content-length"))));
    } else {
      while (await this.#more()) { /* read to the end */ }
      body = decoder.decode(await this.#take(this.#end - this.#start));
    }
    return { status: Number(status), headers, body };
  }

  /** Whether the server closes the connection within `ms` (anything else it sends is returned). */
  async closes(ms = 3_000): Promise<{ closed: boolean; rest: string }> {
    const timer = setTimeout(() => this.conn.close(), ms);
    let closed = false;
    try {
      while (await this.#more()) { /* until the end */ }
      closed = true;
    } finally {
      clearTimeout(timer);
    }
    return { closed, rest: decoder.decode(this.#buffer.subarray(this.#start, this.#end)) };
  }

  close() {
    try {
      this.conn.close();
    } catch {
      // closed already
    }
  }
}

function vote(n: number, extra = ""): string {
  const body = voteBody(n);
  return `POST /api/votes HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n${extra}` +
    `Content-Length: ${encoder.encode(body).length}\r\n\r\n${body}`;
}

Deno.test("the guarded server frames HTTP/1.1 as node:http did", async (t) => {
  const server = await startServer([]);
  const tally = async () => (await (await fetch(`${server.url}/api/tally`)).json()).total;
  try {
    await t.step("a body with both Content-Length and Transfer-Encoding is refused", async () => {
      // The chunked body hides a second request a Content-Length reader would run.
      const smuggled = "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
      const wire = await Wire.open(server.port);
      await wire.send(
        "POST /api/votes HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n" +
          "Content-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n" + smuggled,
      );
      const { closed, rest } = await wire.closes();
      wire.close();
      assert.ok(closed, "the connection stays open");
      // node:http closed without a word; a 400 is as good. Never the healthz.
      assert.match(rest, /^(HTTP\/1\.1 400 [^]*)?$/);
      assert.doesNotMatch(rest, /200 OK/);
    });

    await t.step("two Content-Lengths are refused, even equal ones", async () => {
      for (const lengths of ["2\r\nContent-Length: 3", "2\r\nContent-Length: 2"]) {
        const wire = await Wire.open(server.port);
        await wire.send(
          `POST /api/votes HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: ${lengths}\r\n\r\n{}x`,
        );
        const { closed, rest } = await wire.closes();
        wire.close();
        assert.ok(closed, lengths);
        assert.match(rest, /^(HTTP\/1\.1 400 [^]*)?$/, lengths);
      }
    });

    await t.step("two Host headers are refused (RFC 9112 §3.2), a vote too", async () => {
      const before = await tally();
      for (
        const ask of [
          vote(105, "Host: evil.example\r\n"),
          "GET /healthz HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n",
        ]
      ) {
        const wire = await Wire.open(server.port);
        await wire.send(ask);
        const answer = await wire.answer();
        wire.close();
        assert.equal(answer.status, 400, ask);
      }
      assert.equal(await tally(), before);
    });

    await t.step("a pipelined burst is answered in order, slow answers first", async () => {
      const before = await tally();
      const wire = await Wire.open(server.port);
      // A page (rendered), a 404, votes (each a commit), the tally: different costs.
      await wire.send(
        "GET /results HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n" +
          "GET /nowhere HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: application/json\r\n\r\n" +
          vote(101) + vote(102) +
          "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n" +
          vote(101) +
          "GET /api/tally HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n",
      );
      const answers = [];
      for (let i = 0; i < 7; i++) answers.push(await wire.answer());
      wire.close();
      assert.deepEqual(answers.map((a) => a.status), [200, 404, 201, 201, 200, 409, 200]);
      assert.match(answers[0].body, /<html/);
      assert.match(answers[4].body, /"ok":true/);
      // Handed on at once, as node:http did: the tally may not have the votes yet.
      assert.ok(JSON.parse(answers[6].body).total >= before);
      assert.equal(await tally(), before + 2);
    });

    await t.step("a chunked body with trailers, then the next request, pipelined", async () => {
      const body = voteBody(104);
      const wire = await Wire.open(server.port);
      await wire.send(
        "POST /api/votes HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n" +
          "Transfer-Encoding: chunked\r\n\r\n" +
          `5\r\n${body.slice(0, 5)}\r\n${(body.length - 5).toString(16)}\r\n${body.slice(5)}\r\n` +
          "0\r\nX-Trailer: 1\r\n\r\n" +
          "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n",
      );
      const vote = await wire.answer();
      const health = await wire.answer();
      wire.close();
      assert.equal(vote.status, 201, vote.body);
      assert.equal(health.status, 200);
      assert.match(health.body, /^\{"ok":true/);
    });

    await t.step("HEAD gets the headers and no body; the next answer follows at once", async () => {
      const wire = await Wire.open(server.port);
      await wire.send(
        "HEAD /results HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n" +
          "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n",
      );
      const head = await wire.answer(true);
      const next = await wire.answer();
      wire.close();
      assert.equal(head.status, 200);
      assert.match(head.headers.get("content-type") ?? "", /text\/html/);
      assert.equal(next.status, 200);
      assert.match(next.body, /^\{"ok":true/);
    });

    await t.step(
      "HTTP/1.0 is answered and closed, unless it asks to keep the connection",
      async () => {
        const wire = await Wire.open(server.port);
        await wire.send("GET /healthz HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n");
        const answer = await wire.answer();
        assert.equal(answer.status, 200);
        assert.equal(answer.headers.get("connection"), "close");
        assert.ok((await wire.closes()).closed);
        wire.close();

        const kept = await Wire.open(server.port);
        const ask = "GET /healthz HTTP/1.0\r\nHost: 127.0.0.1\r\nConnection: keep-alive\r\n\r\n";
        await kept.send(ask);
        const first = await kept.answer();
        assert.equal(first.headers.get("connection"), "keep-alive");
        await kept.send(ask);
        assert.equal((await kept.answer()).status, 200);
        kept.close();
      },
    );

    await t.step("Expect: 100-continue gets its 100 before the body is sent", async () => {
      const before = await tally();
      const body = voteBody(103);
      const wire = await Wire.open(server.port);
      await wire.send(
        "POST /api/votes HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n" +
          `Expect: 100-continue\r\nContent-Length: ${encoder.encode(body).length}\r\n\r\n`,
      );
      const interim = await wire.answer();
      assert.equal(interim.status, 100);
      await wire.send(body);
      const answer = await wire.answer();
      wire.close();
      assert.equal(answer.status, 201, answer.body);
      assert.equal(await tally(), before + 1);
    });

    await t.step("a path with dot segments is routed as the URL it makes", async () => {
      for (
        const target of ["/static/../healthz", "/static/%2e%2e/healthz", "http://x/a/../healthz"]
      ) {
        const wire = await Wire.open(server.port);
        await wire.send(`GET ${target} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n`);
        const answer = await wire.answer();
        wire.close();
        assert.equal(answer.status, 200, target);
        assert.match(answer.body, /^\{"ok":true/, target);
      }
    });

    await t.step("a malformed request line is refused and closed; the server goes on", async () => {
      for (
        const line of [
          "GARBAGE\r\n\r\n",
          "GET /\r\n\r\n",
          "GET / HTTP/1.1 extra\r\nHost: x\r\n\r\n",
          "GET / HTTP/7.1\r\nHost: x\r\n\r\n",
          "G\u0000T / HTTP/1.1\r\nHost: x\r\n\r\n",
        ]
      ) {
        const wire = await Wire.open(server.port);
        await wire.send(line);
        const { closed, rest } = await wire.closes();
        wire.close();
        assert.ok(closed, JSON.stringify(line));
        assert.match(rest, /^(HTTP\/1\.1 400 [^]*)?$/, JSON.stringify(line));
      }
      const health = await fetch(`${server.url}/healthz`);
      assert.equal(health.status, 200);
      await health.body?.cancel();
    });
  } finally {
    await server.stop();
  }
});

Deno.test("serveGuarded() streams a long answer only as fast as its client reads", async () => {
  const piece = encoder.encode("0123456789abcdef".repeat(4096)); // 64 KiB
  const pieces = 512; // 32 MiB
  let pulled = 0;
  const server = await serveGuarded(() =>
    new Response(
      new ReadableStream<Uint8Array>({
        pull(controller) {
          if (pulled === pieces) return controller.close();
          pulled++;
          controller.enqueue(piece);
        },
      }, { highWaterMark: 0 }),
      { headers: { "content-type": "text/csv" } },
    ), {
    port: 0,
    hostname: "127.0.0.1",
    limits: new ConnectionLimits({ total: 10, perClient: 10 }),
    watchdogMs: 0,
  });
  const wire = await Wire.open(server.port);
  try {
    await wire.send("GET /register.csv HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
    // The client reads nothing for a while: the server stops once the
    // socket's buffers are full, far short of the whole answer.
    await new Promise((r) => setTimeout(r, 1_000));
    const stalled = pulled;
    assert.ok(stalled < pieces / 4, `${stalled} of ${pieces} pieces taken with nobody reading`);
    const answer = await wire.answer();
    assert.equal(answer.status, 200);
    assert.equal(answer.headers.get("transfer-encoding"), "chunked");
    assert.equal(answer.body.length, piece.length * pieces);
    await waitFor(() => pulled === pieces, 5_000, { what: "every piece pulled" });
  } finally {
    wire.close();
    await server.shutdown();
  }
});

Deno.test("serveGuarded() closes a request whose body stops coming, and an idle connection", async (t) => {
  const server = await serveGuarded(async (request) => new Response(await request.text()), {
    port: 0,
    hostname: "127.0.0.1",
    limits: new ConnectionLimits({ total: 10, perClient: 10 }),
    headersTimeoutMs: 300,
    requestTimeoutMs: 600,
    idleTimeoutMs: 400,
    checkIntervalMs: 50,
    watchdogMs: 0,
  });
  try {
    await t.step("a body that stops halfway is cut off at the request timeout", async () => {
      const wire = await Wire.open(server.port);
      const started = performance.now();
      await wire.send("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\nonly ten b");
      const { closed, rest } = await wire.closes(5_000);
      wire.close();
      assert.ok(closed, "the connection stays open");
      assert.doesNotMatch(rest, /200 OK/);
      assert.ok(performance.now() - started >= 500, "cut off before the request timeout");
    });

    await t.step("an idle keep-alive connection is closed after the idle timeout", async () => {
      const wire = await Wire.open(server.port);
      await wire.send("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\nhi");
      assert.equal((await wire.answer()).body, "hi");
      const started = performance.now();
      const { closed } = await wire.closes(5_000);
      wire.close();
      assert.ok(closed, "the idle connection stays open");
      assert.ok(performance.now() - started >= 300, "closed before the idle timeout");
    });
  } finally {
    await server.shutdown();
  }
});
