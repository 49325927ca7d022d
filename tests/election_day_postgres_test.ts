/**
 * On PostgreSQL the election day is election-wide: two instances on one
 * database see the same mock poll, its clearing and the opening, because
 * the state is in the database (each transaction reads it), and each
 * instance's cached tally follows within its notifier's delay.
 */
import assert from "node:assert/strict";
import { openPostgresStore } from "../lib/store/postgres/postgres_store.ts";
import { postgresAvailable, testDatabases } from "./_postgres.ts";
import { ballot } from "./_voters.ts";
import { waitFor } from "./_wait.ts";
import { codeOf } from "./_outcome.ts";

Deno.test({
  name: "two PostgreSQL instances share the mock poll, its clearing and the opening",
  ignore: !await postgresAvailable(),
  fn: async () => {
    const dbs = await testDatabases();
    const url = await dbs.create();
    const a = await openPostgresStore(url, { opensAt: "admin", step: 1 }, { poolSize: 2 });
    const b = await openPostgresStore(url, {}, { poolSize: 2 });
    try {
      assert.equal(b.snapshot().status, "pending");
      await a.startMockPoll();
      // B's cache may still say "waiting": its transaction reads the database's state.
      assert.equal(await codeOf(b.cast(ballot(1, "aap"))), "ok");
      await waitFor(() => a.snapshot().total === 1 && b.snapshot().day?.mockPoll === true, 5000);
      assert.equal(await codeOf(b.open()), "mock_poll_uncleared");
      assert.deepEqual(await b.clearMockPoll(), { bjp: 0, congress: 0, aap: 1, nota: 0 });
      await waitFor(() => a.snapshot().total === 0 && !a.snapshot().day?.mockPoll, 5000);
      assert.equal(await codeOf(a.cast(ballot(2))), "voting_not_open");
      await a.open();
      assert.equal(await codeOf(b.cast(ballot(1, "bjp"))), "ok", "open at once for B too");
      await waitFor(() => b.snapshot().status === "open" && a.snapshot().total === 1, 5000);
      assert.equal(await codeOf(b.open()), "voting_open");
    } finally {
      await a.shutdown();
      await b.shutdown();
      await dbs.dispose();
    }
  },
});
