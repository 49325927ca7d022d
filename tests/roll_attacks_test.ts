/**
 * The adversary of issue 10 against a running server with a roll: attacks
 * that once worked, kept as tests.
 */
import assert from "node:assert/strict";
import { startServer } from "./_server.ts";
import { writeRoll } from "./_roll.ts";
import { voterId } from "./_voters.ts";
import { waitFor } from "./_wait.ts";

function vote(url: string, body: Record<string, unknown>, headers: Record<string, string> = {}) {
  return fetch(`${url}/api/votes`, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify(body),
  });
}

Deno.test({
  name:
    "roll without codes: guessing a neighbour's name through /api/votes is throttled as at the booth's first step",
  sanitizeResources: false,
  async fn() {
    const dir = await Deno.makeTempDir({ prefix: "matdaan-review-roll-" });
    await writeRoll(`${dir}/roll.csv`, 5);
    const server = await startServer(["--db", `${dir}/e.db`, "--roll", `${dir}/roll.csv`]);
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 8; i++) {
        const res = await vote(server.url, {
          voterId: voterId(2),
          name: `Guess ${"ABCDEFGH"[i]}`,
          party: "aap",
        });
        await res.body?.cancel();
        statuses.push(res.status);
      }
      assert.deepEqual(statuses, [403, 403, 403, 403, 403, 429, 429, 429]);
      // The right name from this address waits too: the guesser cannot vote in the neighbour's name.
      const right = await vote(server.url, { voterId: voterId(2), name: "Voter C", party: "aap" });
      assert.equal(right.status, 429);
      assert.ok(Number(right.headers.get("retry-after")) > 0);
      const body = await right.json();
      assert.match(body.error.message, /names that are not on the roll/i);
      // The same booth's form (no JavaScript), at its confirm step, is held too.
      const form = await fetch(`${server.url}/vote`, {
        method: "POST",
        body: new URLSearchParams({
          voterId: voterId(2),
          name: "Voter C",
          party: "aap",
          step: "confirm",
        }),
      });
      assert.equal(form.status, 429);
      assert.match(await form.text(), /href="#voterId">Too many names that are not on the roll/);
      // Other voters and the tally are untouched.
      const other = await vote(server.url, { voterId: voterId(3), name: "Voter D", party: "aap" });
      assert.equal(other.status, 201);
      await other.body?.cancel();
      const tally = await (await fetch(`${server.url}/api/tally`)).json();
      assert.equal(tally.total ?? tally.counts?.aap, 1);
    } finally {
      await server.stop();
      await Deno.remove(dir, { recursive: true });
    }
  },
});

/** Signs in to a running server; returns the session cookie. */
async function signInTo(url: string, password: string): Promise<string> {
  const res = await fetch(`${url}/admin/login`, {
    method: "POST",
    body: new URLSearchParams({ password }),
    redirect: "manual",
  });
  await res.body?.cancel();
  assert.equal(res.status, 303);
  return res.headers.get("set-cookie")!.split(";")[0];
}

/** Sends `head` and `body` on a raw socket, then ends the connection. */
async function sendAndHangUp(url: string, head: string, body: string) {
  const { hostname, port } = new URL(url);
  const conn = await Deno.connect({ hostname, port: Number(port) });
  const bytes = new TextEncoder().encode(head + body);
  for (let off = 0; off < bytes.length;) off += await conn.write(bytes.subarray(off));
  conn.close();
}

Deno.test({
  name:
    "a roll upload cut off mid-file (a dropped connection) leaves the server running and nothing staged",
  sanitizeResources: false,
  async fn() {
    const dir = await Deno.makeTempDir({ prefix: "matdaan-review-roll-" });
    const password = "review roll test password";
    const server = await startServer(["--db", `${dir}/e.db`], {
      env: { ADMIN_PASSWORD: password },
    });
    try {
      const cookie = await signInTo(server.url, password);
      const boundary = "matdaanreviewboundary";
      const part = `--${boundary}\r\nContent-Disposition: form-data; name="roll"; ` +
        `filename="roll.csv"\r\nContent-Type: text/csv\r\n\r\nvoter_id,name,age\r\n`;
      // A complete body whose form ends inside the file part: refused, nothing staged.
      const cut = await fetch(`${server.url}/admin/roll/upload`, {
        method: "POST",
        headers: { cookie, "content-type": `multipart/form-data; boundary=${boundary}` },
        body: part,
      });
      assert.equal(cut.status, 400);
      await cut.body?.cancel();
      assert.deepEqual(await Array.fromAsync(Deno.readDir(`${dir}/e.db.roll-import`)), []);
      // A body shorter than its Content-Length, then the connection ends (a dropped Wi-Fi).
      await sendAndHangUp(
        server.url,
        `POST /admin/roll/upload HTTP/1.1\r\nHost: x\r\nCookie: ${cookie}\r\n` +
          `Content-Type: multipart/form-data; boundary=${boundary}\r\n` +
          `Content-Length: ${part.length + 10_000}\r\n\r\n`,
        part,
      );
      // Its partial file goes too (the writer once waited forever for the rest).
      await waitFor(
        async () => (await Array.fromAsync(Deno.readDir(`${dir}/e.db.roll-import`))).length === 0,
        5_000,
        { what: "the staging folder emptied after the hang-up" },
      );
      const health = await fetch(`${server.url}/healthz`);
      assert.equal(health.status, 200);
      await health.body?.cancel();
      assert.doesNotMatch(server.output(), /Uncaught|terminated early/);
    } finally {
      await server.stop();
      await Deno.remove(dir, { recursive: true });
    }
  },
});

Deno.test({
  name:
    "roll without codes: rotating IPv6 addresses within one /64 (one home's prefix) does not reset the name throttle",
  sanitizeResources: false,
  async fn() {
    const dir = await Deno.makeTempDir({ prefix: "matdaan-review-roll-" });
    await writeRoll(`${dir}/roll.csv`, 5);
    const server = await startServer([
      "--db",
      `${dir}/e.db`,
      "--roll",
      `${dir}/roll.csv`,
      "--trust-proxy",
      "127.0.0.1",
    ]);
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 8; i++) {
        const res = await vote(
          server.url,
          { voterId: voterId(2), name: `Guess ${"ABCDEFGH"[i]}`, party: "aap" },
          { "x-forwarded-for": `2001:db8:7:9::${(i + 1).toString(16)}` },
        );
        await res.body?.cancel();
        statuses.push(res.status);
      }
      assert.deepEqual(statuses, [403, 403, 403, 403, 403, 429, 429, 429]);
      // Another household (another /64) is not held for it.
      const right = await vote(
        server.url,
        { voterId: voterId(2), name: "Voter C", party: "aap" },
        { "x-forwarded-for": "2001:db8:7:a::1" },
      );
      assert.equal(right.status, 201);
      await right.body?.cancel();
    } finally {
      await server.stop();
      await Deno.remove(dir, { recursive: true });
    }
  },
});
