/**
 * Tampering with a closed election's files is detected: an edited counter
 * (at start and by `recount`), moved ballots (by `recount`, against the
 * audit log's close entry), and a rewritten audit chain (by `audit-verify`
 * and `recount`, since the chain is keyed with a key not in the files).
 */
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { DatabaseSync } from "node:sqlite";
import { BUCKET_SLOTS } from "../lib/store/sqlite/ballot_box.ts";
import { fileURLToPath } from "node:url";
import { runMain, startServer } from "./_server.ts";
import { waitFor } from "./_wait.ts";
import { sendVote } from "./_voters.ts";

const KEY = "test-audit-key-".padEnd(40, "x");
const ENV = { MATDAAN_AUDIT_KEY: KEY };
const VOTES = 20;

function script(name: string): string {
  return fileURLToPath(new URL(`../scripts/${name}.ts`, import.meta.url));
}

async function run(name: string, db: string) {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "--allow-all", script(name), "--db", db],
    env: ENV,
    stdin: "null",
  }).output();
  const text = new TextDecoder();
  return { code: out.code, stdout: text.decode(out.stdout), stderr: text.decode(out.stderr) };
}

/** A closed election of VOTES votes (bjp wins 12 to 8), with its close entry in the audit log. */
async function closedElection(dir: string): Promise<string> {
  const db = `${dir}/election.db`;
  const server = await startServer(["--db", db, "--limit", String(VOTES)], { env: ENV });
  for (let n = 0; n < VOTES; n++) {
    const res = await sendVote(server.url, 5000 + n, n < 12 ? "bjp" : "aap");
    assert.equal(res.status, 201);
    await res.body?.cancel();
  }
  const audit = new DatabaseSync(`${dir}/election.audit.db`, { readOnly: true });
  const closeEntry = audit.prepare("SELECT 1 FROM audit WHERE event = 'close'");
  await waitFor(() => closeEntry.get() !== undefined, 10_000, { what: "the close entry" });
  audit.close();
  assert.equal(Deno.statSync(`${dir}/election.audit.db`).mode! & 0o777, 0o600);
  const tally = await (await fetch(`${server.url}/api/tally`)).json();
  assert.match(tally.audit.head, /^[0-9a-f]{64}$/);
  assert.equal(await server.stop(), 0);
  return db;
}

async function copyElection(from: string, dir: string): Promise<string> {
  await Deno.mkdir(dir);
  await Deno.copyFile(from, `${dir}/election.db`);
  await Deno.copyFile(from.replace(/\.db$/, ".audit.db"), `${dir}/election.audit.db`);
  return `${dir}/election.db`;
}

Deno.test("recount agrees with an untouched election and detects every tampering", async (t) => {
  const dir = await Deno.makeTempDir({ prefix: "matdaan-recount-" });
  try {
    const db = await closedElection(dir);

    await t.step("an untouched election recounts to the same result, exit 0", async () => {
      const r = await run("recount", db);
      assert.equal(r.code, 0, r.stderr);
      const tally = JSON.parse(r.stdout);
      assert.deepEqual(tally.parties.map((p: { votes: number }) => p.votes), [12, 0, 8, 0]);
      assert.equal(tally.result.winner, "bjp");
      assert.match(r.stderr, /agree/);
    });

    await t.step("an edited counter is refused at start and by recount", async () => {
      const copy = await copyElection(db, `${dir}/counter`);
      const file = new DatabaseSync(copy);
      file.exec("UPDATE counts SET votes = votes + 500 WHERE party = 'aap'");
      file.close();
      const r = await run("recount", copy);
      assert.equal(r.code, 1);
      assert.match(r.stderr, /aap counter 508, ballots 8 \(counter \+500\)/);
      const start = await runMain(["--db", copy, "--port", "0"]);
      assert.equal(start.code, 1);
      assert.match(start.stderr, /aap counter 508, ballots 8 \(counter \+500\)/);
      const audit = new DatabaseSync(copy.replace(/\.db$/, ".audit.db"), { readOnly: true });
      const last = audit.prepare("SELECT event, detail FROM audit ORDER BY seq DESC LIMIT 1").get();
      audit.close();
      assert.equal(last?.event, "recount-mismatch");
      assert.match(String(last?.detail), /\+500/);
    });

    await t.step(
      "moved ballots (counters moved to match) are caught by the close entry",
      async () => {
        const copy = await copyElection(db, `${dir}/moved`);
        const file = new DatabaseSync(copy);
        moveBallots(file, "bjp", "aap", 5);
        file.exec(`UPDATE counts SET votes = 7 WHERE party = 'bjp';
        UPDATE counts SET votes = 13 WHERE party = 'aap';`);
        file.close();
        const r = await run("recount", copy);
        assert.equal(r.code, 1);
        assert.match(r.stderr, /close entry \(\d+\) records another result: bjp 12 there, 7/);
        assert.match(r.stderr, /digest/);
      },
    );

    await t.step(
      "a rewritten audit chain (triggers dropped, re-chained without the key) is caught",
      async () => {
        const copy = await copyElection(db, `${dir}/chain`);
        const path = copy.replace(/\.db$/, ".audit.db");
        const log = new DatabaseSync(path);
        log.exec("DROP TRIGGER audit_no_update; DROP TRIGGER audit_no_delete");
        const rows = log.prepare("SELECT * FROM audit ORDER BY seq").all();
        let prev = "0".repeat(64);
        for (const row of rows) {
          const detail = row.event === "close"
            ? JSON.stringify({ ...JSON.parse(String(row.detail)), parties: { bjp: 8, aap: 12 } })
            : String(row.detail);
          const body = JSON.stringify([
            row.seq,
            row.time,
            row.actor,
            row.address,
            row.event,
            detail,
          ]);
          const hash = createHash("sha256").update(prev).update("\n").update(body).digest("hex");
          log.prepare("UPDATE audit SET detail = ?, prev_hash = ?, hash = ? WHERE seq = ?")
            .run(detail, prev, hash, row.seq as number);
          prev = hash;
        }
        log.close();
        const verify = await run("audit_verify", copy);
        assert.equal(verify.code, 1);
        assert.match(verify.stderr, /tampered with: entry 1 was changed/);
        const r = await run("recount", copy);
        assert.equal(r.code, 1);
        assert.match(r.stderr, /tampered/);
      },
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

/** Rewrites `n` ballots for `from` as ballots for `to`, inside the box's buckets (the party code byte of each slot). */
function moveBallots(file: DatabaseSync, from: string, to: string, n: number) {
  const code = (party: string) =>
    (file.prepare("SELECT code FROM box_parties WHERE party = ?").get(party) as { code: number })
      .code;
  const [a, b] = [code(from), code(to)];
  for (const row of file.prepare("SELECT bucket, slots FROM ballot_box").all()) {
    const slots = row.slots as Uint8Array;
    for (let at = 4; at < BUCKET_SLOTS * 5 && n > 0; at += 5) {
      if (slots[at] === a) slots[at] = b, n--;
    }
    file.prepare("UPDATE ballot_box SET slots = ? WHERE bucket = ?").run(slots, row.bucket);
  }
  assert.equal(n, 0, "not enough ballots to move");
}
