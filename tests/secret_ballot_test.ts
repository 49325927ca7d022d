/**
 * Issue 11's adversary against the running app: 40 voters vote one by one at
 * random among four parties, the adversary observing between every two votes
 * (its best case), then trying to link voters to parties with certainty.
 */
import assert from "node:assert/strict";
import { openSqliteStore } from "../lib/store/sqlite/sqlite_store.ts";
import type { ElectionRequest, ElectionStore } from "../lib/store/store.ts";
import { attribute, type LiveInstance, Recorder, serveInstance } from "./_adversary.ts";
import { sendVote, voterId } from "./_voters.ts";
import { openPostgresStore } from "../lib/store/postgres/postgres_store.ts";
import { postgresAvailable, testDatabases } from "./_postgres.ts";

const VOTERS = 40;
const PARTIES = ["bjp", "congress", "aap", "nota"];

/** The voters a live-mode adversary may link: those of a step whose votes all went to one party. */
function linkable(votes: { voter: string; party: string }[], step: number): Set<string> {
  const allowed = new Set<string>();
  for (let i = 0; i < votes.length; i += step) {
    const chunk = votes.slice(i, i + step);
    if (chunk.every((v) => v.party === chunk[0].party)) chunk.forEach((v) => allowed.add(v.voter));
  }
  return allowed;
}

/** Runs the election against `instances` and returns what the adversary linked, and the truth. */
async function election(instances: LiveInstance[]) {
  const recorder = new Recorder(instances);
  await recorder.start();
  const votes: { voter: string; party: string }[] = [];
  try {
    await recorder.observe();
    for (let n = 1; n <= VOTERS; n++) {
      const party = PARTIES[Math.floor(Math.random() * PARTIES.length)];
      const instance = instances[Math.floor(Math.random() * instances.length)];
      const res = await sendVote(instance.url, 7000 + n, party);
      assert.equal(res.status, 201, await res.text());
      votes.push({ voter: voterId(7000 + n), party });
      await recorder.observe();
    }
    await recorder.observe();
  } finally {
    await recorder.stop();
  }
  const truth = new Map(votes.map((v) => [v.voter, v.party]));
  const links = attribute(recorder);
  const wrong = [...links].filter(([voter, party]) => truth.get(voter) !== party);
  assert.deepEqual(wrong, [], "the adversary's links are certain, never wrong");
  return { links, votes, recorder };
}

/** Runs the adversary over SQLite in one mode; `request` is the election asked for. */
async function onSqlite(request: ElectionRequest) {
  const dir = await Deno.makeTempDir({ prefix: "matdaan-adversary-" });
  let store: ElectionStore | undefined;
  let instance: LiveInstance | undefined;
  try {
    store = await openSqliteStore(`${dir}/election.db`, request);
    instance = await serveInstance(store);
    return await election([instance]);
  } finally {
    await instance?.stop();
    await store?.shutdown();
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("secret ballot (SQLite, live results): the adversary links no voter outside a unanimous step", async () => {
  const { links, votes, recorder } = await onSqlite({ limit: VOTERS });
  assert.ok(recorder.snapshots.length > VOTERS, "the adversary observed between votes");
  assert.equal(recorder.voters.size, VOTERS, "the adversary saw every voter in the register");
  const allowed = linkable(votes, 10);
  const leaked = [...links.keys()].filter((v) => !allowed.has(v));
  assert.deepEqual(leaked, [], `linked ${leaked.length} of ${VOTERS} voters to their party`);
});

for (const results of ["turnout", "sealed"] as const) {
  Deno.test(`secret ballot (SQLite, ${results} results): the adversary links no voter at all`, async () => {
    const { links, recorder } = await onSqlite({ limit: VOTERS, results });
    assert.equal(recorder.voters.size, VOTERS, "the adversary saw every voter in the register");
    assert.equal(links.size, 0, `linked ${links.size} of ${VOTERS} voters to their party`);
  });
}

Deno.test({
  name:
    "secret ballot (PostgreSQL, two instances): the adversary links no voter outside a unanimous step",
  ignore: !await postgresAvailable(),
}, async (t) => {
  const dbs = await testDatabases();
  try {
    for (const results of ["live", "turnout", "sealed"] as const) {
      await t.step(`${results} results`, async () => {
        const url = await dbs.create();
        const stores: ElectionStore[] = [];
        const instances: LiveInstance[] = [];
        try {
          for (let i = 0; i < 2; i++) {
            stores.push(await openPostgresStore(url, { limit: VOTERS, results }, { poolSize: 3 }));
            instances.push(await serveInstance(stores[i]));
          }
          const { links, votes } = await election(instances);
          const allowed = results === "live" ? linkable(votes, 10) : new Set<string>();
          const leaked = [...links.keys()].filter((v) => !allowed.has(v));
          assert.deepEqual(
            leaked,
            [],
            `linked ${leaked.length} of ${VOTERS} voters to their party`,
          );
        } finally {
          for (const instance of instances) await instance.stop();
          for (const store of stores) await store.shutdown();
        }
      });
    }
  } finally {
    await dbs.dispose();
  }
});

Deno.test("secret ballot: the adversary is not blind: with steps of one vote it links every voter", async () => {
  const { links } = await onSqlite({ limit: VOTERS, step: 1 });
  assert.equal(links.size, VOTERS);
});
