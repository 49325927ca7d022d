/**
 * Exports people open in a spreadsheet: a UTF-8 byte-order mark, Hindi names
 * intact, one table per file, times with the election's offset, and the
 * public download of the result only after the close.
 */
import assert from "node:assert/strict";
import { createApp } from "../app.ts";
import { AdminAuth } from "../lib/admin/admin_auth.ts";
import { AuditLog } from "../lib/admin/audit_log.ts";
import { openSqliteStore } from "../lib/store/sqlite/sqlite_store.ts";
import { DEFAULT_PARTIES } from "../lib/election/parties.ts";
import { ballot } from "./_voters.ts";
import { signIn } from "./_app.ts";

const PASSWORD = "correct horse battery";
const HINDI_PARTY = "भारतीय जनता पार्टी";
const HINDI_VOTER = "अनन्या पिल्लई";
const BOM = [0xef, 0xbb, 0xbf];

async function exportsApp() {
  const dir = await Deno.makeTempDir({ prefix: "matdaan-exports-" });
  const parties = DEFAULT_PARTIES.map((p) => p.id === "bjp" ? { ...p, name: HINDI_PARTY } : p);
  const store = await openSqliteStore(`${dir}/e.db`, { limit: 10, parties, step: 1 });
  const audit = new AuditLog(":memory:");
  const app = createApp({
    store,
    admin: { auth: new AdminAuth(PASSWORD), audit },
    timeZone: "Asia/Kolkata",
  });
  const cookie = await signIn(app, PASSWORD);
  return {
    app,
    store,
    cookie,
    async dispose() {
      await store.shutdown();
      audit.close();
      await Deno.remove(dir, { recursive: true });
    },
  };
}

/** The raw bytes, checked for the BOM, then decoded (text() would drop the BOM silently). */
async function csvWithBom(res: Response): Promise<string> {
  assert.equal(res.status, 200);
  assert.equal(res.headers.get("content-type"), "text/csv; charset=utf-8");
  const bytes = new Uint8Array(await res.arrayBuffer());
  assert.deepEqual([...bytes.slice(0, 3)], BOM, "starts with the UTF-8 byte-order mark");
  return new TextDecoder("utf-8", { ignoreBOM: true }).decode(bytes.slice(3));
}

Deno.test("result.csv is one table with a BOM and the Hindi party name; the summary names the winner", async () => {
  const a = await exportsApp();
  try {
    await a.store.cast(ballot(1, "bjp"));
    await a.store.cast(ballot(2, "bjp"));
    await a.store.cast(ballot(3, "nota"));
    await a.store.close("admin");
    const headers = { cookie: a.cookie };
    const csv = await csvWithBom(await a.app.request("/admin/export/result.csv", { headers }));
    const rows = csv.trimEnd().split("\r\n");
    assert.deepEqual(rows, [
      "party,name,votes,share",
      `bjp,${HINDI_PARTY},2,66.7%`,
      "congress,Congress,0,0.0%",
      "aap,AAP,0,0.0%",
      "nota,NOTA,1,33.3%",
    ]);
    const summary = await csvWithBom(await a.app.request("/admin/export/summary.csv", { headers }));
    assert.match(summary, /^item,value\r\n/);
    assert.match(summary, new RegExp(`\\r\\nwinner,${HINDI_PARTY}\\r\\n`));
    assert.match(summary, /\r\ntotal,3\r\n/);
    assert.match(summary, /\r\nexported_at,\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+05:30\r\n/);
    const json = await (await a.app.request("/admin/export/result.json", { headers })).json();
    assert.deepEqual(json.winner, { id: "bjp", name: HINDI_PARTY });
    assert.equal(json.total, 3);
    assert.equal(json.status, "closed");
    assert.equal(json.closedReason, "admin");
    assert.equal(json.timeZone, "Asia/Kolkata");
  } finally {
    await a.dispose();
  }
});

Deno.test("turnout.csv has a BOM, the Hindi voter's name, and the step (no time, no sequence)", async () => {
  const a = await exportsApp();
  try {
    await a.store.cast({ ...ballot(1, "aap"), name: HINDI_VOTER });
    const res = await a.app.request("/admin/export/turnout.csv", { headers: { cookie: a.cookie } });
    const rows = (await csvWithBom(res)).trimEnd().split("\r\n");
    assert.equal(rows[0], "step,voter_id,name,age,address");
    const [step, , name] = rows[1].split(",");
    assert.equal(step, "1");
    assert.equal(name, HINDI_VOTER);
  } finally {
    await a.dispose();
  }
});

Deno.test("the public result download: 404 while voting is open, the files without a session after the close", async () => {
  const a = await exportsApp();
  try {
    await a.store.cast(ballot(1, "congress"));
    for (const file of ["result.csv", "result.json", "summary.csv"]) {
      const res = await a.app.request(`/results/${file}`);
      assert.equal(res.status, 404, file);
      assert.match((await res.json()).error.message, /once voting has closed/);
    }
    await a.store.close("admin");
    const csv = await csvWithBom(await a.app.request("/results/result.csv"));
    assert.match(csv, /^party,name,votes,share\r\nbjp,/);
    const res = await a.app.request("/results/result.json");
    assert.match(
      res.headers.get("content-disposition") ?? "",
      /attachment; filename="result.json"/,
    );
    assert.equal((await res.json()).winner.name, "Congress");
    const summary = await csvWithBom(await a.app.request("/results/summary.csv"));
    assert.match(summary, /\r\nwinner,Congress\r\n/);
    const other = await a.app.request("/results/turnout.csv");
    assert.equal(other.status, 404, "the register is never public");
    await other.body?.cancel();
  } finally {
    await a.dispose();
  }
});
