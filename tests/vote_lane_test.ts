/**
 * The guarded server's express lane for `POST /api/votes` (`voteLane`)
 * answers what the app would: two servers over identical elections, one
 * with the lane and one without, get the same requests, and every answer's
 * status, headers and body must match (receipt codes aside, which are random).
 */
import assert from "node:assert/strict";
import { createServing } from "../app.ts";
import type { ExpressRoute } from "../serve.ts";
import { serveHere } from "./_server.ts";
import { openSqliteStore } from "../lib/store/sqlite/sqlite_store.ts";
import type { ElectionRequest } from "../lib/store/store.ts";
import fc from "fast-check";
import { ballot, voteBody } from "./_voters.ts";
import { body, TYPES } from "./_vote_bodies.ts";
import { MAX_BODY_BYTES } from "../routes/_body.ts";

/** A server over a new election; `lane` says whether it has the express lane. */
async function election(request: ElectionRequest, lane: boolean) {
  const dir = await Deno.makeTempDir({ prefix: "matdaan-lane-" });
  const store = await openSqliteStore(`${dir}/election.db`, { step: 1, ...request });
  const { app, express } = createServing({ store, timeZone: "Asia/Kolkata" });
  let taken = 0; // requests the lane answered
  const counted: ExpressRoute = {
    ...express,
    takes: (headers) => express.takes(headers),
    answer: (...args) => {
      taken++;
      return express.answer(...args);
    },
  };
  const server = await serveHere(app.fetch, { express: lane ? counted : undefined });
  return {
    url: server.url,
    taken: () => taken,
    async stop() {
      await server.shutdown();
      await store.shutdown();
      await Deno.remove(dir, { recursive: true });
    },
  };
}

/** A request to `/api/votes`: its body and headers (JSON's content type unless given). */
interface Ask {
  body: string | Uint8Array;
  headers?: Record<string, string>;
}

/** What is compared of an answer: status, every header but the date, the body (codes masked). */
async function seen(url: string, ask: Ask) {
  const res = await fetch(`${url}/api/votes`, {
    method: "POST",
    headers: { "content-type": "application/json", ...ask.headers },
    body: ask.body as BodyInit,
  });
  const headers = [...res.headers].filter(([name]) => name !== "date");
  const body = (await res.text()).replace(/"receipt":"[0-9A-Z-]+"/, '"receipt":"…"');
  return { status: res.status, headers, body };
}

/** Whether an ask is within the lane's reach (a body of at most `MAX_BODY_BYTES`). */
function reachable(ask: Ask): boolean {
  const bytes = typeof ask.body === "string" ? new TextEncoder().encode(ask.body) : ask.body;
  return bytes.length <= MAX_BODY_BYTES;
}

/**
 * Two servers over identical elections (`request`), with and without the lane;
 * `asks` gets a function that sends an ask to both, compares the answers and
 * returns the status.
 */
async function compare(
  request: ElectionRequest,
  asks: (ask: (ask: Ask) => Promise<number>) => Promise<void>,
): Promise<void> {
  const [withLane, without] = [await election(request, true), await election(request, false)];
  let reached = 0;
  try {
    await asks(async (ask) => {
      const [fast, app] = [await seen(withLane.url, ask), await seen(without.url, ask)];
      assert.deepEqual(fast, app, `the lane answered ${Deno.inspect(ask)} otherwise`);
      if (reachable(ask)) reached++;
      return fast.status;
    });
    // Every ask within the lane's reach went through it: the comparison compared something.
    assert.equal(withLane.taken(), reached);
    assert.ok(reached > 0);
    assert.equal(without.taken(), 0);
  } finally {
    await withLane.stop();
    await without.stop();
  }
}

/** Sends the asks in order to both servers; returns the statuses. */
async function statusesOf(request: ElectionRequest, asks: Ask[]): Promise<number[]> {
  const statuses: number[] = [];
  await compare(request, async (send) => {
    for (const ask of asks) statuses.push(await send(ask));
  });
  return statuses;
}

const hindi = { "accept-language": "hi-IN,hi;q=0.9" };

Deno.test("the vote's express lane answers every vote and refusal as the app does", async () => {
  const statuses = await statusesOf({ limit: 3 }, [
    { body: voteBody(1, "aap") },
    { body: voteBody(1, "bjp") }, // voted already
    { body: JSON.stringify({ ...ballot(2), age: 12 }), headers: hindi },
    { body: JSON.stringify({ ...ballot(2), name: "" }), headers: { cookie: "x=1; lang=hi" } },
    { body: JSON.stringify({ ...ballot(2), party: "xyz" }) },
    { body: JSON.stringify({ ...ballot(2), phase: "real" }) },
    { body: "{not json", headers: hindi },
    { body: voteBody(2), headers: { "content-type": "text/plain" } },
    { body: voteBody(2), headers: { "content-type": "application/json; charset=utf-8" } },
    { body: voteBody(3), headers: { origin: "https://evil.example" } },
    { body: voteBody(3), headers: { "sec-fetch-site": "cross-site", ...hindi } },
    { body: voteBody(3), headers: { origin: "http://127.0.0.1:1" } }, // another port: another host
    { body: "[]" },
    { body: "x".repeat(17 * 1024) }, // the app's 413: past the lane's reach
    { body: voteBody(4, "nota") }, // the third vote: the limit closes voting
    { body: voteBody(5) },
  ]);
  assert.deepEqual(statuses, [
    201,
    409,
    403,
    400,
    422,
    400,
    400,
    415,
    201,
    403,
    403,
    403,
    400,
    413,
    201,
    409,
  ]);
});

Deno.test("the express lane says when voting opens, as the app does", async () => {
  const statuses = await statusesOf({ opensAt: "admin" }, [
    { body: voteBody(1) },
    { body: voteBody(1), headers: hindi },
  ]);
  assert.deepEqual(statuses, [409, 409]);
});

Deno.test("the express lane answers generated bodies and headers as the app does", async () => {
  const headers = fc.record({
    "content-type": fc.constantFrom(...TYPES),
    "accept-language": fc.constantFrom("hi", "en-GB,hi;q=0.5", "ta-IN,hi;q=0.7", "*", "q=;;"),
    cookie: fc.constantFrom("lang=hi", "lang=en; lang=hi", "lang=xx", "=;=", "a=%ZZ; lang=hi"),
    origin: fc.constantFrom("https://evil.example", "null", "http://[::1", ""),
    "sec-fetch-site": fc.constantFrom("same-origin", "none", "cross-site", "same-site"),
  }, { requiredKeys: [] });
  await compare({}, (send) =>
    fc.assert(
      fc.asyncProperty(body, headers, async (body, headers) => {
        await send({ body, headers });
      }),
      { numRuns: 150 },
    ));
});

Deno.test("a vote cut off halfway through its body leaves the lane's server serving", async () => {
  const server = await election({}, true);
  try {
    const body = voteBody(1);
    const port = Number(new URL(server.url).port);
    for (let i = 0; i < 3; i++) {
      const conn = await Deno.connect({ hostname: "127.0.0.1", port });
      const head = `POST /api/votes HTTP/1.1\r\nHost: 127.0.0.1\r\n` +
        `Content-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n`;
      await conn.write(new TextEncoder().encode(head + body.slice(0, 20)));
      conn.close(); // the client goes away with most of its body unsent
    }
    const res = await fetch(`${server.url}/api/votes`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body,
    });
    assert.equal(res.status, 201);
    await res.body?.cancel();
    assert.equal(server.taken(), 1); // the cut-off votes were never answered
  } finally {
    await server.stop();
  }
});
