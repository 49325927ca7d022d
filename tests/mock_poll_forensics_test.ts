/**
 * A cleared mock poll leaves nothing of its voters in the files: someone who
 * copies the database afterwards finds no voter ID, name or receipt of it.
 * SQLite: the main file and its write-ahead log, byte for byte. PostgreSQL:
 * every file of the election's database (tables, indexes, their dead rows),
 * after a checkpoint; the server's own write-ahead log (`pg_wal`) is not
 * the election's to empty (README, "Election day").
 */
import assert from "node:assert/strict";
import postgres from "postgres";
import { openSqliteStore } from "../lib/store/sqlite/sqlite_store.ts";
import { openPostgresStore } from "../lib/store/postgres/postgres_store.ts";
import type { ElectionStore } from "../lib/store/store.ts";
import type { Ballot } from "../lib/election/types.ts";
import { voterId } from "./_voters.ts";
import { readOrEmpty } from "./_forensics.ts";
import { postgresAvailable, testDatabases } from "./_postgres.ts";
import { MOCK_VOTES } from "./election_day_contract.ts";
import { waitFor } from "./_wait.ts";

const PARTIES = ["bjp", "congress", "aap", "nota"];

/** A mock voter with a name found nowhere else: `Mockvoter` and letters from n. */
function mockBallot(n: number): Ballot {
  const letters = [...String(n).padStart(3, "0")].map((d) => "QWXZJKVBPY"[Number(d)]).join("");
  return {
    name: `Mockvoter ${letters}`,
    age: 40,
    address: `Mock Lane ${letters}`,
    voterId: voterId(900_000 + n),
    party: PARTIES[n % 4],
  };
}

/** Runs a mock poll; returns the strings that must not survive its clearing. */
async function mockPoll(store: ElectionStore): Promise<string[]> {
  await store.startMockPoll();
  const secrets: string[] = [];
  for (let n = 0; n < MOCK_VOTES; n++) {
    const b = mockBallot(n);
    const { receipt } = await store.cast(b);
    secrets.push(b.voterId, b.name, receipt);
  }
  return secrets;
}

function found(haystack: Uint8Array, secrets: string[]): string[] {
  const text = new TextDecoder("latin1").decode(haystack);
  return secrets.filter((s) => text.includes(s));
}

Deno.test("a cleared mock poll leaves no voter ID, name or receipt in the SQLite files", async () => {
  const dir = await Deno.makeTempDir({ prefix: "matdaan-mock-" });
  const path = `${dir}/e.db`;
  // The idle store empties its log at most once an hour here: the clearing must do it itself.
  const store = await openSqliteStore(path, { opensAt: "admin" }, { forgetEveryMs: 3_600_000 });
  try {
    const secrets = await mockPoll(store);
    const files = async () => {
      const [db, wal] = await Promise.all([readOrEmpty(path), readOrEmpty(`${path}-wal`)]);
      return new Uint8Array([...db, ...wal]);
    };
    // The test can fail: before the clearing the files hold every one of them.
    assert.equal(found(await files(), secrets).length, secrets.length);
    assert.equal(Object.values(await store.clearMockPoll()).reduce((a, b) => a + b), MOCK_VOTES);
    assert.deepEqual(found(await files(), secrets), []);
    await store.open();
    assert.equal(store.snapshot().status, "open");
  } finally {
    await store.shutdown();
    await Deno.remove(dir, { recursive: true });
  }
});

/**
 * The secrets found in the files of a database's folder, after a checkpoint
 * wrote its pages out, with the relation each file belongs to.
 */
async function foundInDatabase(sql: postgres.Sql, secrets: string[]) {
  await sql`CHECKPOINT`;
  const [{ dir }] = await sql`SELECT current_setting('data_directory') || '/base/' ||
    (SELECT oid FROM pg_database WHERE datname = current_database()) AS dir`;
  const all = new Set<string>();
  const where: string[] = [];
  for await (const entry of Deno.readDir(dir)) {
    if (!entry.isFile) continue;
    const here = found(await readOrEmpty(`${dir}/${entry.name}`), secrets);
    if (here.length === 0) continue;
    here.forEach((s) => all.add(s));
    const node = Number(entry.name.split(/[._]/)[0]);
    const [rel] = await sql`SELECT relname FROM pg_class WHERE relfilenode = ${node}`;
    where.push(`${entry.name} (${rel?.relname ?? "no relation"}): ${here.length}`);
  }
  return { found: [...all], where };
}

Deno.test({
  name:
    "a cleared mock poll leaves no voter ID, name or receipt in the PostgreSQL database's files",
  ignore: !await postgresAvailable(),
  fn: async () => {
    const dbs = await testDatabases();
    const url = await dbs.create();
    const sql = postgres(url, { max: 1, onnotice: () => {} });
    const store = await openPostgresStore(url, { opensAt: "admin" }, { poolSize: 2 });
    try {
      const secrets = await mockPoll(store);
      // The receipts are in the ballots' table, the names and IDs in the register's.
      assert.equal((await foundInDatabase(sql, secrets)).found.length, secrets.length);
      await store.clearMockPoll();
      const after = await foundInDatabase(sql, secrets);
      assert.deepEqual(after.found, [], after.where.join("; "));
    } finally {
      await store.shutdown();
      await sql.end();
      await dbs.dispose();
    }
  },
});

Deno.test({
  name:
    "a PostgreSQL reader holding a snapshot from before the clearing does not keep the mock voters in the files",
  ignore: !await postgresAvailable(),
  fn: async () => {
    const dbs = await testDatabases();
    const url = await dbs.create();
    const sql = postgres(url, { max: 2, onnotice: () => {} });
    const store = await openPostgresStore(url, { opensAt: "admin" }, { poolSize: 2 });
    const reader = await sql.reserve();
    try {
      const secrets = await mockPoll(store);
      // A long report (or an autovacuum's ANALYZE) took its snapshot before the clearing,
      // reading another table (a lock on the rewritten ones would make VACUUM FULL wait anyway).
      await reader`BEGIN ISOLATION LEVEL REPEATABLE READ`;
      await reader`SELECT count(*) FROM schema_migrations`;
      const clearing = store.clearMockPoll();
      // The deletion commits while the old snapshot still sees the rows...
      await waitFor(
        async () => (await sql`SELECT count(*)::int AS n FROM turnout`)[0].n === 0,
        10_000,
      );
      // ...which VACUUM FULL would copy into the rewritten tables, were it not to wait.
      await reader`COMMIT`;
      await clearing;
      const after = await foundInDatabase(sql, secrets);
      assert.deepEqual(after.found, [], after.where.join("; "));
    } finally {
      reader.release();
      await store.shutdown();
      await sql.end();
      await dbs.dispose();
    }
  },
});
