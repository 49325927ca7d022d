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
