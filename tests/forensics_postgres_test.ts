/**
 * The secret ballot against someone holding a PostgreSQL copy (a replica, a
 * dump): system columns (`xmin`, `ctid`) and `pg_dump`'s row order must pair
 * no voter with their party better than chance. Like `_forensics.ts`, the
 * adversary knows no schema: a ballot is any row holding a receipt code, a
 * register row any row holding a voter ID, a counter any row of a party id
 * and a number.
 */
import assert from "node:assert/strict";
import postgres from "postgres";
import { postgresAvailable, testDatabases } from "./_postgres.ts";
import { startServer } from "./_server.ts";
import { sendVote, voterId } from "./_voters.ts";

const PARTIES = ["bjp", "congress", "aap", "nota"];
const VOTES = 40;
const RECEIPT = /^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$/;
const VOTER_ID = /^[A-Z]{3}\d{7}$/;

type Truth = Map<string, { party: string; receipt: string }>;

interface Row {
  table: string;
  xmin: string;
  values: unknown[];
}

const isParty = (v: unknown) => typeof v === "string" && PARTIES.includes(v.trim());

/** Every row of every table, with its xmin, in physical (ctid) order. */
async function rows(url: string): Promise<Row[]> {
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  try {
    const tables = await sql`SELECT tablename FROM pg_tables WHERE schemaname = 'public'`;
    const out: Row[] = [];
    for (const { tablename } of tables) {
      const found = await sql.unsafe(
        `SELECT xmin::text AS xmin, to_jsonb(t) AS row FROM "${tablename}" t ORDER BY ctid`,
      );
      for (const r of found) {
        out.push({ table: tablename, xmin: r.xmin, values: Object.values(r.row) });
      }
    }
    return out;
  } finally {
    await sql.end();
  }
}

/** Rows as `pg_dump` writes them: table by table, in dump order. */
async function dumpRows(url: string): Promise<Row[]> {
  const out = await new Deno.Command("pg_dump", { args: ["--data-only", url] }).output();
  assert.equal(out.code, 0, new TextDecoder().decode(out.stderr));
  const rowsOut: Row[] = [];
  let table: string | null = null;
  for (const line of new TextDecoder().decode(out.stdout).split("\n")) {
    const copy = line.match(/^COPY public\.(\w+)/);
    if (copy) table = copy[1];
    else if (line === "\\.") table = null;
    else if (table) rowsOut.push({ table, xmin: "", values: line.split("\t") });
  }
  return rowsOut;
}

/** Pairs voters with ballots by equal xmin, and by their order. Returns the parties guessed right. */
function attack(all: Row[], truth: Truth) {
  const ballots = all.filter((r) => r.values.some((v) => typeof v === "string" && RECEIPT.test(v)))
    .map((r) => ({ xmin: r.xmin, party: (r.values.find(isParty) as string | undefined)?.trim() }));
  const voters = all.filter((r) => r.values.some((v) => typeof v === "string" && VOTER_ID.test(v)))
    .map((r) => ({ xmin: r.xmin, id: r.values.find((v) => VOTER_ID.test(String(v))) as string }));
  const counters = all.filter((r) =>
    !r.values.some((v) => RECEIPT.test(String(v)) || VOTER_ID.test(String(v))) &&
    r.values.some(isParty) && r.values.length <= 4
  ).map((r) => ({ xmin: r.xmin, party: (r.values.find(isParty) as string).trim() }));
  let byXmin = 0, byOrder = 0, claims = 0;
  voters.forEach((v, k) => {
    const same = [...ballots, ...counters].filter((b) => v.xmin && b.xmin === v.xmin && b.party);
    if (same.length > 0) {
      claims++;
      if (same.every((b) => b.party === truth.get(v.id)?.party)) byXmin++;
    }
    if (ballots[k]?.party === truth.get(v.id)?.party) byOrder++;
  });
  const readable = ballots.filter((b) => b.party).length;
  return { ballots: ballots.length, readable, voters: voters.length, byXmin, claims, byOrder };
}

/** The chance bound for pairing by order: 999 of 1,000 random pairings get at most this many right. */
function chance(truth: Truth): number {
  const parties = [...truth.values()].map((t) => t.party);
  const voters = [...truth.values()].map((t) => t.party);
  const scores = [];
  for (let round = 0; round < 1000; round++) {
    for (let i = parties.length - 1; i > 0; i--) {
      const j = Math.floor(Math.random() * (i + 1));
      [parties[i], parties[j]] = [parties[j], parties[i]];
    }
    scores.push(voters.filter((p, k) => p === parties[k]).length);
  }
  return scores.sort((a, b) => a - b)[998];
}

async function check(url: string, truth: Truth, state: string) {
  for (
    const [how, all] of [["system columns", await rows(url)], [
      "pg_dump",
      await dumpRows(url),
    ]] as const
  ) {
    const r = attack(all, truth);
    console.log(`${state}, ${how}: ${JSON.stringify(r)}`);
    assert.equal(r.voters, truth.size);
    assert.ok(r.byXmin <= 3, `${state}: xmin gave ${r.byXmin} voters' party`);
    assert.ok(
      r.byOrder <= chance(truth),
      `${state}, ${how}: row order gave ${r.byOrder} voters' party`,
    );
  }
}

Deno.test({
  name: "PostgreSQL rows, system columns and dumps link no voter to a party",
  ignore: !await postgresAvailable(),
}, async (t) => {
  const dbs = await testDatabases();
  try {
    const url = await dbs.create();
    let server = await startServer(["--database-url", url, "--limit", String(VOTES)]);
    const truth: Truth = new Map();
    for (let n = 0; n < VOTES - 1; n++) {
      const party = PARTIES[Math.floor(Math.random() * PARTIES.length)];
      const res = await sendVote(server.url, 7000 + n, party);
      assert.equal(res.status, 201);
      truth.set(voterId(7000 + n), { party, receipt: (await res.json()).receipt });
    }
    await t.step("open", () => check(url, truth, "open"));
    server.process.kill("SIGKILL");
    await server.stop();
    server = await startServer(["--database-url", url]);
    await t.step("killed and restarted", () => check(url, truth, "restarted"));
    const res = await sendVote(server.url, 7000 + VOTES, "nota");
    assert.equal(res.status, 201);
    truth.set(voterId(7000 + VOTES), { party: "nota", receipt: (await res.json()).receipt });
    await t.step("closed", () => check(url, truth, "closed"));
    await server.stop();
  } finally {
    await dbs.dispose();
  }
});
