/** `--trust-proxy`: forwarding headers count only when a named proxy sent them. */
import assert from "node:assert/strict";
import { createApp } from "../app.ts";
import { AdminAuth } from "../lib/admin/admin_auth.ts";
import { AuditLog } from "../lib/admin/audit_log.ts";
import { openSqliteStore } from "../lib/store/sqlite/sqlite_store.ts";
import { ConnectionLimits } from "../lib/server/connection_limits.ts";
import { clientInfo, parseTrustedProxies, TrustedProxies } from "../lib/server/trusted_proxy.ts";

const PASSWORD = "correct horse battery";
const PROXY = "10.0.0.2";

/** The connection info `Deno.serve` gives a handler, for a peer at `address`. */
function from(address: string) {
  return { remoteAddr: { transport: "tcp", hostname: address, port: 40000 } };
}

const forwarded = {
  "x-forwarded-for": "6.6.6.6, 203.0.113.9",
  "x-forwarded-proto": "https",
  "x-forwarded-host": "vote.example",
};

Deno.test("HSTS and Secure cookies follow X-Forwarded-Proto from a trusted proxy only", async () => {
  const dir = await Deno.makeTempDir();
  const store = await openSqliteStore(`${dir}/e.db`, {});
  const audit = new AuditLog(":memory:");
  const app = createApp({
    store,
    admin: { auth: new AdminAuth(PASSWORD), audit },
    trustProxy: [PROXY],
  });
  const signIn = (peer: string) =>
    app.request("/admin/login", {
      method: "POST",
      headers: { ...forwarded, "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ password: PASSWORD }),
    }, from(peer));
  try {
    const viaProxy = await app.request("/api/tally", { headers: forwarded }, from(PROXY));
    assert.match(viaProxy.headers.get("strict-transport-security") ?? "", /max-age=\d+/);
    const direct = await app.request("/api/tally", { headers: forwarded }, from("198.51.100.7"));
    assert.equal(direct.headers.get("strict-transport-security"), null);

    assert.match((await signIn(PROXY)).headers.get("set-cookie") ?? "", /; Secure/);
    assert.doesNotMatch((await signIn("198.51.100.7")).headers.get("set-cookie") ?? "", /Secure/);

    // The audit log names the client the proxy saw, not the proxy, nor what the client claimed.
    const addresses = audit.recent(2).map((e) => e.address);
    assert.deepEqual(addresses, ["198.51.100.7", "203.0.113.9"]);
  } finally {
    await store.shutdown();
    audit.close();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("the cross-site check compares the Origin with the host a trusted proxy forwarded", async () => {
  const dir = await Deno.makeTempDir();
  const store = await openSqliteStore(`${dir}/e.db`, {});
  const app = createApp({ store, trustProxy: [PROXY] });
  const close = (peer: string, origin: string) =>
    app.request("/api/votes", {
      method: "POST",
      headers: { ...forwarded, origin, "content-type": "application/json", host: "10.0.0.5:8000" },
      body: "{}",
    }, from(peer));
  try {
    assert.equal((await close(PROXY, "https://vote.example")).status, 400); // passed the check
    assert.equal((await close(PROXY, "http://10.0.0.5:8000")).status, 403);
    // Anyone else's X-Forwarded-Host is ignored.
    assert.equal((await close("198.51.100.7", "https://vote.example")).status, 403);
  } finally {
    await store.shutdown();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("--trust-proxy takes CIDR ranges, IPv4 and IPv6, and only well-formed ones", () => {
  assert.deepEqual(parseTrustedProxies("10.0.0.0/8, fd00::/8, 127.0.0.1"), [
    "10.0.0.0/8",
    "fd00::/8",
    "127.0.0.1",
  ]);
  for (
    const bad of ["10.0.0.0/33", "fd00::/129", "10.0.0.0/", "nginx.local/8", "10/8", "0x0a.0.0.1"]
  ) {
    assert.equal(parseTrustedProxies(bad), null, bad);
  }
});

Deno.test("a peer inside a trusted range is a proxy; one outside it is a client", () => {
  const trusted = new TrustedProxies(["10.0.0.0/8", "fd00::/8"]);
  const headers = new Headers({ "x-forwarded-for": "6.6.6.6, 203.0.113.9, 10.9.8.7" });
  const options = { trusted, tls: false };
  // The nearest hop (10.9.8.7) is a proxy in the range too, so the client is the one before it.
  assert.equal(clientInfo("10.1.2.3", headers, options).address, "203.0.113.9");
  assert.equal(clientInfo("::ffff:10.1.2.3", headers, options).address, "203.0.113.9");
  assert.equal(clientInfo("fd12:3456::1", headers, options).address, "203.0.113.9");
  assert.equal(clientInfo("11.1.2.3", headers, options).address, "11.1.2.3");
  assert.equal(clientInfo("fe80::1", headers, options).address, "fe80::1");
  // Garbage in X-Forwarded-For is nobody's proxy: it stops the walk.
  const junk = new Headers({ "x-forwarded-for": "203.0.113.9, not-an-address" });
  assert.equal(clientInfo("10.1.2.3", junk, options).address, "not-an-address");
});

Deno.test("an app trusting a range believes its proxies' headers, and no one else's", async () => {
  const dir = await Deno.makeTempDir();
  const store = await openSqliteStore(`${dir}/e.db`, {});
  const app = createApp({ store, trustProxy: ["10.0.0.0/8", "fd00::/8"] });
  try {
    for (const peer of ["10.200.0.1", "fd00::beef"]) {
      const res = await app.request("/api/tally", { headers: forwarded }, from(peer));
      await res.body?.cancel();
      assert.match(res.headers.get("strict-transport-security") ?? "", /max-age=\d+/, peer);
    }
    const res = await app.request("/api/tally", { headers: forwarded }, from("192.168.0.1"));
    await res.body?.cancel();
    assert.equal(res.headers.get("strict-transport-security"), null);
  } finally {
    await store.shutdown();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("ConnectionLimits exempts every address in a trusted range from the per-client cap", () => {
  const limits = new ConnectionLimits({
    total: 100,
    perClient: 1,
    exempt: new TrustedProxies(["10.0.0.0/8"]),
  });
  assert.equal(limits.admit("10.0.0.7"), true);
  assert.equal(limits.admit("10.0.0.7"), true);
  assert.equal(limits.admit("11.0.0.7"), true);
  assert.equal(limits.admit("11.0.0.7"), false);
});
