import assert from "node:assert/strict";
import { DatabaseSync } from "node:sqlite";
import { existsSync } from "node:fs";
import { openSqliteStore } from "../lib/store/sqlite/sqlite_store.ts";
import { SqliteLedger } from "../lib/store/sqlite/sqlite_ledger.ts";
import type { ElectionStore } from "../lib/store/store.ts";
import { BUCKET_SLOTS, storedBallots } from "../lib/store/sqlite/ballot_box.ts";
import { receiptSlot } from "../lib/election/receipt.ts";
import { ManualTimers } from "../lib/timers.ts";
import { waitFor } from "./_wait.ts";
import { ballot } from "./_voters.ts";
import { storeContract } from "./store_contract.ts";
import { importTestRoll, writeRoll } from "./_roll.ts";
import { sqliteRollTarget } from "../lib/store/sqlite/sqlite_roll.ts";
import { readCodeKey } from "../lib/election/code_key.ts";

storeContract("SQLite", async () => {
  const dir = await Deno.makeTempDir({ prefix: "matdaan-sqlite-" });
  let n = 0;
  return {
    fresh: (request) => openSqliteStore(`${dir}/e${++n}.db`, request),
    freshWithRoll: async (request, roll) => {
      const path = `${dir}/e${++n}.db`;
      await writeRoll(`${path}.csv`, roll.count, roll);
      const target = sqliteRollTarget(path);
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

Deno.test("SQLite ballots hold only a receipt and a party, in buckets of one size", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const store = await openSqliteStore(`${dir}/e.db`, {});
    const receipts = [];
    for (let i = 0; i < 20; i++) receipts.push(await store.cast(ballot(i, i % 2 ? "aap" : "bjp")));
    for (const r of receipts) assert.equal(await store.hasReceipt(r.receipt), true);
    await store.shutdown();
    const db = new DatabaseSync(`${dir}/e.db`);
    const columns = (db.prepare("PRAGMA table_info(ballot_box)").all() as { name: string }[])
      .map((c) => c.name);
    assert.deepEqual(columns, ["bucket", "slots"]);
    const rows = storedBallots(db);
    assert.equal(rows.length, 20);
    assert.equal(rows.filter((r) => r.party === "aap").length, 10);
    assert.deepEqual(rows.map((r) => r.receipt).sort(), receipts.map((r) => r.receipt).sort());
    // Every bucket, empty or not, is one size, so a ballot overwrites its bucket in place.
    const sizes = db.prepare("SELECT DISTINCT length(slots) AS n FROM ballot_box").all();
    assert.deepEqual(sizes.map((s) => s.n), [BUCKET_SLOTS * 5]);
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

/** Waits until the write-ahead log is empty; fails after five seconds, saying `what`. */
async function walEmptied(path: string, what: string): Promise<void> {
  const empty = () => !existsSync(`${path}-wal`) || Deno.statSync(`${path}-wal`).size === 0;
  await waitFor(empty, 5000, { what });
}

Deno.test("the SQLite files keep no log once no vote waits, and only their owner can read them", async () => {
  const dir = await Deno.makeTempDir();
  const path = `${dir}/e.db`;
  try {
    const store = await openSqliteStore(path, { limit: 3 });
    await store.cast(ballot(1, "aap"));
    // With no other vote queued, the log's history is emptied right after the commit.
    await walEmptied(path, "the log to be emptied once the queue ran empty");
    assert.equal(existsSync(`${path}-journal`), false);
    for (const suffix of ["", "-wal", "-shm"]) {
      if (existsSync(path + suffix)) {
        assert.equal(Deno.statSync(path + suffix).mode! & 0o777, 0o600);
      }
    }
    await store.cast(ballot(2, "bjp"));
    await store.cast(ballot(3, "nota"));
    assert.equal(store.snapshot().status, "closed");
    await walEmptied(path, "the log to be emptied when voting closed");
    assert.equal(await store.hasReceipt("0000-0000-0000"), false);
    assert.equal((await store.turnout()).length, 3);
    await store.shutdown();
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("SqliteLedger seals at start an election closed but not sealed (killed before its seal)", async () => {
  const dir = await Deno.makeTempDir();
  const path = `${dir}/e.db`;
  try {
    const ledger = new SqliteLedger(path, { limit: 2 });
    const ops = [1, 2].map((n) => ({ kind: "cast" as const, ballot: ballot(n, "aap") }));
    assert.equal(ledger.apply(ops).state.status, "closed");
    ledger.close(); // as if killed before the store asked for the seal
    const peek = new DatabaseSync(path);
    assert.equal(peek.prepare("SELECT sealed FROM election").get()!.sealed, 0);
    assert.equal(storedBallots(peek).length, 2);
    peek.close();

    new SqliteLedger(path, {}).close();
    const after = new DatabaseSync(path);
    assert.equal(after.prepare("SELECT sealed FROM election").get()!.sealed, 1);
    // The cast ballots are settled in their slots, and they still count.
    assert.equal(after.prepare("SELECT count(*) AS n FROM ballot_pending").get()!.n, 0);
    assert.deepEqual(storedBallots(after).map((b) => b.party), ["aap", "aap"]);
    after.close();
    assert.equal(Deno.statSync(path).mode! & 0o777, 0o600);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

/**
 * A store whose log may be emptied once a second on a hand-moved clock, its
 * first vote cast and its log emptied (the queue ran empty); `fn` goes on.
 */
async function onManualClock(
  fn: (t: { store: ElectionStore; path: string; timers: ManualTimers }) => Promise<void>,
) {
  const dir = await Deno.makeTempDir();
  const path = `${dir}/e.db`;
  const timers = new ManualTimers();
  try {
    const store = await openSqliteStore(path, {}, { forgetEveryMs: 1000, timers });
    await store.cast(ballot(1, "aap"));
    await walEmptied(path, "the log to be emptied once the queue ran empty");
    await fn({ store, path, timers });
    await store.shutdown();
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("under a flood the write-ahead log is emptied at most every forgetEveryMs, then once idle", async () => {
  await onManualClock(async ({ store, path, timers }) => {
    await store.cast(ballot(2, "bjp"));
    await store.cast(ballot(3, "bjp"));
    // Within the second, the two commits stay in the log...
    await new Promise((r) => setTimeout(r, 100));
    assert.ok(Deno.statSync(`${path}-wal`).size > 0, "the log was emptied too soon");
    // ...and once the second has passed, it is emptied.
    timers.advance(1000);
    await walEmptied(path, "the log to be emptied once the second had passed");
  });
});

Deno.test("a database of schema version 3 (before the election day) is upgraded and stays open", async () => {
  const dir = await Deno.makeTempDir();
  const path = `${dir}/e.db`;
  const first = await openSqliteStore(path, { limit: 5, step: 1 });
  const { receipt } = await first.cast(ballot(1));
  await first.shutdown();
  // Back to version 3: the election row without the election day's columns, a box of slot rows.
  const db = new DatabaseSync(path);
  for (const column of ["phase", "day_revision", "opens_at", "opens_by_admin", "closes_at"]) {
    db.exec(`ALTER TABLE election DROP COLUMN ${column}`);
  }
  toSlotRows(db, { pending: false });
  db.exec("DROP TABLE ballot_pending; PRAGMA user_version = 3");
  db.close();
  const again = await openSqliteStore(path, { limit: 5 });
  try {
    assert.equal(await again.hasReceipt(receipt), true);
    assert.equal(again.snapshot().status, "open");
    assert.deepEqual(again.snapshot().day, {
      opensAt: null,
      byAdmin: false,
      closesAt: null,
      mockPoll: false,
    });
    await again.cast(ballot(2));
    assert.equal(again.snapshot().total, 2);
  } finally {
    await again.shutdown();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a database of schema version 5 (a box of slot rows, ballots pending) is upgraded to buckets", async () => {
  const dir = await Deno.makeTempDir();
  const path = `${dir}/e.db`;
  try {
    const ledger = new SqliteLedger(path, {});
    const receipts = ledger.apply(
      [1, 2, 3].map((n) => ({ kind: "cast" as const, ballot: ballot(n, n === 1 ? "aap" : "bjp") })),
    ).results.map((r) => (r as { receipt: string }).receipt);
    ledger.close();
    const db = new DatabaseSync(path);
    toSlotRows(db, { pending: true });
    db.exec("PRAGMA user_version = 5");
    db.close();
    const again = new SqliteLedger(path, {});
    for (const r of receipts) assert.equal(again.hasReceipt(r), true);
    assert.deepEqual(again.recount().counts, { bjp: 2, congress: 0, aap: 1, nota: 0 });
    again.close();
    const after = new DatabaseSync(path, { readOnly: true });
    assert.equal(after.prepare("SELECT count(*) AS n FROM ballot_pending").get()!.n, 0);
    assert.equal(
      after.prepare("SELECT count(*) AS n FROM sqlite_schema WHERE name = 'ballot_slot_rows'")
        .get()!.n,
      0,
    );
    assert.deepEqual(storedBallots(after).map((b) => b.receipt).sort(), receipts.sort());
    after.close();
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

/**
 * Turns a file's box back into the layout of schemas 3 to 5: one row per
 * slot (receipt, party padded to the longest id) and a `ballots` view; with
 * `pending`, the first ballot is left in the pending list instead (padded,
 * as schema 5 kept it).
 */
function toSlotRows(db: DatabaseSync, { pending }: { pending: boolean }) {
  const ballots = storedBallots(db);
  const width = 8; // "congress"
  db.exec(`DROP TABLE ballot_box; DROP TABLE box_parties; DELETE FROM ballot_pending;
    CREATE TABLE ballot_box (slot INTEGER PRIMARY KEY, receipt TEXT NOT NULL, party TEXT NOT NULL);`);
  const insert = db.prepare("INSERT INTO ballot_box (slot, receipt, party) VALUES (?, ?, ?)");
  const slots = Math.max(1024, ...ballots.map((b) => receiptSlot(b.receipt)! + 1));
  for (let slot = 0; slot < slots; slot++) insert.run(slot, " ".repeat(14), " ".repeat(width));
  const write = db.prepare("UPDATE ballot_box SET receipt = ?, party = ? WHERE slot = ?");
  const pend = db.prepare("INSERT INTO ballot_pending (slot, receipt, party) VALUES (?, ?, ?)");
  ballots.forEach((b, i) => {
    const slot = receiptSlot(b.receipt)!;
    if (pending && i === 0) pend.run(slot, b.receipt, b.party.padEnd(width));
    else write.run(b.receipt, b.party.padEnd(width), slot);
  });
  db.exec(`CREATE VIEW ballots AS SELECT receipt, rtrim(party) AS party FROM ballot_box
    WHERE receipt <> '${" ".repeat(14)}'`);
}

Deno.test("pending ballots leave no trace once settled, and a reopened file settles what was left", async () => {
  const dir = await Deno.makeTempDir();
  const path = `${dir}/e.db`;
  const count = (file: DatabaseSync, sql: string) => file.prepare(sql).get()!.n as number;
  try {
    const ledger = new SqliteLedger(path, {});
    const cast = (from: number) =>
      ledger.apply(
        [0, 1, 2].map((i) => ({ kind: "cast" as const, ballot: ballot(from + i, "aap") })),
      )
        .results.map((r) => (r as { receipt: string }).receipt);
    const first = cast(0);
    // Durable at once, in order of voting, until the log is emptied.
    const peek = new DatabaseSync(path);
    assert.equal(count(peek, "SELECT count(*) AS n FROM ballot_pending"), 3);
    ledger.forgetHistory();
    assert.equal(count(peek, "SELECT count(*) AS n FROM ballot_pending"), 0);
    assert.equal(storedBallots(peek).length, 3);
    peek.close();
    // No receipt is left in the file as text: its slot keeps only its tag, and the pending row is zeroed.
    const bytes = new TextDecoder("latin1").decode(await Deno.readFile(path));
    for (const receipt of first) assert.equal(bytes.split(receipt).length - 1, 0, receipt);

    // Killed with ballots pending: the next open settles them before serving.
    const left = cast(3);
    await Deno.copyFile(`${path}-wal`, `${dir}/left.db-wal`);
    await Deno.copyFile(path, `${dir}/left.db`);
    ledger.close();
    const reopened = new SqliteLedger(`${dir}/left.db`, {});
    for (const receipt of [...first, ...left]) assert.equal(reopened.hasReceipt(receipt), true);
    assert.equal(reopened.recount().counts.aap, 6);
    reopened.close();
    const after = new DatabaseSync(`${dir}/left.db`);
    assert.equal(count(after, "SELECT count(*) AS n FROM ballot_pending"), 0);
    assert.equal(storedBallots(after).filter((b) => b.party === "aap").length, 6);
    after.close();
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

/** How many ballots wait in the pending list, in order of voting, for the next emptying of the log. */
function pendingBallots(path: string): number {
  const file = new DatabaseSync(path, { readOnly: true });
  try {
    return file.prepare("SELECT count(*) AS n FROM ballot_pending").get()!.n as number;
  } finally {
    file.close();
  }
}

Deno.test("a flood that never lets the queue run empty still has its log emptied every forgetEveryMs", async () => {
  const dir = await Deno.makeTempDir();
  const path = `${dir}/e.db`;
  const timers = new ManualTimers();
  const store = await openSqliteStore(path, {}, { forgetEveryMs: 1000, timers });
  let next = 0;
  let flooding = true;
  // More voters at once than three batches take (512 each): some always wait in the queue.
  const voter = async () => {
    while (flooding) await store.cast(ballot(next++, "bjp"));
  };
  const voters = Array.from({ length: 2000 }, voter);
  try {
    // The clock stands still: after the first emptying, ballots pile up pending.
    await waitFor(() => pendingBallots(path) > 5000, 30_000, { what: "the flood to commit" });
    const before = pendingBallots(path);
    timers.advance(1000);
    await waitFor(() => pendingBallots(path) < before, 10_000, {
      what: () => `the log to be emptied during the flood (${next} votes so far)`,
    });
  } finally {
    flooding = false;
    await Promise.all(voters);
    await store.shutdown();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a log another reader holds open is emptied as soon as it lets go, and votes never wait for it", async () => {
  await onManualClock(async ({ store, path, timers }) => {
    // Another process reads the file (a backup, a recount) and holds its snapshot.
    const reader = new DatabaseSync(path, { readOnly: true });
    reader.exec("BEGIN");
    reader.prepare("SELECT count(*) FROM turnout").get();
    const started = performance.now();
    await store.cast(ballot(2, "bjp"));
    timers.advance(1000); // the emptying is due while the reader holds the log
    await store.cast(ballot(3, "bjp"));
    // The emptying could not run past the reader: the votes went on, the log kept them.
    assert.ok(performance.now() - started < 2000, "votes waited for the reader");
    assert.ok(Deno.statSync(`${path}-wal`).size > 0);
    reader.exec("COMMIT");
    reader.close();
    // It is tried again a second later, and empties the log.
    timers.advance(1000);
    await walEmptied(path, "the log to be emptied once the reader let go");
  });
});
