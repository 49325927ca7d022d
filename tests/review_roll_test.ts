/**
 * The adversary of issue 10 against a running server with a roll: attacks
 * that once worked, kept as tests.
 */
import assert from "node:assert/strict";
import { startServer } from "./_server.ts";
import { writeRoll } from "./_roll.ts";
import { voterId } from "./_voters.ts";

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
