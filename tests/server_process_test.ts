import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { buildOnce, runMain, startDeno, startServer } from "./_server.ts";
import { sendVote } from "./_voters.ts";
import { waitFor } from "./_wait.ts";

const MAIN = fileURLToPath(new URL("../main.ts", import.meta.url));

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
    const args of [
      ["--limit", "-3"],
      ["--limit", "abc"],
      ["--frobnicate"],
      [
        "--parties",
        "/nonexistent.json",
      ],
      ["--opens-at", "2026-11-30T07:00"],
      [
        "--opens-at",
        "2026-11-30T18:00+05:30",
        "--closes-at",
        "2026-11-30T07:00+05:30",
      ],
    ]
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
    assert.match(
      resumed.output(),
      /open, 1 vote\(s\) published, limit 5, live results in steps of 1/,
    );
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
      .filter((n) => n.endsWith(".db") && !n.includes(".audit") && !n.includes(".sessions"));
    assert.equal(files.length, 2);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a second server, or --new-election under a running one, is refused and moves nothing", async () => {
  const dir = await Deno.makeTempDir();
  const db = `${dir}/e.db`;
  try {
    const running = await startServer(["--db", db]);
    try {
      const before = [...Deno.readDirSync(dir)].map((e) => e.name).sort();
      for (const args of [["--db", db], ["--new-election", "--db", db]]) {
        // The running server's port: without the lock, a start would get as far as listening.
        const refused = await runMain([...args, "--port", String(running.port)]);
        assert.equal(refused.code, 2, refused.stderr);
        assert.match(refused.stderr, /another Matdaan server is running the election in .*e\.db/);
        assert.doesNotMatch(refused.stdout, /Previous election kept/);
      }
      assert.deepEqual([...Deno.readDirSync(dir)].map((e) => e.name).sort(), before);
      const res = await sendVote(running.url, 1);
      assert.equal(res.status, 201, "the running election goes on");
      await res.body?.cancel();
    } finally {
      await running.stop();
    }
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

/** The project's own files, as a fresh clone has them: no build output, no data. */
async function copyProject(to: string) {
  const root = new URL("..", import.meta.url).pathname;
  const skip = new Set([".git", "data", "node_modules", "static/build", "static/logos/cache"]);
  const copy = async (rel: string) => {
    for await (const entry of Deno.readDir(`${root}${rel}`)) {
      const path = rel ? `${rel}/${entry.name}` : entry.name;
      if (skip.has(path)) continue;
      if (entry.isDirectory) {
        await Deno.mkdir(`${to}/${path}`);
        await copy(path);
      } else if (entry.isFile) await Deno.copyFile(`${root}${path}`, `${to}/${path}`);
    }
  };
  await copy("");
}

Deno.test("`deno task start` on a fresh clone builds, then serves with the permissions deno.json gives it", async () => {
  const dir = await Deno.makeTempDir({ prefix: "matdaan-clone-" });
  await copyProject(dir);
  // The README's first command, with a free port.
  const args = ["--port", "0", "--host", "127.0.0.1", "--limit", "1"];
  const server = await startDeno(["task", "start", ...args], { cwd: dir, timeoutMs: 180_000 });
  try {
    assert.match(server.output(), /Logos rendered/, "the build step ran first");
    const page = await fetch(`${server.url}/`);
    const html = await page.text();
    assert.match(html, /Cast your vote/);
    const script = html.match(/<script type="module" src="(\/build\/VoteBooth-[^"]+)"/)?.[1];
    assert.ok(script, "the booth loads its island bundle");
    assert.equal((await fetch(`${server.url}${script}`)).status, 200);
    const logo = html.match(/src="(\/static\/logos\/cache\/bjp-\d+-[0-9a-f]{12}\.png)"/)?.[1];
    assert.ok(logo, "the booth shows the rendered logos");
    assert.equal((await fetch(`${server.url}${logo}`)).status, 200);
    // The vote closes the election, and the worker seals the file: with the
    // task's own permissions that must work, and the store must stay usable.
    const res = await sendVote(server.url, 1, "aap");
    assert.equal(res.status, 201);
    const { receipt } = await res.json();
    await waitFor(() => Deno.statSync(`${dir}/data/election.db-wal`).size === 0, 10_000, {
      what: "the closed election to be sealed (an empty WAL)",
    });
    const check = await fetch(`${server.url}/api/receipts/${receipt}`);
    assert.deepEqual(await check.json(), { receipt, counted: true });
  } finally {
    await server.stop();
    await Deno.remove(dir, { recursive: true });
  }
});

/** The permissions `deno task start` gives the server process (the command after the build). */
function serverPermissions(): string[] {
  const config = JSON.parse(Deno.readTextFileSync(new URL("../deno.json", import.meta.url)));
  const command = config.tasks.start.split("&&").pop().trim().split(/\s+/);
  assert.equal(command.at(-1), "main.ts");
  return command.filter((arg: string) => arg.startsWith("--allow"));
}

Deno.test("the server process may neither run programs nor load native code, and writes only to data/", () => {
  const permissions = serverPermissions();
  for (const wide of ["--allow-all", "-A", "--allow-run", "--allow-ffi", "--allow-write"]) {
    assert.ok(!permissions.includes(wide), `${wide} is not given`);
  }
  assert.ok(permissions.includes("--allow-write=data"));
});

Deno.test("with the task's permissions, a --db outside data/ is refused with what to do", async () => {
  await buildOnce();
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", ...serverPermissions(), MAIN, "--db", "/tmp/matdaan-never-created/e.db"],
    cwd: new URL("..", import.meta.url).pathname,
    stdin: "null",
  }).output();
  const stderr = new TextDecoder().decode(out.stderr);
  assert.equal(out.code, 2);
  assert.match(
    stderr,
    /^matdaan: the server may not write to \/tmp\/matdaan-never-created .*--allow-write/,
  );
});

Deno.test("main.ts without the logos rendered says what to run, and starts once they are", async () => {
  const dir = await Deno.makeTempDir({ prefix: "matdaan-unbuilt-" });
  try {
    // A logo no build has seen: its renders cannot be in the cache.
    const unique = crypto.randomUUID();
    await Deno.writeTextFile(
      `${dir}/new.svg`,
      `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 8 8"><!-- ${unique} --><rect width="8" height="8"/></svg>`,
    );
    const parties = `${dir}/parties.json`;
    await Deno.writeTextFile(
      parties,
      JSON.stringify([
        { id: "new", name: "New", color: "#112233", logo: "new.svg" },
        { id: "nota", name: "NOTA", color: "#616161", logo: "new.svg" },
      ]),
    );
    const refused = await runMain(["--db", `${dir}/e.db`, "--parties", parties]);
    assert.equal(refused.code, 1);
    assert.match(
      refused.stderr,
      /^matdaan: the logos of new \(.*new\.svg\), nota \(.*\) are not rendered: run `deno task build --parties .*parties\.json` first\./,
    );
    const build = await new Deno.Command(Deno.execPath(), {
      args: ["task", "build", "--parties", parties],
      cwd: new URL("..", import.meta.url).pathname,
      stdin: "null",
    }).output();
    assert.equal(build.code, 0, new TextDecoder().decode(build.stderr));
    // The default step, as the refused start stored it.
    const server = await startServer(["--db", `${dir}/e.db`, "--parties", parties, "--step", "10"]);
    assert.equal(await server.stop(), 0);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a limit smaller than two steps is pointed out at start", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const server = await startServer(["--db", `${dir}/e.db`, "--limit", "5", "--step", "10"]);
    try {
      assert.match(
        server.output(),
        /Note: with a limit of 5 and steps of 10 votes, party counts are published only when voting closes/,
      );
    } finally {
      await server.stop();
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("main.ts starts an election that waits for the administrator, and keeps its opening on resume", async () => {
  const dir = await Deno.makeTempDir();
  const db = `${dir}/e.db`;
  try {
    const first = await startServer([
      "--db",
      db,
      "--opens-at",
      "admin",
      "--closes-at",
      "2099-01-01T18:00+05:30",
      "--timezone",
      "Asia/Kolkata",
    ]);
    assert.match(
      first.output(),
      /not open yet \(waits for the administrator to open it\); closes at 2099-01-01 18:00:00 IST/,
    );
    const res = await sendVote(first.url, 1);
    assert.equal(res.status, 409);
    assert.equal((await res.json()).error.code, "voting_not_open");
    assert.equal((await (await fetch(`${first.url}/healthz`)).json()).status, "pending");
    assert.equal(await first.stop(), 0);

    const refused = await runMain(["--db", db, "--opens-at", "2099-01-01T07:00+05:30"]);
    assert.equal(refused.code, 2);
    assert.match(refused.stderr, /opens when the administrator opens it.*--new-election/);
    // The closing time may move (a later one here), and is then the stored one.
    const moved = await startServer([
      "--db",
      db,
      "--closes-at",
      "2099-01-01T19:00+05:30",
      "--timezone",
      "UTC",
    ]);
    assert.match(moved.output(), /closes at 2099-01-01 13:30:00 UTC/);
    assert.equal(await moved.stop(), 0);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
