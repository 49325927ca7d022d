/**
 * Crash safety: the server is killed with SIGKILL while votes are being
 * acknowledged, again and again; every acknowledged vote must survive.
 */
import assert from "node:assert/strict";
import { DatabaseSync } from "node:sqlite";
import { storedBallots } from "../lib/store/sqlite/ballot_box.ts";
import { startServer } from "./_server.ts";
import { ballot, sendVote } from "./_voters.ts";
import { waitFor } from "./_wait.ts";

const PARTIES = ["bjp", "congress", "aap", "nota"];
const CLIENTS = 32;
const ROUNDS = 5;

interface Ack {
  voter: number;
  party: string;
  receipt: string;
}

/** Casts distinct votes from many clients until the server dies; returns what was acknowledged. */
async function castUntilDown(url: string, next: { n: number }, acks: Ack[]): Promise<void> {
  await Promise.all(Array.from({ length: CLIENTS }, async () => {
    while (true) {
      const voter = next.n++;
      const party = PARTIES[voter % PARTIES.length];
      let res: Response;
      try {
        res = await sendVote(url, voter, party);
      } catch {
        return; // the server is gone; this vote was never acknowledged
      }
      if (res.status === 201) acks.push({ voter, party, receipt: (await res.json()).receipt });
      else await res.body?.cancel();
    }
  }));
}

Deno.test("SIGKILL while voting loses no acknowledged vote, over several rounds", async () => {
  const dir = await Deno.makeTempDir({ prefix: "matdaan-crash-" });
  const db = `${dir}/election.db`;
  const acks: Ack[] = [];
  const next = { n: 1 };
  try {
    for (let round = 0; round < ROUNDS; round++) {
      const server = await startServer(["--db", db]);
      const casting = castUntilDown(server.url, next, acks);
      // Kill at a random moment once this round has had votes acknowledged.
      const target = acks.length + 50 + Math.floor(Math.random() * 200);
      try {
        await waitFor(() => acks.length >= target, 30_000, {
          intervalMs: 2,
          what: `${target} acknowledged votes`,
        });
      } finally {
        server.process.kill("SIGKILL");
        await server.stop();
      }
      await casting;
    }

    const server = await startServer(["--db", db]);
    try {
      const tally = await (await fetch(`${server.url}/api/tally`)).json();
      const counted = Object.fromEntries(
        tally.parties.map((p: { id: string; votes: number }) => [p.id, p.votes]),
      );
      for (const party of PARTIES) {
        const acked = acks.filter((a) => a.party === party).length;
        assert.ok(
          counted[party] >= acked,
          `${party}: counted ${counted[party]}, acknowledged ${acked}`,
        );
      }
      // Every acknowledged voter is refused a second vote; sample to keep the test quick.
      for (const a of acks.filter((_, i) => i % 10 === 0)) {
        const res = await fetch(`${server.url}/api/votes`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify(ballot(a.voter, "bjp")),
        });
        assert.equal(res.status, 409);
        assert.equal((await res.json()).error.code, "already_voted");
      }
    } finally {
      assert.equal(await server.stop(), 0);
    }

    // The register, the ballots and the counters agree, and every receipt is there once.
    const file = new DatabaseSync(db, { readOnly: true });
    const one = (sql: string) => (file.prepare(sql).get() as { n: number }).n;
    const voters = one("SELECT count(*) AS n FROM turnout");
    const ballots = storedBallots(file);
    assert.equal(ballots.length, voters);
    assert.equal(one("SELECT sum(votes) AS n FROM counts"), voters);
    assert.ok(voters >= acks.length);
    const find = new Map(ballots.map((b) => [b.receipt, b.party]));
    for (const a of acks) assert.equal(find.get(a.receipt), a.party);
    const byParty = Map.groupBy(ballots, (b) => b.party);
    for (const [party, list] of byParty) {
      assert.equal(list.length, one(`SELECT votes AS n FROM counts WHERE party = '${party}'`));
    }
    file.close();
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
