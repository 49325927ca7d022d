/**
 * Published steps on two PostgreSQL instances under a flood of votes. A
 * batch that completes a step publishes it in its own transaction (FOR
 * UPDATE from the start), or a transaction after it does: either way, every
 * committed state seen while the votes pour in (one snapshot per sample)
 * has the published counts add up to exactly the voters registered with the
 * published steps, and a voter once shown with a step stays in it.
 */
import assert from "node:assert/strict";
import postgres from "postgres";
import { openPostgresStore } from "../lib/store/postgres/postgres_store.ts";
import type { ElectionStore } from "../lib/store/store.ts";
import { postgresAvailable, testDatabases } from "./_postgres.ts";
import { ballot } from "./_voters.ts";

const PARTIES = ["bjp", "congress", "aap", "nota"];
const CLIENTS = 12; // per instance, each voting one vote after another
const VOTES = 30; // per client

Deno.test({
  name: "PostgreSQL, two instances: each published step holds exactly its registered voters' votes",
  ignore: !await postgresAvailable(),
}, async () => {
  const dbs = await testDatabases();
  const url = await dbs.create();
  const stores: ElectionStore[] = [];
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  try {
    for (let i = 0; i < 2; i++) {
      stores.push(await openPostgresStore(url, { step: 7 }, { poolSize: 4 }));
    }
    let voting = true;
    const samples: { step: number; published: number; registered: number }[] = [];
    const sampler = (async () => {
      while (voting) {
        const [row] = await sql`SELECT e.step::int AS step, e.published,
          (SELECT count(*)::int FROM turnout t WHERE t.step <= e.step) AS registered
          FROM election e WHERE e.id = 1`;
        const counts = Object.values(JSON.parse(row.published) as Record<string, number>);
        samples.push({
          step: row.step,
          published: counts.reduce((a, b) => a + b, 0),
          registered: row.registered,
        });
      }
    })();
    let n = 0;
    await Promise.all(stores.flatMap((store) =>
      Array.from({ length: CLIENTS }, async () => {
        for (let v = 0; v < VOTES; v++) {
          const k = n++;
          await store.cast(ballot(k, PARTIES[Math.floor(Math.random() * PARTIES.length)]));
        }
      })
    ));
    voting = false;
    await sampler;
    const total = 2 * CLIENTS * VOTES;
    const [final] = await sql`SELECT published FROM election WHERE id = 1`;
    const last = {
      step: samples[samples.length - 1].step,
      published: Object.values(JSON.parse(final.published) as Record<string, number>)
        .reduce((a, b) => a + b, 0),
    };
    // A step holds at least 7 votes; a few wait for the next one at the end (more when two
    // instances' last batches commit together, neither seeing the other's votes).
    assert.ok(last.published >= total - 50, `${last.published} of ${total} votes published`);
    assert.ok(last.step >= 10, `only ${last.step} steps`);
    assert.ok(samples.length > 10, `only ${samples.length} samples`);
    for (const s of samples) {
      assert.equal(s.published, s.registered, `step ${s.step}: counts and register disagree`);
    }
    const byStep = await sql`SELECT step::int AS step, count(*)::int AS voters
      FROM turnout GROUP BY step ORDER BY step`;
    for (const row of byStep.slice(0, -1)) {
      assert.ok(row.voters >= 7, `step ${row.step} holds only ${row.voters} voters`);
    }
  } finally {
    await sql.end();
    for (const store of stores) await store.shutdown();
    await dbs.dispose();
  }
});
