/** Two real server instances on one PostgreSQL database. */
import assert from "node:assert/strict";
import { openPostgresStore } from "../lib/store/postgres/postgres_store.ts";
import type { Tally } from "../lib/election/types.ts";
import { postgresAvailable, testDatabases } from "./_postgres.ts";
import { type ServerProcess, startServer } from "./_server.ts";
import { voteBody } from "./_voters.ts";
import { waitFor } from "./_wait.ts";

async function vote(server: ServerProcess, n: number, party = "bjp"): Promise<number> {
  const res = await fetch(`${server.url}/api/votes`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: voteBody(n, party),
  });
  await res.body?.cancel();
  return res.status;
}

async function tallyOf(server: ServerProcess): Promise<Tally> {
  return await (await fetch(`${server.url}/api/tally`)).json();
}

async function twoInstances(url: string, args: string[] = []): Promise<ServerProcess[]> {
  return await Promise.all([0, 1].map(() => startServer(["--database-url", url, ...args])));
}

Deno.test({
  name: "PostgreSQL: two instances on one database",
  ignore: !await postgresAvailable(),
}, async (t) => {
  const dbs = await testDatabases();
  try {
    await t.step("a voter who voted on A is refused on B", async () => {
      const [a, b] = await twoInstances(await dbs.create());
      try {
        assert.equal(await vote(a, 1), 201);
        assert.equal(await vote(b, 1, "aap"), 409);
        const codes = await Promise.all(
          Array.from({ length: 40 }, (_, i) => vote(i % 2 ? a : b, 2)),
        );
        assert.equal(codes.filter((c) => c === 201).length, 1);
        assert.equal(codes.filter((c) => c === 409).length, 39);
      } finally {
        await Promise.all([a.stop(), b.stop()]);
      }
    });

    await t.step("the limit is exact across instances: 300 voters, limit 50", async () => {
      const [a, b] = await twoInstances(await dbs.create(), ["--limit", "50"]);
      try {
        const codes = await Promise.all(
          Array.from({ length: 300 }, (_, i) => vote(i % 2 ? a : b, 100 + i, "aap")),
        );
        assert.equal(codes.filter((c) => c === 201).length, 50);
        assert.equal(codes.filter((c) => c === 409).length, 250);
        for (const server of [a, b]) {
          let tally = await tallyOf(server);
          await waitFor(async () => (tally = await tallyOf(server)).status === "closed", 5000, {
            intervalMs: 50,
            what: `${server.url} to close`,
          });
          assert.equal(tally.total, 50);
          assert.equal(tally.closedReason, "limit");
        }
      } finally {
        await Promise.all([a.stop(), b.stop()]);
      }
    });

    await t.step("a dashboard on B sees a vote cast on A", async () => {
      const [a, b] = await twoInstances(await dbs.create());
      const ws = new WebSocket(`${b.url.replace("http", "ws")}/ws/tally`);
      try {
        const seen: Tally[] = [];
        const first = new Promise((r) => ws.onmessage = (e) => r(seen.push(JSON.parse(e.data))));
        await first;
        const reached = new Promise<Tally>((resolve) => {
          ws.onmessage = (e) => {
            const tally = JSON.parse(e.data) as Tally;
            if (tally.total === 1) resolve(tally);
          };
        });
        assert.equal(await vote(a, 5, "congress"), 201);
        let tally: Tally | undefined;
        reached.then((t) => tally = t);
        await waitFor(() => tally !== undefined, 1000, { what: "B's dashboard to see A's vote" });
        assert.equal(tally!.parties.find((p) => p.id === "congress")!.votes, 1);
      } finally {
        ws.close();
        await Promise.all([a.stop(), b.stop()]);
      }
    });

    await t.step("a close committed elsewhere refuses votes on both instances", async () => {
      const url = await dbs.create();
      const [a, b] = await twoInstances(url);
      const admin = await openPostgresStore(url, {}, { poolSize: 2 });
      try {
        assert.equal(await vote(a, 10), 201);
        await admin.close("admin");
        assert.equal(await vote(b, 11), 409);
        assert.equal(await vote(a, 12), 409);
        assert.equal((await tallyOf(b)).total, 1);
      } finally {
        await admin.shutdown();
        await Promise.all([a.stop(), b.stop()]);
      }
    });

    await t.step("a killed instance loses no acknowledged vote", async () => {
      const url = await dbs.create();
      const [a, b] = await twoInstances(url);
      let acknowledged = 0;
      const load = Promise.all(Array.from({ length: 8 }, async (_, w) => {
        for (let i = 0; i < 200; i++) {
          try {
            if (await vote(a, 5000 + w * 1000 + i) === 201) acknowledged++;
          } catch {
            return; // the server is gone
          }
        }
      }));
      try {
        await waitFor(() => acknowledged >= 50, 30_000, { what: "50 acknowledged votes on A" });
      } finally {
        await a.stop("SIGKILL");
      }
      await load;
      try {
        assert.ok(acknowledged > 0);
        const store = await openPostgresStore(url, {}, { poolSize: 2 });
        const total = store.snapshot().total;
        await store.shutdown();
        assert.ok(total! >= acknowledged, `${total} counted, ${acknowledged} acknowledged`);
        assert.equal(await vote(b, 5000), 409);
      } finally {
        await b.stop();
      }
    });
  } finally {
    await dbs.dispose();
  }
});
