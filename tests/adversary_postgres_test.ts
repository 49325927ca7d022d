/**
 * Review of issue 15 as a hostile voter racing the administrator on two
 * PostgreSQL instances: mock votes cast on one instance while the other
 * clears the mock poll and opens voting. Every ballot accepted must be
 * either cleared with the mock poll (counted in its result) or real (in the
 * count after the opening); none may be lost or left over.
 */
import assert from "node:assert/strict";
import { openPostgresStore } from "../lib/store/postgres/postgres_store.ts";
import { postgresAvailable, testDatabases } from "./_postgres.ts";
import { ballot } from "./_voters.ts";
import { waitFor } from "./_wait.ts";
import { codeOf } from "./_outcome.ts";

Deno.test({
  name:
    "mock votes racing the clearing and the opening on two instances: each is cleared or counted",
  ignore: !await postgresAvailable(),
  fn: async () => {
    const dbs = await testDatabases();
    const url = await dbs.create();
    const a = await openPostgresStore(url, { opensAt: "admin", step: 1 }, { poolSize: 4 });
    const b = await openPostgresStore(url, {}, { poolSize: 4 });
    try {
      await a.startMockPoll();
      // B's voters cast without pause, four at a time, across the clearing and the opening.
      let n = 1000;
      let stop = false;
      const codes: string[] = [];
      const voter = async () => {
        while (!stop) codes.push(await codeOf(b.cast(ballot(n++, "aap"))));
      };
      const voters = Array.from({ length: 4 }, voter);
      await waitFor(() => codes.length >= 20, 5000);
      const mock = await a.clearMockPoll();
      await a.open();
      const atOpen = codes.length;
      await waitFor(() => codes.length >= atOpen + 20, 5000);
      stop = true;
      await Promise.all(voters);
      const accepted = codes.filter((c) => c === "ok").length;
      const refused = codes.filter((c) => c === "voting_not_open").length;
      assert.equal(accepted + refused, codes.length, codes.join(","));
      const real = accepted - mock.aap;
      await waitFor(() => a.snapshot().total === real && b.snapshot().total === real, 5000, {
        what: () =>
          `totals ${a.snapshot().total}/${b.snapshot().total}: ${accepted} accepted, ${refused} refused, ${mock.aap} cleared as mock`,
      });
      // Every voter whose ballot was cleared may vote for real; every other accepted one may not.
      const again = await Promise.all(
        Array.from({ length: n - 1000 }, (_, i) => codeOf(a.cast(ballot(1000 + i, "bjp")))),
      );
      assert.equal(again.filter((c) => c === "already_voted").length, real);
    } finally {
      await a.shutdown();
      await b.shutdown();
      await dbs.dispose();
    }
  },
});
