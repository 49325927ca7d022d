/** Live updates between PostgreSQL stores, and their recovery after a lost connection. */
import assert from "node:assert/strict";
import postgres from "postgres";
import { openPostgresStore } from "../lib/store/postgres/postgres_store.ts";
import type { ElectionStore } from "../lib/store/store.ts";
import { postgresAvailable, testDatabases } from "./_postgres.ts";
import { ballot } from "./_voters.ts";
import { waitFor } from "./_wait.ts";

/** Waits, at most 10 s, until a store's tally counts `total` votes. */
function waitForTotal(store: ElectionStore, total: number): Promise<void> {
  return waitFor(() => store.snapshot().total! >= total, 10_000, {
    what: () => `a total of ${total}; the store has ${store.snapshot().total}`,
  });
}

Deno.test({
  name: "PostgreSQL store follows another instance's votes, also after its listener drops",
  ignore: !await postgresAvailable(),
}, async () => {
  const dbs = await testDatabases();
  const url = await dbs.create();
  // Steps of one vote, so that each vote is published and followed.
  const a = await openPostgresStore(url, { step: 1 }, { poolSize: 2 });
  const b = await openPostgresStore(url, {}, { poolSize: 2 });
  const admin = postgres(url, { max: 1, onnotice: () => {} });
  try {
    await a.cast(ballot(1, "bjp"));
    await waitForTotal(b, 1);
    assert.equal(b.snapshot().parties.find((p) => p.id === "bjp")!.votes, 1);

    const killed = await admin`SELECT pg_terminate_backend(pid) FROM pg_stat_activity
      WHERE datname = current_database() AND query ILIKE 'LISTEN%' AND pid <> pg_backend_pid()`;
    assert.equal(killed.length, 2);
    await a.cast(ballot(2, "aap"));
    await a.cast(ballot(3, "aap"));
    await waitForTotal(b, 3);
    assert.equal(b.snapshot().parties.find((p) => p.id === "aap")!.votes, 2);
  } finally {
    await admin.end();
    await a.shutdown();
    await b.shutdown();
    await dbs.dispose();
  }
});

Deno.test({
  name: "PostgreSQL: a batch whose connection is cut mid-transaction fails; the pool recovers",
  ignore: !await postgresAvailable(),
}, async () => {
  const dbs = await testDatabases();
  const url = await dbs.create();
  // Few connections: the next batches get the very connection the cut one had, or a new one.
  const store = await openPostgresStore(url, {}, { poolSize: 3 });
  const admin = postgres(url, { max: 1, onnotice: () => {} });
  const locker = postgres(url, { max: 1, onnotice: () => {} });
  try {
    await store.cast(ballot(1));
    // The administrator's lock holds the batch in its transaction, waiting; then its
    // connection is cut.
    const cut = await locker.reserve();
    try {
      await cut`BEGIN`;
      await cut`SELECT 1 FROM election WHERE id = 1 FOR UPDATE`;
      const cast = store.cast(ballot(2)).then(() => "counted", (e: Error) => e.message);
      await waitFor(
        async () =>
          (await admin`SELECT 1 FROM pg_stat_activity WHERE datname = current_database()
          AND wait_event_type = 'Lock'`).length > 0,
        10_000,
        { what: () => "a waiting batch" },
      );
      const killed = await admin`SELECT pg_terminate_backend(pid) FROM pg_stat_activity
        WHERE datname = current_database() AND wait_event_type = 'Lock'`;
      assert.equal(killed.length, 1);
      assert.notEqual(await cast, "counted");
      await cut`ROLLBACK`;
    } finally {
      cut.release();
    }
    // The pool opens a new connection: a vote may still meet the closing one, not more.
    let counted = 1;
    let n = 3;
    for (let failed = 0; !await store.cast(ballot(n++)).then(() => true, () => false);) {
      assert.ok(++failed < 2, "votes keep failing after a lost connection");
    }
    counted++;
    for (const end = n + 3; n < end; n++, counted++) await store.cast(ballot(n));
    await Promise.all([n, n + 1, n + 2].map((k) => store.cast(ballot(k))));
    counted += 3;
    const [{ voters }] = await admin`SELECT count(*)::int AS voters FROM turnout`;
    assert.equal(voters, counted);
  } finally {
    await admin.end();
    await locker.end();
    await store.shutdown();
    await dbs.dispose();
  }
});
