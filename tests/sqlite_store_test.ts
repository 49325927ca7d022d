import assert from "node:assert/strict";
import { DatabaseSync } from "node:sqlite";
import { openSqliteStore } from "../lib/store/sqlite/sqlite_store.ts";
import { ballot } from "./_voters.ts";
import { storeContract } from "./store_contract.ts";
import { importTestRoll, writeRoll } from "./_roll.ts";
import { importSqliteRoll, inspectSqliteElection } from "../lib/store/sqlite/sqlite_roll.ts";
import { readCodeKey } from "../lib/election/code_key.ts";

storeContract("SQLite", async () => {
  const dir = await Deno.makeTempDir({ prefix: "matdaan-sqlite-" });
  let n = 0;
  return {
    fresh: (request) => openSqliteStore(`${dir}/e${++n}.db`, request),
    freshWithRoll: async (request, roll) => {
      const path = `${dir}/e${++n}.db`;
      await writeRoll(`${path}.csv`, roll.count, roll);
      const target = {
        inspect: () => Promise.resolve(inspectSqliteElection(path)),
        write: (fill: Parameters<typeof importSqliteRoll>[1]) => importSqliteRoll(path, fill),
      };
      const keyPath = `${path}.key`;
      const { codes } = await importTestRoll(target, {
        path: `${path}.csv`,
        codes: roll.codes,
        keyPath,
      });
      const key = roll.codes ? await readCodeKey(keyPath) : undefined;
      return { store: await openSqliteStore(path, request), codes, key };
    },
    reopen: (request) => openSqliteStore(`${dir}/e${n}.db`, request),
    dispose: () => Deno.remove(dir, { recursive: true }),
  };
});

Deno.test("SQLite ballots hold only a receipt and a party, with no rowid", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const store = await openSqliteStore(`${dir}/e.db`, {});
    for (let i = 0; i < 20; i++) await store.cast(ballot(i, i % 2 ? "aap" : "bjp"));
    await store.shutdown();
    const db = new DatabaseSync(`${dir}/e.db`);
    const columns = (db.prepare("PRAGMA table_info(ballots)").all() as { name: string }[]).map((
      c,
    ) => c.name);
    assert.deepEqual(columns, ["receipt", "party"]);
    assert.throws(() => db.prepare("SELECT rowid FROM ballots").all(), /no such column/);
    const sql =
      (db.prepare("SELECT sql FROM sqlite_schema WHERE name = 'ballots'").get() as { sql: string })
        .sql;
    assert.match(sql, /WITHOUT ROWID/);
    // Stored in receipt order, which is random, not voting order.
    const parties = (db.prepare("SELECT party FROM ballots").all() as { party: string }[]).map((
      r,
    ) => r.party);
    assert.equal(parties.length, 20);
    db.close();
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("openSqliteStore() refuses a file that is not a database", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await Deno.writeTextFile(
      `${dir}/e.db`,
      "this is not a database, just text that is long enough to read",
    );
    await assert.rejects(openSqliteStore(`${dir}/e.db`, {}), /Cannot open the database/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

/** Waits until the write-ahead log is empty, or gives up after a few seconds. */
async function walEmptied(path: string): Promise<boolean> {
  for (let i = 0; i < 100; i++) {
    if (Deno.statSync(`${path}-wal`).size === 0) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  return false;
}

Deno.test("the write-ahead log keeps no record of who voted with whom once voting pauses or closes", async () => {
  const dir = await Deno.makeTempDir();
  const path = `${dir}/e.db`;
  try {
    const store = await openSqliteStore(path, { limit: 3 });
    await store.cast(ballot(1, "aap"));
    // Right after the commit the log holds the vote's pages...
    assert.ok(Deno.statSync(`${path}-wal`).size > 0);
    // ...and once voting pauses they are moved into the database and the log emptied.
    assert.ok(await walEmptied(path), "the log was emptied after a quiet second");
    await store.cast(ballot(2, "bjp"));
    await store.cast(ballot(3, "nota"));
    assert.equal(store.snapshot().status, "closed");
    assert.ok(await walEmptied(path), "the log was emptied when voting closed");
    assert.equal(await store.hasReceipt("0000-0000-0000"), false);
    assert.equal((await store.turnout()).length, 3);
    await store.shutdown();
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
