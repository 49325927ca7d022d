/**
 * The administrator's password across the election's life, on the real
 * server process: generated once per election and printed once, only by a
 * start that succeeds; kept only as a slow hash; changed by
 * `deno task admin-password` while the server runs.
 */
import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { buildOnce, type ServerProcess, startServer } from "./_server.ts";
import { waitFor } from "./_wait.ts";
import { AuditLog, verifyAuditLog } from "../lib/admin/audit_log.ts";
import { postgresAvailable, testDatabases } from "./_postgres.ts";
import { prepareLogos } from "../lib/logos/logos.ts";
import { readPartiesFile } from "../lib/election/parties.ts";

const MAIN = fileURLToPath(new URL("../main.ts", import.meta.url));
const COMMAND = fileURLToPath(new URL("../scripts/admin_password.ts", import.meta.url));
const PRINTED = /Administrator password \(shown only now\): (\S+)/;
/** No override from the test's own environment. */
const NO_OVERRIDE = { ADMIN_PASSWORD: "" };

/** Waits for the password line a start prints after it listens, and returns the password. */
async function printedPassword(server: ServerProcess): Promise<string> {
  await waitFor(() => PRINTED.test(server.output()), 10_000, {
    what: () => `the password line:\n${server.output()}`,
  });
  return server.output().match(PRINTED)![1];
}

/** Signs in over HTTP; returns the session cookie, or null when the password is refused. */
async function signIn(url: string, password: string): Promise<string | null> {
  const res = await fetch(`${url}/admin/login`, {
    method: "POST",
    body: new URLSearchParams({ password }),
    redirect: "manual",
  });
  await res.body?.cancel();
  if (res.status === 401) return null;
  assert.equal(res.status, 303, `sign-in answered ${res.status}`);
  return res.headers.get("set-cookie")!.split(";")[0];
}

async function signedIn(url: string, cookie: string): Promise<boolean> {
  const res = await fetch(`${url}/admin/session`, { headers: { cookie } });
  await res.body?.cancel();
  return res.status === 200;
}

/** Whether any file in `dir` holds `text` in clear (as bytes, anywhere in the file). */
async function filesHolding(dir: string, text: string): Promise<string[]> {
  const needle = new TextEncoder().encode(text);
  const found: string[] = [];
  for await (const entry of Deno.readDir(dir)) {
    if (!entry.isFile) continue;
    const bytes = await Deno.readFile(`${dir}/${entry.name}`);
    outer: for (let i = 0; i + needle.length <= bytes.length; i++) {
      for (let j = 0; j < needle.length; j++) if (bytes[i + j] !== needle[j]) continue outer;
      found.push(entry.name);
      break;
    }
  }
  return found;
}

/** The files in `dir` but the election's lock file (empty: it holds nothing of the election). */
async function storedFiles(dir: string): Promise<string[]> {
  const names = [];
  try {
    for await (const entry of Deno.readDir(dir)) names.push(entry.name);
  } catch (e) {
    if (!(e instanceof Deno.errors.NotFound)) throw e;
  }
  return names.filter((name) => !name.endsWith(".lock")).sort();
}

async function run(
  script: string,
  args: string[],
  options: { env?: Record<string, string>; stdin?: string } = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "--allow-all", script, ...args],
    env: { ...NO_OVERRIDE, ...options.env },
    stdin: options.stdin === undefined ? "null" : "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  if (options.stdin !== undefined) {
    const writer = child.stdin.getWriter();
    await writer.write(new TextEncoder().encode(options.stdin));
    await writer.close();
  }
  const out = await child.output();
  const decoder = new TextDecoder();
  return { code: out.code, stdout: decoder.decode(out.stdout), stderr: decoder.decode(out.stderr) };
}

Deno.test("a restart neither prints nor replaces the election's password, and no file holds it in clear", async () => {
  const dir = await Deno.makeTempDir();
  const db = `${dir}/election.db`;
  try {
    const first = await startServer(["--db", db], { env: NO_OVERRIDE });
    const password = await printedPassword(first);
    assert.equal(first.output().match(new RegExp(PRINTED.source, "g"))!.length, 1);
    assert.ok(await signIn(first.url, password));
    assert.equal(await first.stop(), 0);
    assert.deepEqual(await filesHolding(dir, password), []);

    const again = await startServer(["--db", db], { env: NO_OVERRIDE });
    assert.doesNotMatch(again.output(), /Administrator password/);
    assert.ok(await signIn(again.url, password), "the first password still signs in");
    assert.equal(await signIn(again.url, `${password}x`), null);
    const cookie = (await signIn(again.url, password))!;
    assert.equal(await again.stop(), 0);
    assert.doesNotMatch(again.output(), /Administrator password/);
    assert.deepEqual(await filesHolding(dir, password), []);

    // A new election has a password of its own, and no session of the old one.
    const fresh = await startServer(["--db", db, "--new-election"], { env: NO_OVERRIDE });
    const next = await printedPassword(fresh);
    assert.notEqual(next, password);
    assert.equal(await signedIn(fresh.url, cookie), false);
    assert.equal(await signIn(fresh.url, password), null);
    assert.ok(await signIn(fresh.url, next));
    assert.equal(await fresh.stop(), 0);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a start that fails (its port is taken) prints no password and stores nothing", async () => {
  await buildOnce();
  const dir = await Deno.makeTempDir();
  const taken = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  try {
    const port = String((taken.addr as Deno.NetAddr).port);
    const db = `${dir}/election.db`;
    const failed = await run(MAIN, ["--db", db, "--host", "127.0.0.1", "--port", port]);
    assert.equal(failed.code, 1);
    assert.match(failed.stderr, /already in use/);
    assert.doesNotMatch(failed.stdout + failed.stderr, /password/i);
    assert.deepEqual(
      await Array.fromAsync(Deno.readDir(dir), (e) => e.name),
      [],
      "not even a lock",
    );

    // The corrected start creates the election and prints its password.
    const corrected = await startServer(["--db", db, "--limit", "7"], { env: NO_OVERRIDE });
    const password = await printedPassword(corrected);
    assert.ok(await signIn(corrected.url, password));
    assert.equal(await corrected.stop(), 0);

    // A resumed election's failed start records nothing either: no "resume" in the audit log.
    const entries = () => {
      const audit = new AuditLog(`${dir}/election.audit.db`);
      const events = audit.recent().map((e) => e.event);
      audit.close();
      return events;
    };
    const before = entries();
    const again = await run(MAIN, ["--db", db, "--host", "127.0.0.1", "--port", port]);
    assert.equal(again.code, 1);
    assert.deepEqual(entries(), before);
    const resumed = await startServer(["--db", db], { env: NO_OVERRIDE });
    assert.ok(await signIn(resumed.url, password));
    assert.equal(await resumed.stop(), 0);
  } finally {
    taken.close();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a start that fails on logos not rendered stores nothing, and the corrected start runs", async () => {
  await buildOnce();
  const dir = await Deno.makeTempDir();
  let rendered: string[] = [];
  try {
    // Logos never seen before (a colour of this run), so never in the render cache yet.
    const colour = `#${crypto.getRandomValues(new Uint8Array(3)).toHex()}`;
    const svg = (await Deno.readTextFile(new URL("../static/logos/nota.svg", import.meta.url)))
      .replace('fill="#f1f1f1"', `fill="${colour}"`);
    await Deno.writeTextFile(`${dir}/left.svg`, svg);
    const file = `${dir}/parties.json`;
    await Deno.writeTextFile(
      file,
      JSON.stringify([
        { id: "left", name: "Left", color: "#c62828", logo: "left.svg" },
        { id: "nota", name: "NOTA", color: "#616161", logo: "left.svg" },
      ]),
    );
    const db = `${dir}/data/election.db`;
    const failed = await run(MAIN, ["--db", db, "--parties", file]);
    assert.equal(failed.code, 1);
    assert.match(failed.stderr, /deno task build --parties/);
    assert.doesNotMatch(failed.stdout, /password/i);
    assert.deepEqual(await storedFiles(`${dir}/data`), []);

    // `deno task build --parties FILE`, then the same start runs with those parties.
    const urls = await prepareLogos(await readPartiesFile(file), undefined, { prune: false });
    rendered = Object.values(urls).flatMap((sizes) => Object.values(sizes));
    const corrected = await startServer(["--db", db, "--parties", file], { env: NO_OVERRIDE });
    assert.match(corrected.output(), /Parties: Left, NOTA\./);
    assert.ok(await signIn(corrected.url, await printedPassword(corrected)));
    assert.equal(await corrected.stop(), 0);
  } finally {
    const root = fileURLToPath(new URL("..", import.meta.url));
    for (const url of new Set(rendered)) await Deno.remove(`${root}${url}`).catch(() => {});
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("ADMIN_PASSWORD overrides the election's password; nothing is generated or stored for it", async () => {
  const dir = await Deno.makeTempDir();
  const db = `${dir}/election.db`;
  const given = "correct horse battery staple";
  try {
    const server = await startServer(["--db", db], { env: { ADMIN_PASSWORD: given } });
    assert.ok(await signIn(server.url, given));
    assert.equal(await server.stop(), 0);
    assert.doesNotMatch(server.output(), /Administrator password/);
    assert.deepEqual(await filesHolding(dir, given), []);
    // Without the override, the election gets its own password at the next start.
    const own = await startServer(["--db", db], { env: NO_OVERRIDE });
    const password = await printedPassword(own);
    assert.ok(await signIn(own.url, password));
    assert.equal(await signIn(own.url, given), null);
    assert.equal(await own.stop(), 0);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("deno task admin-password changes the password while the server runs and signs everyone out", async (t) => {
  const dir = await Deno.makeTempDir();
  const db = `${dir}/election.db`;
  try {
    const server = await startServer(["--db", db], { env: NO_OVERRIDE });
    const first = await printedPassword(server);
    const cookie = (await signIn(server.url, first))!;
    assert.ok(await signedIn(server.url, cookie));

    let second = "";
    await t.step("a generated one is printed once", async () => {
      const changed = await run(COMMAND, ["--db", db]);
      assert.equal(changed.code, 0, changed.stderr);
      second = changed.stdout.match(/New administrator password \(shown only now\): (\S+)/)![1];
      assert.match(second, /^[a-km-zA-HJ-NP-Z2-9]{20}$/);
      assert.equal(await signedIn(server.url, cookie), false, "the old session ended");
      assert.equal(await signIn(server.url, first), null, "the old password is refused");
      assert.ok(await signIn(server.url, second));
      assert.deepEqual(await filesHolding(dir, second), []);
    });

    await t.step("one from standard input", async () => {
      const chosen = "a long passphrase of my own";
      const changed = await run(COMMAND, ["--db", db, "--stdin"], { stdin: `${chosen}\n` });
      assert.equal(changed.code, 0, changed.stderr);
      assert.doesNotMatch(changed.stdout, /shown only now/);
      assert.equal(await signIn(server.url, second), null);
      assert.ok(await signIn(server.url, chosen));
      assert.deepEqual(await filesHolding(dir, chosen), []);
    });

    await t.step("a short one is refused and changes nothing", async () => {
      const refused = await run(COMMAND, ["--db", db, "--stdin"], { stdin: "too short\n" });
      assert.equal(refused.code, 2);
      assert.match(refused.stderr, /at least 12 characters/);
      assert.ok(await signIn(server.url, "a long passphrase of my own"));
    });

    await t.step("one from a file's first line", async () => {
      await Deno.writeTextFile(`${dir}/pw.txt`, "from the file, long enough\nignored\n");
      const changed = await run(COMMAND, ["--db", db, "--file", `${dir}/pw.txt`]);
      assert.equal(changed.code, 0, changed.stderr);
      assert.ok(await signIn(server.url, "from the file, long enough"));
      await Deno.remove(`${dir}/pw.txt`);
      // Back to the passphrase the rest of the test signs in with.
      const back = await run(COMMAND, ["--db", db, "--stdin"], {
        stdin: "a long passphrase of my own\n",
      });
      assert.equal(back.code, 0, back.stderr);
    });

    await t.step("a database that holds no election is refused", async () => {
      const refused = await run(COMMAND, ["--db", `${dir}/none.db`]);
      assert.equal(refused.code, 1);
      assert.match(refused.stderr, /no election/);
      for await (const entry of Deno.readDir(dir)) assert.doesNotMatch(entry.name, /^none/);
    });

    assert.equal(await server.stop(), 0);
    const verdict = verifyAuditLog(`${dir}/election.audit.db`);
    assert.ok(verdict.ok);
    const audit = new AuditLog(`${dir}/election.audit.db`);
    const changes = audit.recent().filter((e) => e.event === "admin-password").reverse();
    audit.close();
    assert.deepEqual(changes.map((e) => JSON.parse(e.detail).how), [
      "generated",
      "generated",
      "chosen",
      "chosen",
      "chosen",
    ]);
    const restarted = await startServer(["--db", db], { env: NO_OVERRIDE });
    assert.doesNotMatch(restarted.output(), /Administrator password/);
    assert.ok(await signIn(restarted.url, "a long passphrase of my own"));
    assert.equal(await restarted.stop(), 0);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test({
  name: "on PostgreSQL, instances starting together print one password, and the command changes it",
  ignore: !await postgresAvailable(),
  async fn() {
    const databases = await testDatabases();
    const dirs = [await Deno.makeTempDir(), await Deno.makeTempDir()];
    try {
      const url = await databases.create();
      const servers = await Promise.all(
        dirs.map((dir) =>
          startServer(["--database-url", url, "--db", `${dir}/e.db`], { env: NO_OVERRIDE })
        ),
      );
      await waitFor(() => servers.some((s) => PRINTED.test(s.output())), 10_000);
      const printers = servers.filter((s) => PRINTED.test(s.output()));
      assert.equal(printers.length, 1, "exactly one instance prints the password");
      const password = await printedPassword(printers[0]);
      for (const s of servers) assert.ok(await signIn(s.url, password));
      const cookie = (await signIn(servers[1].url, password))!;

      const changed = await run(COMMAND, ["--database-url", url, "--db", `${dirs[0]}/e.db`]);
      assert.equal(changed.code, 0, changed.stderr);
      const next = changed.stdout.match(/shown only now\): (\S+)/)![1];
      assert.equal(await signedIn(servers[0].url, cookie), false);
      for (const s of servers) {
        assert.equal(await signIn(s.url, password), null);
        assert.ok(await signIn(s.url, next));
      }
      for (const s of servers) assert.equal(await s.stop(), 0);
      const again = await startServer(["--database-url", url, "--db", `${dirs[0]}/e.db`], {
        env: NO_OVERRIDE,
      });
      assert.doesNotMatch(again.output(), /Administrator password/);
      assert.ok(await signIn(again.url, next));
      assert.equal(await again.stop(), 0);
      const dump = await new Deno.Command("pg_dump", { args: [url] }).output()
        .catch(() => null);
      if (dump) assert.ok(!new TextDecoder().decode(dump.stdout).includes(next));
    } finally {
      for (const dir of dirs) await Deno.remove(dir, { recursive: true });
      await databases.dispose();
    }
  },
});
