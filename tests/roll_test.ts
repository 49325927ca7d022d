/**
 * The electoral roll end to end: a bad roll file refused at start with
 * nothing stored; votes through HTTP with a roll and with codes; guessing
 * throttled; the voter slips rendered in Chromium with a readable QR code.
 */
import assert from "node:assert/strict";
import process from "node:process";
import jsQRModule from "jsqr";
import { Image } from "imagescript";
import postgres from "postgres";
import { createApp } from "../app.ts";
import { checkRollFile, RollFileError } from "../lib/election/roll_file.ts";
import {
  inspectPostgresElection,
  postgresRollTarget,
} from "../lib/store/postgres/postgres_roll.ts";
import { postgresAvailable, testDatabases } from "./_postgres.ts";
import { ElectionMismatchError } from "../lib/election/election_config.ts";
import { AdminAuth } from "../lib/admin/admin_auth.ts";
import { AuditLog } from "../lib/admin/audit_log.ts";
import { CodeThrottle } from "../lib/election/code_throttle.ts";
import { readCodeKey } from "../lib/election/code_key.ts";
import { sqliteRollTarget } from "../lib/store/sqlite/sqlite_roll.ts";
import { openSqliteStore } from "../lib/store/sqlite/sqlite_store.ts";
import { prepareRoll } from "../lib/election/roll_import.ts";
import { createCodeKey } from "../lib/election/code_key.ts";
import { postVote, signIn } from "./_app.ts";
import { browserAvailable, launchBrowser } from "./_browser.ts";
import { codesApp, importTestRoll, writeRoll } from "./_roll.ts";
import { runMain, startServer } from "./_server.ts";
import { slipLink } from "../lib/election/voter_slips.ts";
import { voterId } from "./_voters.ts";
import { waitFor } from "./_wait.ts";

// jsQR is a CommonJS module whose types describe the module, not its default export.
const jsQR = jsQRModule as unknown as typeof jsQRModule.default;

async function exists(path: string): Promise<boolean> {
  return await Deno.stat(path).then(() => true, () => false);
}

Deno.test("a bad roll file is refused at start: line numbers, exit status 2, no election", async () => {
  const dir = await Deno.makeTempDir({ prefix: "matdaan-roll-cli-" });
  try {
    const rows = ["voter_id,name,age,address", "WKH1186253,Asha Rao,34,Pune"];
    rows.push("WKH1186263,Bad Check,30,x", "WKH1186253,Asha Again,34,", "WKT0000018,=cmd(),abc,");
    for (let i = 0; i < 30; i++) rows.push(`XYZ,Name,${300 + i},`);
    await Deno.writeTextFile(`${dir}/roll.csv`, rows.join("\n") + "\n");
    const bad = await runMain(["--roll", `${dir}/roll.csv`, "--db", `${dir}/e.db`, "--port", "0"]);
    assert.equal(bad.code, 2, bad.stderr);
    assert.match(bad.stderr, /line 3: voter_id "WKH1186263" is not an EPIC number/);
    assert.match(bad.stderr, /line 4: voter ID WKH1186253 is already on line 2/);
    assert.match(bad.stderr, /line 5: .*looks like a spreadsheet formula.*age "abc"/);
    assert.match(bad.stderr, /33 problems/);
    assert.match(bad.stderr, /… and 13 more/);
    assert.equal(await exists(`${dir}/e.db`), false);
    for (
      const [args, message] of [
        [["--roll", `${dir}/missing.csv`], /no such file/],
        [["--codes"], /--codes needs --roll/],
        [
          ["--roll", `${dir}/roll.csv`, "--slips", `${dir}/s.html`],
          /--slips needs --roll and --codes/,
        ],
      ] as const
    ) {
      const r = await runMain([...args, "--db", `${dir}/e.db`, "--port", "0"]);
      assert.equal(r.code, 2);
      assert.match(r.stderr, message);
    }
    assert.equal(await exists(`${dir}/e.db`), false);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("code guessing cannot lock out a voter: not at the attacker's address, not a chosen voter", async () => {
  const throttle = new CodeThrottle(); // the defaults
  const guess = async (client: string, voter: string) => {
    if ((await throttle.begin(client, voter)) > 0) return "wait";
    await throttle.settle(client, voter, { wrong: true });
    return "checked";
  };
  // One client at a polling station's address sprays wrong codes at 40 voters...
  for (let n = 0; n < 40; n++) {
    for (let i = 0; i < 5; i++) await guess("10.0.0.1", voterId(n));
  }
  // ...and a voter at the same address, who has not tried yet, is still heard.
  assert.equal(await throttle.begin("10.0.0.1", voterId(100)), 0);
  await throttle.settle("10.0.0.1", voterId(100), { wrong: false });
  // Wrong codes at one chosen voter from many addresses...
  for (let a = 2; a < 30; a++) {
    for (let i = 0; i < 5; i++) await guess(`10.0.0.${a}`, voterId(7));
  }
  // ...do not stop the real voter, even after a typo of their own.
  assert.equal(await guess("192.168.1.5", voterId(7)), "checked");
  assert.equal(await throttle.begin("192.168.1.5", voterId(7)), 0);
  await throttle.settle("192.168.1.5", voterId(7), { wrong: false });
  // The guesser's own address and voter ID do wait.
  assert.equal(await guess("10.0.0.2", voterId(7)), "wait");
});

Deno.test("the throttle asks nothing of a right code, and forgets no wrong one while it counts", async () => {
  const throttle = new CodeThrottle({ perPair: 2 });
  // A voter's right code: answered at once, no promise.
  assert.equal(throttle.begin("10.0.0.9", voterId(1)), 0);
  assert.equal(throttle.settle("10.0.0.9", voterId(1), { wrong: false }), undefined);
  for (let i = 0; i < 2; i++) {
    assert.equal(await throttle.begin("10.0.0.1", voterId(2)), 0);
    await throttle.settle("10.0.0.1", voterId(2), { wrong: true });
  }
  // Wrong codes at 3,000 other pairs make the throttle sweep its marks several times,
  // with a wrong code of the first pair arriving while a sweep is under way...
  for (let n = 0; n < 3000; n++) {
    await throttle.settle(`10.1.${n >> 8}.${n & 255}`, voterId(3), { wrong: true });
    if (n === 1500) await throttle.settle("10.0.0.1", voterId(2), { wrong: true });
  }
  // ...and the pair still waits, as do the others.
  assert.ok((await throttle.begin("10.0.0.1", voterId(2))) > 0);
  assert.equal(await throttle.begin("10.1.0.0", voterId(3)), 0); // one wrong of two
  await throttle.settle("10.1.0.0", voterId(3), { wrong: true });
  assert.ok((await throttle.begin("10.1.0.0", voterId(3))) > 0);
});

Deno.test("a wrong code that comes while the throttle sweeps its marks is not swept away", async () => {
  // A window of one second, so that the limiter forgets a pair within the test.
  const throttle = new CodeThrottle({ perPair: 2, pairWindow: 1 });
  await throttle.settle("10.0.0.1", voterId(2), { wrong: true }); // marked, then forgotten
  for (let i = 0; i < 2; i++) await throttle.settle("10.0.0.2", voterId(2), { wrong: true });
  await waitFor(async () => (await throttle.begin("10.0.0.2", voterId(2))) === 0, 5000, {
    what: "the limiter forgetting the wrong codes",
  });
  // In one turn: enough wrong codes elsewhere to start a sweep, which finds the first
  // pair forgotten; then two wrong codes of that pair, before the sweep ends.
  const pending: unknown[] = [];
  for (let n = 0; n < 1100; n++) {
    pending.push(throttle.settle(`10.1.${n >> 8}.${n & 255}`, voterId(3), { wrong: true }));
  }
  pending.push(throttle.settle("10.0.0.1", voterId(2), { wrong: true }));
  pending.push(throttle.settle("10.0.0.1", voterId(2), { wrong: true }));
  await Promise.all(pending);
  await new Promise((resolve) => setTimeout(resolve, 0)); // the sweep's answers come in
  assert.ok((await throttle.begin("10.0.0.1", voterId(2))) > 0);
});

Deno.test("HTTP with a roll and codes: bad_code, not_on_roll, throttling, one 201 per code", async (t) => {
  const dir = await Deno.makeTempDir({ prefix: "matdaan-roll-http-" });
  const { app, store, codesKey, codes } = await codesApp(dir, 30);
  const vote = (n: number, code?: string, extra: Record<string, unknown> = {}) =>
    postVote(app, { voterId: voterId(n), code, party: "aap", ...extra });
  try {
    await t.step("without codes from the slip: 403 bad_code, nothing counted", async () => {
      for (const code of [undefined, "", "7KQ2M-X4TPH", codes.get(voterId(1))]) {
        const res = await vote(0, code);
        assert.equal(res.status, 403);
        const body = await res.json();
        assert.equal(body.error.code, "bad_code");
        assert.equal(body.error.field, "code");
      }
      assert.equal(store.snapshot().total, 0);
    });
    await t.step(
      "an ID not on the roll answers as a wrong code does: the roll is no oracle",
      async () => {
        const outsider = await (await vote(500, codes.get(voterId(0)))).json();
        const wrong = await (await vote(1, codes.get(voterId(0)))).json();
        assert.deepEqual(outsider, wrong);
        assert.equal(outsider.error.code, "bad_code");
      },
    );
    await t.step("guessing is throttled for that client and ID, not for the voter", async () => {
      for (let i = 0; i < 3; i++) await (await vote(5, "22222-22222")).body?.cancel();
      const locked = await vote(5, codes.get(voterId(5)));
      assert.equal(locked.status, 429);
      assert.ok(Number(locked.headers.get("retry-after")) > 0);
      await locked.body?.cancel();
      // The real voter, from another address, is heard.
      const real = await postVote(
        createApp({ store, codesKey, codeThrottle: new CodeThrottle({ perPair: 3 }) }),
        { voterId: voterId(5), code: codes.get(voterId(5)), party: "aap" },
      );
      assert.equal(real.status, 201);
    });
    await t.step("racing requests with one voter's code give one 201", async () => {
      const answers = await Promise.all(
        Array.from({ length: 50 }, () => vote(7, codes.get(voterId(7))!.toLowerCase())),
      );
      const statuses = await Promise.all(
        answers.map(async (r) => (await r.body?.cancel(), r.status)),
      );
      assert.equal(statuses.filter((s) => s === 201).length, 1);
      // The rest: already voted, or (attempts in flight count against guessing) wait.
      assert.ok(statuses.every((s) => s === 201 || s === 409 || s === 429));
      assert.equal(store.snapshot().total, 2);
    });
    await t.step(
      "the booth asks for the voter ID and code only, and takes the form post",
      async () => {
        const page = await (await app.request("/")).text();
        assert.match(page, /name="code"/);
        assert.doesNotMatch(page, /name="age"/);
        const form = new FormData();
        form.set("voterId", voterId(9));
        form.set("code", codes.get(voterId(9))!);
        form.set("party", "bjp");
        // The party button answers with the confirm page; "Confirm vote" casts (issue 14).
        const confirm = await (await app.request("/vote", { method: "POST", body: form })).text();
        assert.match(confirm, /Confirm vote/);
        form.set("token", confirm.match(/name="token" value="([0-9a-f]{32})"/)![1]);
        form.set("step", "confirm");
        const res = await app.request("/vote", { method: "POST", body: form });
        assert.equal(res.status, 303);
        assert.match(res.headers.get("location") ?? "", /^\/receipt\//);
        const [entry] = await store.turnout({ search: voterId(9) });
        assert.equal(entry.address, "9 Roll Road, Pune");
      },
    );
  } finally {
    await store.shutdown();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test({
  name: "voter slips render in Chromium with a QR code that opens the booth with ID and code",
  ignore: !browserAvailable(),
  async fn() {
    const dir = await Deno.makeTempDir({ prefix: "matdaan-slips-" });
    const tb = await launchBrowser();
    try {
      await writeRoll(`${dir}/roll.csv`, 6);
      await prepareRoll(sqliteRollTarget(`${dir}/e.db`), {
        path: `${dir}/roll.csv`,
        codes: true,
        saveKey: async (key: Uint8Array) => void await createCodeKey(`${dir}/e.codes.key`, key),
        codesOut: `${dir}/codes.csv`,
        slips: { path: `${dir}/slips.html`, boothUrl: "https://vote.example/", title: "Ward 7" },
      });
      const codes = (await Deno.readTextFile(`${dir}/codes.csv`)).trim().split(/\r?\n/);
      assert.equal(codes.length, 7);
      const [id, , code] = codes[3].split(",");
      const page = await tb.browser.newPage();
      await page.goto(`file://${dir}/slips.html`);
      assert.equal(await page.locator(".slip").count(), 6);
      const slip = page.locator(`.slip[data-voter-id="${id}"]`);
      assert.match(await slip.innerText(), new RegExp(code));
      const png = await slip.locator("svg").screenshot();
      const image = await Image.decode(png);
      const qr = jsQR(new Uint8ClampedArray(image.bitmap), image.width, image.height);
      assert.ok(qr, "the QR code is readable");
      assert.equal(qr.data, `https://vote.example/#voterId=${id}&code=${code}`);
      if (Deno.env.get("UPDATE_SCREENSHOTS") === "1") {
        await page.setViewportSize({ width: 800, height: 300 });
        await page.locator(".slip").first().screenshot({ path: "docs/voter-slip.png" });
      }
    } finally {
      await tb.close();
      await Deno.remove(dir, { recursive: true });
    }
  },
});

Deno.test("the admin panel shows turnout against the roll and who has not voted yet", async () => {
  const dir = await Deno.makeTempDir({ prefix: "matdaan-roll-admin-" });
  const password = "correct horse battery";
  const cookieOf = (app: ReturnType<typeof createApp>) => signIn(app, password);
  const open = await openSqliteStore(`${dir}/open.db`, {});
  await writeRoll(`${dir}/roll.csv`, 4);
  await importTestRoll(sqliteRollTarget(`${dir}/roll.db`), {
    path: `${dir}/roll.csv`,
    codes: false,
    keyPath: `${dir}/roll.codes.key`,
  });
  const store = await openSqliteStore(`${dir}/roll.db`, { step: 1 });
  try {
    const openApp = createApp({
      store: open,
      admin: { auth: new AdminAuth(password), audit: new AuditLog(":memory:") },
    });
    const openPanel =
      await (await openApp.request("/admin", { headers: { cookie: await cookieOf(openApp) } }))
        .text();
    assert.match(openPanel, /anyone who can compute a valid voter ID\s+can vote/);

    const app = createApp({
      store,
      admin: { auth: new AdminAuth(password), audit: new AuditLog(":memory:") },
    });
    const res = await postVote(app, { name: "voter b", voterId: voterId(1), party: "aap" });
    assert.equal(res.status, 201);
    const cookie = await cookieOf(app);
    const panel = await (await app.request("/admin", { headers: { cookie } })).text();
    assert.match(panel, /25\.0% of the 4 voters on the electoral roll have voted/);
    assert.match(panel, /On the roll, not voted yet/);
    assert.doesNotMatch(panel, /anyone who can compute/);
    const found = await (await app.request("/admin?pending=voter+c", { headers: { cookie } }))
      .text();
    assert.match(found, new RegExp(voterId(2)));
    assert.doesNotMatch(found.slice(found.indexOf("not-voted-title")), new RegExp(voterId(3)));
    const bytes = new Uint8Array(
      await (await app.request("/admin/export/not-voted.csv", { headers: { cookie } }))
        .arrayBuffer(),
    );
    assert.deepEqual([...bytes.slice(0, 3)], [0xef, 0xbb, 0xbf], "a byte-order mark first");
    const csv = new TextDecoder().decode(bytes);
    assert.deepEqual(csv.trim().split("\r\n").map((l) => l.split(",")[0]), [
      "voter_id",
      ...[0, 2, 3].map(voterId).sort(),
    ]);
    const dashboard = await (await app.request("/results")).text();
    assert.match(
      dashboard,
      /25(\.0)?%<!-- -->? of the 4 voters on the electoral roll|25(\.0)?% of the 4 voters/,
    );
  } finally {
    await open.shutdown();
    await store.shutdown();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a stored election keeps its roll: the same file resumes, another needs --new-election", async () => {
  const dir = await Deno.makeTempDir({ prefix: "matdaan-roll-resume-" });
  try {
    const target = sqliteRollTarget(`${dir}/e.db`);
    await writeRoll(`${dir}/a.csv`, 5);
    await writeRoll(`${dir}/b.csv`, 6);
    const { roll } = await importTestRoll(target, {
      path: `${dir}/a.csv`,
      codes: false,
      keyPath: `${dir}/e.codes.key`,
    });
    const store = await openSqliteStore(`${dir}/e.db`, { step: 1 });
    await store.shutdown();
    assert.deepEqual(await prepareRoll(target, { path: `${dir}/a.csv`, codes: false }), roll);
    assert.deepEqual(await prepareRoll(target, { codes: false }), roll);
    await assert.rejects(
      prepareRoll(target, { path: `${dir}/b.csv`, codes: false }),
      (e: Error) => e instanceof ElectionMismatchError && /another electoral roll/.test(e.message),
    );
    await assert.rejects(
      prepareRoll(target, { path: `${dir}/a.csv`, codes: true, codesOut: `${dir}/c.csv` }),
      ElectionMismatchError,
    );
    const open = sqliteRollTarget(`${dir}/open.db`);
    await (await openSqliteStore(`${dir}/open.db`, {})).shutdown();
    await assert.rejects(
      prepareRoll(open, { path: `${dir}/a.csv`, codes: false }),
      /has no electoral roll/,
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("re-issuing a lost code: the old one stops working, the new one votes once, the audit log says so", async () => {
  const dir = await Deno.makeTempDir({ prefix: "matdaan-roll-reissue-" });
  const password = "correct horse battery";
  await writeRoll(`${dir}/roll.csv`, 5);
  const { codes } = await importTestRoll(sqliteRollTarget(`${dir}/e.db`), {
    path: `${dir}/roll.csv`,
    codes: true,
    keyPath: `${dir}/e.codes.key`,
  });
  const store = await openSqliteStore(`${dir}/e.db`, { step: 1 });
  const audit = new AuditLog(":memory:");
  const app = createApp({
    store,
    codesKey: await readCodeKey(`${dir}/e.codes.key`),
    admin: { auth: new AdminAuth(password), audit },
  });
  try {
    const cookie = await signIn(app, password);
    const reissue = (voterId: string) =>
      app.request("/admin/roll/reissue", {
        method: "POST",
        headers: { cookie, "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ voterId }),
      });
    const unauthenticated = await app.request("/admin/roll/reissue", { method: "POST" });
    assert.equal(unauthenticated.status, 401);
    await unauthenticated.body?.cancel();
    const page = await (await reissue(voterId(1).toLowerCase())).text();
    const fresh = page.match(/data-code="?[^>]*>([^<]+)</)?.[1];
    assert.ok(fresh && fresh !== codes.get(voterId(1)), "a new code is shown");
    const old = await postVote(app, {
      voterId: voterId(1),
      code: codes.get(voterId(1)),
      party: "aap",
    });
    assert.equal((await old.json()).error.code, "bad_code");
    const ok = await postVote(app, { voterId: voterId(1), code: fresh, party: "aap" });
    assert.equal(ok.status, 201);
    await ok.body?.cancel();
    const voted = await reissue(voterId(1));
    assert.equal(voted.status, 409);
    await voted.body?.cancel();
    const stranger = await reissue(voterId(900));
    assert.equal(stranger.status, 403);
    await stranger.body?.cancel();
    assert.ok(audit.recent(10).some((e) => e.event === "reissue-code"));
  } finally {
    await store.shutdown();
    await Deno.remove(dir, { recursive: true });
  }
});

/** A roll of 6,000 good voters (so a first chunk is stored) and one bad row at the end. */
async function writeLateBadRoll(path: string) {
  await writeRoll(path, 6000);
  await Deno.writeTextFile(path, "WKH1186263,Bad Check,30,x\r\n", { append: true });
}

Deno.test("an import error after stored chunks leaves no election behind (SQLite)", async () => {
  const dir = await Deno.makeTempDir({ prefix: "matdaan-roll-late-" });
  try {
    await writeLateBadRoll(`${dir}/roll.csv`);
    await assert.rejects(
      prepareRoll(sqliteRollTarget(`${dir}/e.db`), {
        path: `${dir}/roll.csv`,
        codes: true,
        saveKey: (key) => createCodeKey(`${dir}/e.codes.key`, key).then(() => {}),
        codesOut: `${dir}/codes.csv`,
      }),
      (e: Error) =>
        e instanceof RollFileError && /line 6002: voter_id "WKH1186263"/.test(e.message),
    );
    for (const file of ["e.db", "e.db-wal", "e.codes.key", "codes.csv", "codes.csv.partial"]) {
      assert.equal(await exists(`${dir}/${file}`), false, `${file} is left behind`);
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test({
  name: "an import error after stored chunks leaves no election behind (PostgreSQL)",
  ignore: !await postgresAvailable(),
  async fn() {
    const dbs = await testDatabases();
    const dir = await Deno.makeTempDir({ prefix: "matdaan-roll-late-pg-" });
    const sql = postgres(await dbs.create(), { max: 1, onnotice: () => {} });
    try {
      await writeLateBadRoll(`${dir}/roll.csv`);
      const target = postgresRollTarget(sql);
      await assert.rejects(
        prepareRoll(target, { path: `${dir}/roll.csv`, codes: false }),
        RollFileError,
      );
      assert.deepEqual(await inspectPostgresElection(sql), { election: false, roll: null });
      const [{ exists }] = await sql`SELECT to_regclass('roll') IS NOT NULL AS exists`;
      assert.equal(exists, false);
    } finally {
      await sql.end({ timeout: 5 });
      await dbs.dispose();
      await Deno.remove(dir, { recursive: true });
    }
  },
});

Deno.test({
  name: "a slip's link opens the booth in Chromium with ID and code filled in, and the vote counts",
  ignore: !browserAvailable(),
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    const dir = await Deno.makeTempDir({ prefix: "matdaan-roll-booth-" });
    await writeRoll(`${dir}/roll.csv`, 3);
    const server = await startServer([
      "--db",
      `${dir}/e.db`,
      "--roll",
      `${dir}/roll.csv`,
      "--codes",
      "--codes-out",
      `${dir}/codes.csv`,
    ]);
    const tb = await launchBrowser();
    try {
      assert.match(
        server.output(),
        /Electoral roll: 3 voter\(s\), each with a one-time voting code/,
      );
      const [id, , code] = (await Deno.readTextFile(`${dir}/codes.csv`)).split(/\r?\n/)[2]
        .split(",");
      const page = await tb.browser.newPage();
      await page.goto(slipLink(`${server.url}/`, { voterId: id, name: "", code }));
      await page.locator('[data-island="VoteBooth"][data-hydrated]').waitFor();
      assert.equal(await page.locator("#voterId").inputValue(), id);
      assert.equal(await page.locator("#code").inputValue(), code);
      assert.equal(new URL(page.url()).hash, "", "the code leaves the address bar");
      assert.equal(await page.locator("#age").count(), 0);
      await page.getByRole("button", { name: "Vote for AAP" }).click();
      await page.getByRole("button", { name: "Confirm vote" }).click();
      await page.getByRole("heading", { name: /your vote is counted/i }).waitFor();
      const tally = await (await fetch(`${server.url}/api/tally`)).json();
      assert.equal(tally.total, 1);
      const dashboard = await (await fetch(`${server.url}/results`)).text();
      assert.match(dashboard, /33\.3%.*of the 3 voters on the electoral roll/s);
    } finally {
      await tb.close();
      await server.stop();
      await Deno.remove(dir, { recursive: true });
    }
  },
});

Deno.test("a roll with a stray quote, a formula behind spaces or a column named twice is refused, not hung", async (t) => {
  const dir = await Deno.makeTempDir({ prefix: "matdaan-roll-bad-" });
  const good = Array.from({ length: 5_000 }, (_, i) => `${voterId(i)},Voter ${i},30,Pune`);
  const cases: [string, string[], RegExp][] = [
    [
      "a stray quote in an unquoted cell",
      [...good, `${voterId(9999)},a"b"c,30,x`],
      /not valid CSV/,
    ],
    [
      "a formula behind a space",
      [`${voterId(1)},Asha,30," =1+1"`],
      /looks like a spreadsheet formula/,
    ],
    [
      "a formula behind a line break",
      [`${voterId(1)},Asha,30,"\n@SUM(A1)"`],
      /spreadsheet formula/,
    ],
  ];
  try {
    for (const [name, rows, problem] of cases) {
      await t.step(name, async () => {
        await Deno.writeTextFile(
          `${dir}/roll.csv`,
          ["voter_id,name,age,address", ...rows].join("\n"),
        );
        // A deadline: a hang fails the test instead of stalling the suite.
        const checked = checkRollFile(`${dir}/roll.csv`);
        let timer: ReturnType<typeof setTimeout> | undefined;
        const hung = new Promise((_, reject) => {
          timer = setTimeout(() => reject(new Error("the check hung")), 20_000);
        });
        try {
          await assert.rejects(Promise.race([checked, hung]), (e: Error) => {
            assert.ok(e instanceof RollFileError, e.message);
            assert.match(e.message, problem);
            return true;
          });
        } finally {
          clearTimeout(timer);
        }
      });
    }
    await t.step("a column named twice", async () => {
      await Deno.writeTextFile(
        `${dir}/roll.csv`,
        `voter_id,name,age,voter_id\n${voterId(1)},A,30,x\n`,
      );
      await assert.rejects(checkRollFile(`${dir}/roll.csv`), /names voter_id twice/);
    });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("reading a large roll leaves no listeners behind (no MaxListenersExceededWarning on the organiser's terminal)", async () => {
  const dir = await Deno.makeTempDir({ prefix: "matdaan-roll-listeners-" });
  const warnings: string[] = [];
  const onWarning = (w: Error) => warnings.push(`${w.name}: ${w.message}`);
  process.on("warning", onWarning);
  try {
    // Big enough that the parser asks the reader to wait (drain) many times.
    await writeRoll(`${dir}/roll.csv`, 40_000);
    const summary = await checkRollFile(`${dir}/roll.csv`);
    assert.equal(summary.voters, 40_000);
    // Warnings are emitted on the next tick.
    await new Promise((r) => setTimeout(r, 0));
    assert.deepEqual(warnings, []);
  } finally {
    process.off("warning", onWarning);
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("slips written without --public-url come with a note: they point to localhost", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await writeRoll(`${dir}/roll.csv`, 3);
    const roll = ["--roll", `${dir}/roll.csv`, "--codes", "--codes-out"];
    const bare = await startServer([
      "--db",
      `${dir}/a.db`,
      ...roll,
      `${dir}/a.csv`,
      "--slips",
      `${dir}/a.html`,
    ]);
    await bare.stop();
    assert.match(
      bare.output(),
      /Note: the slips point voters to http:\/\/localhost:\d+\/, which their phones cannot reach/,
    );
    const told = await startServer([
      "--db",
      `${dir}/b.db`,
      ...roll,
      `${dir}/b.csv`,
      "--slips",
      `${dir}/b.html`,
      "--public-url",
      "https://vote.example/",
    ]);
    await told.stop();
    assert.doesNotMatch(told.output(), /Note: the slips/);
    assert.match(await Deno.readTextFile(`${dir}/b.html`), /https:\/\/vote\.example\//);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
