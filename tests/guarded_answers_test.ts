/**
 * serveGuarded() writes the app's answers itself (lib/server/http1_answer.ts, writeAnswer):
 * whole bodies with their length, streamed bodies in order, every header as
 * given, and a stream dropped when its client goes away.
 */
import assert from "node:assert/strict";
import { serveHere } from "./_server.ts";
import { waitFor } from "./_wait.ts";

const encoder = new TextEncoder();

const serve = (fetch: (request: Request) => Response | Promise<Response>) => serveHere(fetch);

Deno.test("serveGuarded() sends a whole answer with its status, headers and length", async () => {
  const server = await serve(async (request) => {
    const headers = new Headers({ "content-type": "application/json", "x-one": "1" });
    headers.append("set-cookie", "a=1; Path=/");
    headers.append("set-cookie", "b=2; Path=/");
    return new Response(JSON.stringify({ got: await request.text() }), { status: 201, headers });
  });
  try {
    const res = await fetch(`${server.url}/x`, { method: "POST", body: "ब्रह्म" });
    assert.equal(res.status, 201);
    assert.equal(res.headers.get("content-type"), "application/json");
    assert.equal(res.headers.get("x-one"), "1");
    assert.deepEqual(res.headers.getSetCookie(), ["a=1; Path=/", "b=2; Path=/"]);
    const text = await res.text();
    assert.equal(res.headers.get("content-length"), String(encoder.encode(text).length));
    assert.deepEqual(JSON.parse(text), { got: "ब्रह्म" });

    const empty = await fetch(`${server.url}/`, { method: "HEAD" });
    assert.equal(empty.status, 201);
    await empty.body?.cancel();
  } finally {
    await server.shutdown();
  }
});

Deno.test("serveGuarded() streams a body of many chunks in order", async () => {
  const chunks = Array.from({ length: 200 }, (_, i) => `line ${i}\n`.repeat(100));
  const server = await serve(() =>
    new Response(
      new ReadableStream({
        start(controller) {
          for (const chunk of chunks) controller.enqueue(encoder.encode(chunk));
          controller.close();
        },
      }),
      { headers: { "content-type": "text/csv" } },
    )
  );
  try {
    const res = await fetch(server.url);
    assert.equal(res.status, 200);
    assert.equal(res.headers.get("content-type"), "text/csv");
    assert.equal(await res.text(), chunks.join(""));
  } finally {
    await server.shutdown();
  }
});

Deno.test("serveGuarded() stops reading a streamed body when its client goes away", async () => {
  let cancelled = false;
  let pulls = 0;
  const server = await serve(() =>
    new Response(
      new ReadableStream({
        pull(controller) {
          pulls++;
          controller.enqueue(new Uint8Array(64 * 1024));
        },
        cancel() {
          cancelled = true;
        },
      }),
    )
  );
  try {
    const conn = await Deno.connect({ hostname: "127.0.0.1", port: server.port });
    await conn.write(encoder.encode("GET / HTTP/1.1\r\nHost: x\r\n\r\n"));
    await conn.read(new Uint8Array(1024));
    conn.close();
    await waitFor(() => cancelled, 5_000, { what: () => `the stream's cancel (${pulls} pulls)` });
  } finally {
    await server.shutdown();
  }
});

Deno.test("an express route that throws answers 500 and leaves the server serving", async () => {
  const errors: unknown[] = [];
  const logged = console.error;
  console.error = (...args: unknown[]) => errors.push(args);
  const server = await serveHere(() => new Response("from the app"), {
    express: {
      method: "POST",
      target: "/fast",
      takes: () => true,
      answer: () => Promise.reject(new Error("a bug in the lane")),
    },
  });
  const { url } = server;
  try {
    const failed = await fetch(`${url}/fast`, { method: "POST", body: "x" });
    assert.equal(failed.status, 500);
    await failed.body?.cancel();
    const res = await fetch(`${url}/other`);
    assert.equal(await res.text(), "from the app");
    assert.equal(errors.length, 1);
  } finally {
    console.error = logged;
    await server.shutdown();
  }
});
