/**
 * On PostgreSQL the audit log is one keyed chain in the election's database,
 * shared by every instance; `recount` and `audit-verify` read it there, and
 * tampering with the sealed counters or the chain is detected.
 */
import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import postgres from "postgres";
import { postgresAvailable, testDatabases } from "./_postgres.ts";
import { runMain, startServer } from "./_server.ts";
import { sendVote } from "./_voters.ts";
import { waitFor } from "./_wait.ts";

async function run(name: string, url: string) {
  const script = fileURLToPath(new URL(`../scripts/${name}.ts`, import.meta.url));
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "--allow-all", script, "--database-url", url],
    stdin: "null",
  }).output();
  const text = new TextDecoder();
  return { code: out.code, stdout: text.decode(out.stdout), stderr: text.decode(out.stderr) };
}

Deno.test({
  name: "PostgreSQL: one audit chain shared by two instances; recount and tampering",
  ignore: !await postgresAvailable(),
}, async (t) => {
  const dbs = await testDatabases();
  try {
    const url = await dbs.create();
    const servers = await Promise.all(
      [0, 1].map(() => startServer(["--database-url", url, "--limit", "10"])),
    );
    for (let n = 0; n < 10; n++) {
      const res = await sendVote(servers[n % 2].url, 9000 + n, n < 6 ? "congress" : "nota");
      assert.equal(res.status, 201);
      await res.body?.cancel();
    }
    const sql = postgres(url, { max: 1, onnotice: () => {} });
    try {
      await waitFor(
        async () => (await sql`SELECT 1 FROM audit WHERE event = 'close'`).length > 0,
        10_000,
        { what: "the close entry" },
      );
      await t.step("both instances write one chain and show its head", async () => {
        const events = (await sql`SELECT event FROM audit ORDER BY seq`).map((r) => r.event);
        assert.equal(events.filter((e) => e === "start" || e === "resume").length, 2);
        const [head] = await sql`SELECT hash FROM audit ORDER BY seq DESC LIMIT 1`;
        for (const s of servers) {
          let seen = "";
          await waitFor(
            async () => {
              const tally = await (await fetch(`${s.url}/api/tally`)).json();
              seen = JSON.stringify([tally.status, tally.total, tally.audit]);
              return tally.audit?.head === head.hash;
            },
            15_000,
            { what: () => `the shared head ${head.hash} on ${s.url}/api/tally (${seen})` },
          );
        }
      });
      for (const s of servers) assert.equal(await s.stop(), 0);

      await t.step("recount and audit-verify agree with the untouched election", async () => {
        const r = await run("recount", url);
        assert.equal(r.code, 0, r.stderr);
        assert.equal(JSON.parse(r.stdout).result.winner, "congress");
        assert.equal((await run("audit_verify", url)).code, 0);
      });

      await t.step(
        "a sealed counter copied over another is refused at start and by recount",
        async () => {
          // Every counter row made a copy of the first: the total can no longer be 10.
          await sql`UPDATE tallies SET sealed = (SELECT sealed FROM tallies WHERE shard = 0)`;
          const r = await run("recount", url);
          assert.equal(r.code, 1);
          assert.match(r.stderr, /counters disagree with the ballots/);
          const start = await runMain(["--database-url", url, "--port", "0"]);
          assert.equal(start.code, 1);
          assert.match(start.stderr, /counter [+-]\d+\)/);
          const [last] = await sql`SELECT event FROM audit ORDER BY seq DESC LIMIT 1`;
          assert.equal(last.event, "recount-mismatch");
        },
      );

      await t.step("an audit entry edited in place (trigger disabled) is caught", async () => {
        await sql.unsafe(`ALTER TABLE audit DISABLE TRIGGER audit_no_change;
          UPDATE audit SET detail = '{"reason":"admin"}' WHERE event = 'close'`);
        const r = await run("audit_verify", url);
        assert.equal(r.code, 1);
        assert.match(r.stderr, /was changed after it was written/);
      });
    } finally {
      await sql.end();
    }
  } finally {
    await dbs.dispose();
  }
});
