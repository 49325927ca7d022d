/**
 * Importing the electoral roll from the admin panel, on SQLite and
 * PostgreSQL: the attacks (no session, a forged form, an upload after the
 * first vote, a malformed CSV, a too-large file, a vote racing the import,
 * an instance that did not see the import) are each refused with nothing
 * stored; a good roll is previewed, imported, and its codes given once.
 */
import assert from "node:assert/strict";
import type { Hono } from "hono";
import { parse } from "csv-parse/sync";
import { createApp } from "../app.ts";
import { AdminAuth } from "../lib/admin/admin_auth.ts";
import { AuditLog } from "../lib/admin/audit_log.ts";
import { RollUploads } from "../lib/admin/roll_uploads.ts";
import { openSqliteStore } from "../lib/store/sqlite/sqlite_store.ts";
import { openPostgresStore } from "../lib/store/postgres/postgres_store.ts";
import type { ElectionRequest, ElectionStore } from "../lib/store/store.ts";
import { postgresAvailable, testDatabases } from "./_postgres.ts";
import { ballot, voterId } from "./_voters.ts";
import { signIn } from "./_app.ts";

const PASSWORD = "roll panel test password";

interface Panel {
  app: Hono;
  store: ElectionStore;
  audit: AuditLog;
  cookie: string;
  staging: string;
  dir: string;
  dispose(): Promise<void>;
}

type OpenStore = (request: ElectionRequest) => Promise<ElectionStore>;

async function panel(open: OpenStore, request: ElectionRequest = {}): Promise<Panel> {
  const dir = await Deno.makeTempDir({ prefix: "matdaan-roll-panel-" });
  const store = await open({ step: 1, ...request });
  const audit = new AuditLog(":memory:");
  const staging = `${dir}/staging`;
  const uploads = await RollUploads.open({
    dir: staging,
    maxBytes: 256 * 1024,
    saveKey: (key) => Deno.writeFile(`${dir}/codes.key`, key),
  });
  const app = createApp({
    store,
    admin: { auth: new AdminAuth(PASSWORD), audit },
    rollUploads: uploads,
  });
  return {
    app,
    store,
    audit,
    cookie: await signIn(app, PASSWORD),
    staging,
    dir,
    async dispose() {
      await store.shutdown();
      await Deno.remove(dir, { recursive: true });
    },
  };
}

function rollCsv(count: number, from = 0): string {
  const lines = ["voter_id,name,age,address"];
  for (let n = from; n < from + count; n++) {
    lines.push(`${voterId(n)},${ballot(n).name},30,"${n} Roll Road, Pune"`);
  }
  return lines.join("\r\n") + "\r\n";
}

function upload(
  p: Panel,
  csv: string,
  options: { codes?: boolean; headers?: Record<string, string> } = {},
) {
  const form = new FormData();
  form.set("codes", options.codes === false ? "no" : "yes");
  form.set("roll", new File([csv], "roll.csv", { type: "text/csv" }));
  return Promise.resolve(p.app.request("/admin/roll/upload", {
    method: "POST",
    headers: { cookie: p.cookie, ...options.headers },
    body: form,
  }));
}

function postForm(p: Panel, path: string, fields: Record<string, string>) {
  return Promise.resolve(p.app.request(path, {
    method: "POST",
    headers: { cookie: p.cookie, "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams(fields),
  }));
}

function tokenOf(html: string): string {
  const token = html.match(/name="token" value="([0-9a-f]+)"/)?.[1];
  assert.ok(token, "the preview carries the upload's token");
  return token;
}

async function staged(p: Panel): Promise<string[]> {
  return (await Array.fromAsync(Deno.readDir(p.staging))).map((e) => e.name);
}

function vote(p: Panel, body: object) {
  return Promise.resolve(p.app.request("/api/votes", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  }));
}

/** The store's roll now (a function, so checks before and after an import are not narrowed). */
function rollOf(store: ElectionStore) {
  return store.roll;
}

async function errorCode(res: Response): Promise<string> {
  return res.status === 201 ? "ok" : (await res.json()).error.code;
}

/** The steps both stores pass. */
async function panelContract(t: Deno.TestContext, open: OpenStore) {
  await t.step("an upload without a session is refused: 401, nothing read or stored", async () => {
    const p = await panel(open);
    try {
      const form = new FormData();
      form.set("roll", new File([rollCsv(3)], "roll.csv"));
      const res = await p.app.request("/admin/roll/upload", { method: "POST", body: form });
      assert.equal(res.status, 401);
      await res.body?.cancel();
      const confirm = await p.app.request("/admin/roll/confirm", {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: "token=00",
      });
      assert.equal(confirm.status, 401);
      await confirm.body?.cancel();
      assert.deepEqual(await staged(p), []);
      assert.equal(p.store.roll, null);
    } finally {
      await p.dispose();
    }
  });

  await t.step(
    "a forged form is refused: another site's post 403, a made-up token 409",
    async () => {
      const p = await panel(open);
      try {
        const res = await upload(p, rollCsv(3), {
          headers: { origin: "https://evil.example", "sec-fetch-site": "cross-site" },
        });
        assert.equal(res.status, 403);
        await res.body?.cancel();
        assert.deepEqual(await staged(p), []);
        // A good upload, then a confirmation with another token and one from another site.
        const preview = await upload(p, rollCsv(3));
        assert.equal(preview.status, 200);
        const token = tokenOf(await preview.text());
        const forged = await postForm(p, "/admin/roll/confirm", { token: "0".repeat(32) });
        assert.equal(forged.status, 409);
        assert.match(await forged.text(), /no longer waiting/);
        const traversal = await postForm(p, "/admin/roll/confirm", { token: "../../election.db" });
        assert.equal(traversal.status, 409);
        await traversal.body?.cancel();
        const crossSite = await p.app.request("/admin/roll/confirm", {
          method: "POST",
          headers: {
            cookie: p.cookie,
            origin: "https://evil.example",
            "content-type": "application/x-www-form-urlencoded",
          },
          body: new URLSearchParams({ token }),
        });
        assert.equal(crossSite.status, 403);
        await crossSite.body?.cancel();
        assert.equal(p.store.roll, null);
        assert.equal(p.audit.recent().filter((e) => e.event === "roll-import").length, 0);
      } finally {
        await p.dispose();
      }
    },
  );

  await t.step("a malformed CSV: each problem with its line, 422, nothing kept", async () => {
    const p = await panel(open);
    try {
      const bad = [
        "voter_id,name,age",
        `${voterId(0)},Asha Rao,34`,
        "WKH1186263,Ravi Kumar,40", // wrong check digit
        `${voterId(2)},=cmd(),abc`,
        `${voterId(0)},Asha Rao,34`, // duplicate
        ...Array.from({ length: 25 }, (_, i) => `${voterId(100 + i)},Voter,300`),
      ].join("\n");
      const res = await upload(p, bad);
      assert.equal(res.status, 422);
      const html = await res.text();
      assert.match(html, /<title>Error:/);
      assert.match(html, /line 3: voter_id &quot;WKH1186263&quot; is not an EPIC number/);
      assert.match(html, /line 4: name &quot;=cmd\(\)&quot; looks like a spreadsheet formula/);
      assert.match(html, /line 5: voter ID [A-Z0-9]+ is already on line 2/);
      assert.match(html, /has 28 problem\(s\)/);
      assert.match(html, /… and 8 more\./);
      assert.deepEqual(await staged(p), []);
      // The same problems in Hindi, for an administrator who reads Hindi.
      const hindi = await upload(p, bad, { headers: { "accept-language": "hi" } });
      assert.equal(hindi.status, 422);
      const hindiPage = await hindi.text();
      assert.match(hindiPage, /<h1[^>]*>सूची अस्वीकार कर दी गई<\/h1>/);
      assert.match(
        hindiPage,
        /पंक्ति ३: voter_id &quot;WKH1186263&quot; सही जाँच अंक वाली EPIC संख्या नहीं है/,
      );
      assert.match(hindiPage, /पंक्ति ५: मतदाता पहचान पत्र संख्या [A-Z0-9]+ पंक्ति २ पर पहले से है/);
      const empty = await upload(p, "");
      assert.equal(empty.status, 422);
      assert.match(await empty.text(), /the file is empty/);
      const noFile = new FormData();
      noFile.set("roll", new File([], "")); // what a browser sends when no file was chosen
      const none = await p.app.request("/admin/roll/upload", {
        method: "POST",
        headers: { cookie: p.cookie },
        body: noFile,
      });
      assert.equal(none.status, 400);
      assert.match(await none.text(), /No file was chosen/);
      const header = await upload(p, "id,name\nWKH1186253,Asha\n");
      assert.equal(header.status, 422);
      assert.match(await header.text(), /missing voter_id, age/);
      assert.equal(p.store.roll, null);
    } finally {
      await p.dispose();
    }
  });

  await t.step("a file over the upload limit: 413, nothing kept", async () => {
    const p = await panel(open);
    try {
      const res = await upload(p, rollCsv(6000)); // about 300 KiB, over the test's 256 KiB
      assert.equal(res.status, 413);
      assert.match(await res.text(), /larger than the upload limit of 256 KiB/);
      assert.deepEqual(await staged(p), []);
      assert.equal(p.store.roll, null);
    } finally {
      await p.dispose();
    }
  });

  await t.step(
    "preview, confirm, codes once: only listed voters with their code vote",
    async () => {
      const p = await panel(open);
      try {
        const preview = await upload(p, rollCsv(30));
        assert.equal(preview.status, 200);
        const html = await preview.text();
        assert.match(html, /roll\.csv: 30 voters; every row passed the checks/);
        assert.ok(html.includes(voterId(0)) && html.includes(voterId(4)), "the first rows");
        assert.ok(!html.includes(voterId(5)), "only the first five rows");
        assert.equal(p.store.roll, null, "nothing stored before the confirmation");
        const done = await postForm(p, "/admin/roll/confirm", { token: tokenOf(html) });
        assert.equal(done.status, 200);
        const page = await done.text();
        assert.match(page, /30 voters are on the roll/);
        assert.deepEqual(
          { voters: rollOf(p.store)?.voters, codes: rollOf(p.store)?.codes },
          { voters: 30, codes: true },
        );
        const again = await postForm(p, "/admin/roll/confirm", { token: tokenOf(html) });
        assert.equal(again.status, 409, "one confirmation per upload");
        await again.body?.cancel();
        const links = [...page.matchAll(/href="(\/admin\/roll\/download\/[0-9a-f]+)"/g)].map((m) =>
          m[1]
        );
        assert.equal(links.length, 2);
        const codesRes = await p.app.request(links[0], { headers: { cookie: p.cookie } });
        assert.equal(codesRes.status, 200);
        assert.match(codesRes.headers.get("content-disposition")!, /voting-codes\.csv/);
        const rows = parse(await codesRes.text(), { columns: true, bom: true }) as {
          voter_id: string;
          code: string;
        }[];
        assert.equal(rows.length, 30);
        const slips = await p.app.request(links[1], { headers: { cookie: p.cookie } });
        assert.match(await slips.text(), /<svg/);
        for (const link of links) {
          const twice = await p.app.request(link, { headers: { cookie: p.cookie } });
          assert.equal(twice.status, 404, "each file is given once");
          await twice.body?.cancel();
        }
        assert.deepEqual(await staged(p), [], "no codes left on disk");
        const noSession = await p.app.request(links[0]);
        assert.equal(noSession.status, 401);
        await noSession.body?.cancel();
        // The booth asks for the code now, and only listed voters with their code vote.
        assert.match(await (await p.app.request("/")).text(), /name="code"/);
        const [first, second] = rows;
        assert.equal(
          await errorCode(
            await vote(p, { voterId: first.voter_id, code: second.code, party: "aap" }),
          ),
          "bad_code",
        );
        assert.equal(
          await errorCode(await vote(p, { ...ballot(500), code: first.code, party: "aap" })),
          "bad_code",
        );
        assert.equal(
          await errorCode(
            await vote(p, { voterId: first.voter_id, code: first.code, party: "aap" }),
          ),
          "ok",
        );
        const events = p.audit.recent().map((e) => e.event);
        assert.ok(events.includes("roll-import"));
        assert.equal(events.filter((e) => e === "roll-download").length, 2);
        // A second roll is refused, even before its file is read.
        const second2 = await upload(p, rollCsv(3, 100));
        assert.equal(second2.status, 409);
        assert.match(await second2.text(), /already has an electoral roll/);
      } finally {
        await p.dispose();
      }
    },
  );

  await t.step("without codes: names are matched, nothing to download", async () => {
    const p = await panel(open);
    try {
      const preview = await upload(p, rollCsv(3), { codes: false });
      const done = await postForm(p, "/admin/roll/confirm", {
        token: tokenOf(await preview.text()),
      });
      assert.equal(done.status, 200);
      assert.ok(!(await done.text()).includes("/admin/roll/download/"));
      assert.deepEqual(p.store.roll && { ...p.store.roll, fingerprint: "" }, {
        voters: 3,
        codes: false,
        fingerprint: "",
      });
      assert.equal(await errorCode(await vote(p, ballot(0))), "ok");
      assert.equal(await errorCode(await vote(p, ballot(7))), "not_on_roll");
    } finally {
      await p.dispose();
    }
  });

  await t.step(
    "after the first vote: refused at upload, or at confirm (votes hidden in a step)",
    async () => {
      const p = await panel(open);
      try {
        assert.equal(await errorCode(await vote(p, ballot(900))), "ok");
        const res = await upload(p, rollCsv(3));
        assert.equal(res.status, 409);
        assert.match(await res.text(), /only before the first vote/);
        assert.deepEqual(await staged(p), []);
      } finally {
        await p.dispose();
      }
      // Steps of 10: the panel cannot see one vote, so the store's transaction refuses.
      const q = await panel(open, { step: 10 });
      try {
        const preview = await upload(q, rollCsv(3));
        assert.equal(preview.status, 200);
        const token = tokenOf(await preview.text());
        assert.equal(await errorCode(await vote(q, ballot(900))), "ok");
        const res = await postForm(q, "/admin/roll/confirm", { token });
        assert.equal(res.status, 409);
        assert.match(await res.text(), /only before the first vote/);
        assert.equal(q.store.roll, null);
        assert.deepEqual(await staged(q), []);
        assert.deepEqual(q.audit.recent()[0].event, "roll-import-refused");
        // Still an open election: an unlisted voter votes.
        assert.equal(await errorCode(await vote(q, ballot(901))), "ok");
      } finally {
        await q.dispose();
      }
    },
  );

  await t.step("votes racing the import: either the roll or the votes, never both", async () => {
    for (let round = 0; round < 3; round++) {
      const p = await panel(open, { step: 10 });
      try {
        const preview = await upload(p, rollCsv(2000, 10_000), { codes: false });
        const token = tokenOf(await preview.text());
        // Voters 0…39 are not on the roll: with the roll stored, every one is refused.
        const [confirm, ...votes] = await Promise.all([
          postForm(p, "/admin/roll/confirm", { token }),
          ...Array.from({ length: 40 }, (_, i) => vote(p, ballot(i))),
        ]);
        const codes = await Promise.all(votes.map(errorCode));
        await confirm.body?.cancel();
        const accepted = codes.filter((c) => c === "ok").length;
        if (confirm.status === 200) {
          assert.equal(p.store.roll?.voters, 2000);
          assert.equal(accepted, 0, `no unlisted vote once the roll is in (${codes})`);
          assert.ok(codes.every((c) => c === "not_on_roll"));
        } else {
          assert.equal(confirm.status, 409);
          assert.equal(p.store.roll, null);
          assert.equal(accepted, 40);
        }
      } finally {
        await p.dispose();
      }
    }
  });
}

Deno.test("roll import from the admin panel (SQLite)", async (t) => {
  await panelContract(t, async (request) => {
    const dir = await Deno.makeTempDir({ prefix: "matdaan-roll-db-" });
    return openSqliteStore(`${dir}/election.db`, request);
  });
});

Deno.test({
  name: "roll import from the admin panel (PostgreSQL)",
  ignore: !await postgresAvailable(),
  async fn(t) {
    const dbs = await testDatabases();
    try {
      await panelContract(t, async (request) => openPostgresStore(await dbs.create(), request));
      await t.step("an instance that did not see the import refuses unlisted voters", async () => {
        const url = await dbs.create();
        const a = await panel(() => openPostgresStore(url, { step: 10 }));
        const other = await openPostgresStore(url, {});
        try {
          assert.equal(other.roll, null);
          const preview = await upload(a, rollCsv(5), { codes: false });
          const done = await postForm(a, "/admin/roll/confirm", {
            token: tokenOf(await preview.text()),
          });
          assert.equal(done.status, 200);
          await done.body?.cancel();
          // The other instance still believes the election is open; its batch finds the roll.
          await assert.rejects(other.cast(ballot(700)), { code: "not_on_roll" });
          assert.equal(rollOf(other)?.voters, 5);
          const { nameKey } = await import("../lib/election/roll.ts");
          const receipt = await other.cast(ballot(1), { nameKey: nameKey(ballot(1).name) });
          assert.ok(receipt.receipt);
        } finally {
          await other.shutdown();
          await a.dispose();
        }
      });
    } finally {
      await dbs.dispose();
    }
  },
});
