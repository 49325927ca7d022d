/**
 * Sign-in throttling holds under parallel guesses, and one client's guesses
 * never lock the administrator out (here through a trusted proxy, where
 * every client has the proxy's address).
 */
import assert from "node:assert/strict";
import { createApp } from "../app.ts";
import { AdminAuth } from "../lib/admin/admin_auth.ts";
import { AuditLog } from "../lib/admin/audit_log.ts";
import { FailedSignIns } from "../lib/admin/failed_sign_ins.ts";
import { openSqliteStore } from "../lib/store/sqlite/sqlite_store.ts";
import { ManualTimers } from "../lib/timers.ts";
import { waitFor } from "./_wait.ts";

const PASSWORD = "correct horse battery";
const PROXY = "10.0.0.2";
/** Wrong guesses one address may have checked before it must wait. */
const FREE_GUESSES = 3;

function from(address: string) {
  return { remoteAddr: { transport: "tcp", hostname: address, port: 40000 } };
}

async function setUp(trustProxy: string[] = []) {
  const dir = await Deno.makeTempDir();
  const store = await openSqliteStore(`${dir}/e.db`, {});
  const audit = new AuditLog(`${dir}/e.audit.db`);
  // The clock stands still: delays never run out during the test.
  const auth = new AdminAuth(PASSWORD, { now: () => 1_000_000 });
  // No hold before a throttled answer here: these tests count answers, not time.
  const app = createApp({ store, admin: { auth, audit, throttledHoldMs: 0 }, trustProxy });
  return {
    app,
    audit,
    auth,
    signIn(password: string, peer: string, forwardedFor?: string) {
      return app.request("/admin/login", {
        method: "POST",
        headers: {
          "content-type": "application/x-www-form-urlencoded",
          ...forwardedFor ? { "x-forwarded-for": forwardedFor } : {},
        },
        body: new URLSearchParams({ password }),
      }, from(peer));
    },
    async dispose() {
      await store.shutdown();
      audit.close();
      await Deno.remove(dir, { recursive: true });
    },
  };
}

Deno.test("50 parallel wrong passwords then the right one: at most the free guesses are checked", async () => {
  const t = await setUp();
  try {
    const burst = await Promise.all([
      ...Array.from({ length: 50 }, (_, i) => t.signIn(`guess ${i}`, "203.0.113.9")),
      t.signIn(PASSWORD, "203.0.113.9"),
    ]);
    const statuses = burst.map((r) => r.status);
    await Promise.all(burst.map((r) => r.body?.cancel()));
    // 401: the password was checked and was wrong; 429: not checked.
    const checked = statuses.filter((s) => s === 401).length;
    assert.equal(t.auth.checkedGuesses, checked);
    assert.ok(checked <= FREE_GUESSES, `${checked} wrong guesses were checked`);
    assert.ok(!statuses.includes(303), "the right password slipped through the burst");
    assert.equal(statuses.filter((s) => s === 429).length, 51 - checked);
    const retry = burst.find((r) => r.status === 429)!.headers.get("retry-after");
    assert.ok(Number(retry) >= 1);
    // The administrator, from an address that made no guesses, signs in at once.
    const admin = await t.signIn(PASSWORD, "198.51.100.20");
    assert.equal(admin.status, 303);
  } finally {
    await t.dispose();
  }
});

Deno.test("through a trusted proxy, one client's wrong guesses do not lock out another", async () => {
  const t = await setUp([PROXY]);
  try {
    for (let round = 0; round < FREE_GUESSES + 1; round++) {
      const burst = await Promise.all(
        Array.from({ length: 20 }, (_, i) => t.signIn(`guess ${i}`, PROXY, "203.0.113.9")),
      );
      await Promise.all(burst.map((r) => r.body?.cancel()));
    }
    const admin = await t.signIn(PASSWORD, PROXY, "198.51.100.20");
    assert.equal(admin.status, 303);
    // A client that writes its own X-Forwarded-For to the proxy gains nothing:
    // the proxy appends the real address, and that is the one counted.
    const spoofed = await t.signIn("guess", PROXY, "198.51.100.20, 203.0.113.9");
    assert.equal(spoofed.status, 429);
    await spoofed.body?.cancel();
  } finally {
    await t.dispose();
  }
});

Deno.test("a flood of failed sign-ins is one audit entry per address per minute", async () => {
  const dir = await Deno.makeTempDir();
  const store = await openSqliteStore(`${dir}/e.db`, {});
  const audit = new AuditLog(`${dir}/e.audit.db`);
  const failedSignIns = new FailedSignIns(audit, { intervalMs: 0 });
  const auth = new AdminAuth(PASSWORD, { now: () => 1_000_000 });
  const app = createApp({ store, admin: { auth, audit, failedSignIns, throttledHoldMs: 0 } });
  try {
    const before = audit.head.seq;
    for (let i = 0; i < 500; i++) {
      const res = await app.request("/admin/login", {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ password: `guess ${i}` }),
      }, from(i % 2 ? "203.0.113.9" : "203.0.113.10"));
      await res.body?.cancel();
    }
    assert.equal(audit.head.seq, before, "nothing is written per request");
    failedSignIns.flush();
    const entries = audit.recent(10).filter((e) => e.event === "login-failed");
    assert.equal(entries.length, 2);
    const counts = entries.map((e) => JSON.parse(e.detail).count);
    assert.deepEqual(counts, [250, 250]);
  } finally {
    failedSignIns.stop();
    await store.shutdown();
    audit.close();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a throttled guess is answered only after a hold, so a flood runs at a guess a second per connection", async () => {
  const dir = await Deno.makeTempDir();
  const store = await openSqliteStore(`${dir}/e.db`, {});
  const audit = new AuditLog(`${dir}/e.audit.db`);
  const timers = new ManualTimers(1_000_000);
  const auth = new AdminAuth(PASSWORD, { now: () => timers.now() });
  const app = createApp({ store, admin: { auth, audit, timers } });
  const guess = (password: string, peer = "203.0.113.9") =>
    app.request("/admin/login", {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ password }),
    }, from(peer));
  try {
    // The free guesses, and the one after them, are answered at once (checked and wrong).
    for (let i = 0; i <= FREE_GUESSES; i++) {
      const res = await guess(`guess ${i}`);
      assert.equal(res.status, 401);
      await res.body?.cancel();
    }
    let answered = false;
    const held = Promise.resolve(guess("guess again")).then((res) => {
      answered = true;
      return res;
    });
    await waitFor(() => timers.pending > 0, 2_000, { what: "the throttled answer's hold" });
    assert.equal(answered, false);
    // Meanwhile the administrator, from another address, signs in at once.
    const admin = await guess(PASSWORD, "198.51.100.20");
    assert.equal(admin.status, 303);
    timers.advance(1_000);
    const res = await held;
    assert.equal(res.status, 429);
    assert.equal(res.headers.get("retry-after"), "1");
    await res.body?.cancel();
  } finally {
    await store.shutdown();
    audit.close();
    await Deno.remove(dir, { recursive: true });
  }
});
