import assert from "node:assert/strict";
import { DatabaseSync } from "node:sqlite";
import { openSqliteStore } from "../lib/store/sqlite/sqlite_store.ts";
import { ManualTimers } from "../lib/timers.ts";
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
    const cast: string[] = [];
    for (let i = 0; i < 20; i++) {
      cast.push((await store.cast(ballot(i, i % 2 ? "aap" : "bjp"))).receipt);
    }
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
    const stored = (db.prepare("SELECT receipt FROM ballots").all() as { receipt: string }[])
      .map((r) => r.receipt);
    const byReceipt = [...cast].sort();
    assert.deepEqual(stored, byReceipt, "the file's order is the receipts' order");
    assert.notDeepEqual(cast, byReceipt, "20 random receipts came out sorted: voting order leaks");
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

Deno.test("the write-ahead log keeps no record of who voted with whom once voting pauses or closes", async () => {
  const dir = await Deno.makeTempDir();
  const path = `${dir}/e.db`;
  const walSize = () => Deno.statSync(`${path}-wal`).size;
  const timers = new ManualTimers();
  try {
    const store = await openSqliteStore(path, { limit: 3 }, { quietMs: 1000, timers });
    await store.cast(ballot(1, "aap"));
    // Right after the commit the log holds the vote's pages...
    assert.ok(walSize() > 0);
    timers.advance(999);
    // (The worker answers in order: this read comes back after anything the store sent before.)
    assert.equal(await store.hasReceipt("0000-0000-0000"), false);
    assert.ok(walSize() > 0, "not before voting has paused for the whole quiet period");
    // ...and once voting pauses they are moved into the database and the log emptied.
    timers.advance(1);
    await store.hasReceipt("0000-0000-0000");
    assert.equal(walSize(), 0, "the log was emptied after a quiet second");
    await store.cast(ballot(2, "bjp"));
    await store.cast(ballot(3, "nota"));
    assert.equal(store.snapshot().status, "closed");
    await store.hasReceipt("0000-0000-0000");
    assert.equal(walSize(), 0, "the log was emptied when voting closed, with no pause");
    assert.equal(timers.pending, 0);
    assert.equal((await store.turnout()).length, 3);
    await store.shutdown();
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
