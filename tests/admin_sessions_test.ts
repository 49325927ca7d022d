/**
 * Sessions live in a store every instance shares: a sign-in holds on every
 * instance, and when a session ends (sign-out here or on another instance,
 * sign-out everywhere, expiry) every open `/ws/admin` closes within a second.
 */
import assert from "node:assert/strict";
import { createApp } from "../app.ts";
import { AdminAuth, SESSION_MS } from "../lib/admin/admin_auth.ts";
import { type SessionStore, SqliteSessions } from "../lib/admin/admin_sessions.ts";
import { PostgresSessions } from "../lib/admin/postgres_sessions.ts";
import { postgresAvailable, testDatabases } from "./_postgres.ts";
import { AuditLog } from "../lib/admin/audit_log.ts";
import { SESSION_ENDED } from "../lib/admin/session_sockets.ts";
import { openSqliteStore } from "../lib/store/sqlite/sqlite_store.ts";
import { waitFor } from "./_wait.ts";

const PASSWORD = "correct horse battery";

/** Two instances sharing one sessions file, each served on a real socket. */
async function twoInstances() {
  const dir = await Deno.makeTempDir();
  const store = await openSqliteStore(`${dir}/e.db`, {});
  const clock = { now: Date.now() };
  const instances = [0, 1].map(() => {
    const sessions = new SqliteSessions(`${dir}/e.sessions.db`);
    const auth = new AdminAuth(PASSWORD, { sessions, now: () => clock.now });
    const audit = new AuditLog(":memory:");
    const app = createApp({ store, admin: { auth, audit } });
    const server = Deno.serve({ port: 0, hostname: "127.0.0.1", onListen() {} }, app.fetch);
    return { sessions, audit, server, url: `http://127.0.0.1:${server.addr.port}` };
  });
  return {
    clock,
    a: instances[0],
    b: instances[1],
    async signIn(url: string): Promise<string> {
      const res = await fetch(`${url}/admin/login`, {
        method: "POST",
        body: new URLSearchParams({ password: PASSWORD }),
        redirect: "manual",
      });
      await res.body?.cancel();
      assert.equal(res.status, 303);
      return res.headers.get("set-cookie")!.split(";")[0];
    },
    async post(url: string, path: string, cookie: string): Promise<number> {
      const res = await fetch(`${url}${path}`, {
        method: "POST",
        headers: { cookie },
        redirect: "manual",
      });
      await res.body?.cancel();
      return res.status;
    },
    /** Opens `/ws/admin` with the cookie; resolves once open, and records how it closed. */
    async adminSocket(url: string, cookie: string) {
      // Deno's WebSocket takes headers (the cookie) where browsers take protocols.
      const options = { headers: { cookie } } as unknown as string[];
      const ws = new WebSocket(`${url.replace("http", "ws")}/ws/admin`, options);
      const state = { ws, closedWith: 0 as number, closedAt: 0 };
      ws.onclose = (e) => {
        state.closedWith = e.code;
        state.closedAt = performance.now();
      };
      await new Promise((resolve, reject) => {
        ws.onopen = resolve;
        ws.onerror = () => reject(new Error("the admin socket did not open"));
      });
      return state;
    },
    async dispose() {
      for (const i of instances) {
        await i.server.shutdown();
        await i.sessions.close();
        i.audit.close();
      }
      await store.shutdown();
      await Deno.remove(dir, { recursive: true });
    },
  };
}

Deno.test("a sign-in on one instance holds on the other, and sign-out there closes the socket here within a second", async () => {
  const t = await twoInstances();
  try {
    const cookie = await t.signIn(t.a.url);
    assert.equal((await fetch(`${t.b.url}/admin/session`, { headers: { cookie } })).status, 200);
    const here = await t.adminSocket(t.a.url, cookie);
    const there = await t.adminSocket(t.b.url, cookie);
    assert.equal(await t.post(t.a.url, "/admin/logout", cookie), 303);
    await waitFor(() => here.closedWith !== 0 && there.closedWith !== 0, 1_000, {
      what: "both admin sockets closed within a second of the sign-out",
    });
    assert.equal(here.closedWith, SESSION_ENDED);
    assert.equal(there.closedWith, SESSION_ENDED);
    // The ended session opens nothing anywhere.
    assert.equal(await t.post(t.b.url, "/admin/close", cookie), 401);
  } finally {
    await t.dispose();
  }
});

Deno.test("an expired session's admin socket closes within a second", async () => {
  const t = await twoInstances();
  try {
    const cookie = await t.signIn(t.a.url);
    const socket = await t.adminSocket(t.b.url, cookie);
    t.clock.now += SESSION_MS;
    await waitFor(() => socket.closedWith !== 0, 1_000, { what: "the socket closed on expiry" });
    assert.equal(socket.closedWith, SESSION_ENDED);
    assert.equal((await fetch(`${t.a.url}/admin/session`, { headers: { cookie } })).status, 401);
  } finally {
    await t.dispose();
  }
});

Deno.test("sign out everywhere ends every session on every instance", async () => {
  const t = await twoInstances();
  try {
    const first = await t.signIn(t.a.url);
    const second = await t.signIn(t.b.url);
    const socket = await t.adminSocket(t.b.url, second);
    assert.equal(await t.post(t.a.url, "/admin/logout-everywhere", first), 303);
    await waitFor(() => socket.closedWith !== 0, 1_000, {
      what: "the other session's socket closed",
    });
    for (const url of [t.a.url, t.b.url]) {
      for (const cookie of [first, second]) {
        const res = await fetch(`${url}/admin/session`, { headers: { cookie } });
        await res.body?.cancel();
        assert.equal(res.status, 401);
      }
    }
  } finally {
    await t.dispose();
  }
});

/** The contract both session stores keep. */
async function sessionContract(sessions: SessionStore) {
  await sessions.create("one", 2_000, 1_000);
  await sessions.create("two", 3_000, 1_000);
  assert.equal(await sessions.expiresAt("one", 1_000), 2_000);
  assert.equal(await sessions.expiresAt("nobody", 1_000), null);
  assert.equal(await sessions.expiresAt("one", 2_000), null, "expired at its end");
  assert.equal(await sessions.expiresAt("one", 1_000), null, "forgotten once seen expired");
  await sessions.end("two");
  assert.equal(await sessions.expiresAt("two", 1_000), null);
  await sessions.create("three", 5_000, 1_000);
  await sessions.create("four", 5_000, 1_000);
  await sessions.endAll();
  assert.equal(await sessions.expiresAt("three", 1_000), null);
  assert.equal(await sessions.expiresAt("four", 1_000), null);
}

Deno.test("SqliteSessions keeps the session store contract", async () => {
  const sessions = new SqliteSessions(":memory:");
  try {
    await sessionContract(sessions);
  } finally {
    await sessions.close();
  }
});

Deno.test({
  name: "PostgresSessions keeps the session store contract, shared by two connections",
  ignore: !await postgresAvailable(),
}, async () => {
  const dbs = await testDatabases();
  try {
    const url = await dbs.create();
    const [a, b] = await Promise.all([PostgresSessions.open(url), PostgresSessions.open(url)]);
    try {
      await sessionContract(a);
      await a.create("shared", 9_000, 1_000);
      assert.equal(await b.expiresAt("shared", 1_000), 9_000);
      await b.end("shared");
      assert.equal(await a.expiresAt("shared", 1_000), null);
    } finally {
      await a.close();
      await b.close();
    }
  } finally {
    await dbs.dispose();
  }
});
