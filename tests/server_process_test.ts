import assert from "node:assert/strict";
import { runMain, startDeno, startServer } from "./_server.ts";
import { sendVote } from "./_voters.ts";
import { waitFor } from "./_wait.ts";

Deno.test("main.ts serves votes and stops cleanly on SIGTERM", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const server = await startServer(["--limit", "5", "--db", `${dir}/e.db`]);
    const res = await sendVote(server.url, 1);
    assert.equal(res.status, 201);
    await res.body?.cancel();
    assert.equal(await server.stop("SIGTERM"), 0);
    assert.match(server.output(), /Stopped cleanly/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("main.ts refuses a bad command line with one clear line and status 2", async (t) => {
  for (
    const args of [["--limit", "-3"], ["--limit", "abc"], ["--frobnicate"], [
      "--parties",
      "/nonexistent.json",
    ]]
  ) {
    await t.step(args.join(" "), async () => {
      const { code, stderr } = await runMain([...args, "--db", "/tmp/matdaan-never-created/e.db"]);
      assert.equal(code, 2);
      assert.match(stderr.split("\n")[0], /^matdaan: /);
    });
  }
});

Deno.test("main.ts resumes an election, refuses a contradicting limit, and sets it aside on --new-election", async () => {
  const dir = await Deno.makeTempDir();
  const db = `${dir}/e.db`;
  try {
    const first = await startServer(["--limit", "5", "--db", db]);
    const res = await sendVote(first.url, 1);
    assert.equal(res.status, 201);
    await res.body?.cancel();
    assert.equal(await first.stop(), 0);

    const resumed = await startServer(["--db", db]);
    assert.match(resumed.output(), /open, 1 vote\(s\) so far, limit 5/);
    assert.equal((await (await fetch(`${resumed.url}/api/tally`)).json()).total, 1);
    assert.equal(await resumed.stop(), 0);

    const refused = await runMain(["--limit", "6", "--db", db]);
    assert.equal(refused.code, 2);
    assert.match(refused.stderr, /limit of 5 votes, but --limit 6 was given.*--new-election/);

    const fresh = await startServer(["--limit", "6", "--new-election", "--db", db]);
    assert.match(fresh.output(), /Previous election kept as .*e-\d{4}-\d\d-\d\dT[\d-]+Z\.db/);
    assert.equal((await (await fetch(`${fresh.url}/api/tally`)).json()).total, 0);
    assert.equal(await fresh.stop(), 0);
    const files = [...Deno.readDirSync(dir)].map((e) => e.name)
      .filter((n) => n.endsWith(".db") && !n.includes(".audit"));
    assert.equal(files.length, 2);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("SIGTERM while votes arrive keeps every acknowledged vote", async () => {
  const dir = await Deno.makeTempDir();
  const db = `${dir}/e.db`;
  try {
    const server = await startServer(["--db", db]);
    const acked: number[] = [];
    let next = 0;
    const clients = Array.from({ length: 16 }, async () => {
      while (true) {
        const n = next++;
        try {
          const res = await sendVote(server.url, n);
          await res.body?.cancel();
          if (res.status === 201) acked.push(n);
        } catch {
          return;
        }
      }
    });
    try {
      await waitFor(() => acked.length >= 100, 30_000, { what: "100 acknowledged votes" });
    } finally {
      assert.equal(await server.stop("SIGTERM"), 0);
    }
    await Promise.all(clients);
    const again = await startServer(["--db", db]);
    try {
      const total = (await (await fetch(`${again.url}/api/tally`)).json()).total;
      assert.ok(total >= acked.length, `${total} counted, ${acked.length} acknowledged`);
    } finally {
      await again.stop();
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("`deno task start` runs with the permissions deno.json gives it", async () => {
  const dir = await Deno.makeTempDir();
  const args = ["--port", "0", "--host", "127.0.0.1", "--db", `${dir}/e.db`, "--limit", "1"];
  const server = await startDeno(["task", "start", ...args], {
    cwd: new URL("..", import.meta.url).pathname,
  });
  try {
    const page = await fetch(`${server.url}/`);
    assert.match(await page.text(), /Cast your vote/);
    // The vote closes the election, and the worker seals the file: with the
    // task's own permissions that must work, and the store must stay usable.
    const res = await sendVote(server.url, 1, "aap");
    assert.equal(res.status, 201);
    const { receipt } = await res.json();
    await waitFor(() => Deno.statSync(`${dir}/e.db-wal`).size === 0, 10_000, {
      what: "the closed election to be sealed (an empty WAL)",
    });
    const check = await fetch(`${server.url}/api/receipts/${receipt}`);
    assert.deepEqual(await check.json(), { receipt, counted: true });
  } finally {
    await server.stop();
    await Deno.remove(dir, { recursive: true });
  }
});
