/**
 * Review of issue 13 as an attacker with many addresses (a botnet, an IPv6
 * range, or any clients behind the trusted proxy): right after a restart,
 * before anyone has signed in, the server checks every guess with the slow
 * stored hash. The administrator must still get in.
 */
import assert from "node:assert/strict";
import { type ServerProcess, startServer } from "./_server.ts";
import { waitFor } from "./_wait.ts";
import { AdminAuth } from "../lib/admin/admin_auth.ts";
import { ConnectionLimits } from "../lib/server/connection_limits.ts";

const PRINTED = /Administrator password \(shown only now\): (\S+)/;
const NO_OVERRIDE = { ADMIN_PASSWORD: "" };

/** A browser's cookies, by name. */
type Jar = Map<string, string>;

/** One sign-in through the "proxy" (this test, at 127.0.0.1) for `client`; the status. */
async function signIn(
  server: ServerProcess,
  client: string,
  password: string,
  jar?: Jar,
): Promise<number> {
  const cookie = jar ? [...jar].map(([name, value]) => `${name}=${value}`).join("; ") : "";
  const res = await fetch(`${server.url}/admin/login`, {
    method: "POST",
    headers: { "x-forwarded-for": client, ...(cookie ? { cookie } : {}) },
    body: new URLSearchParams({ password }),
    redirect: "manual",
  });
  await res.body?.cancel();
  for (const line of res.headers.getSetCookie()) {
    const [pair] = line.split(";");
    const at = pair.indexOf("=");
    jar?.set(pair.slice(0, at), pair.slice(at + 1));
  }
  return res.status;
}

Deno.test("after a restart, wrong guesses from many new addresses do not keep out the administrator's browser", async () => {
  const dir = await Deno.makeTempDir({ prefix: "matdaan-adv-" });
  const args = ["--db", `${dir}/e.db`, "--trust-proxy", "127.0.0.1"];
  let server = await startServer(["--new-election", ...args], { env: NO_OVERRIDE });
  let password = "";
  try {
    await waitFor(() => PRINTED.test(server.output()), 10_000, { what: () => server.output() });
    password = server.output().match(PRINTED)![1];
    // The administrator's browser signed in once (then signed out, or its session expired).
    const browser: Jar = new Map();
    assert.equal(await signIn(server, "192.0.2.10", password, browser), 303);
    browser.delete("matdaan_admin");
    assert.equal(await server.stop(), 0);
    server = await startServer(args, { env: NO_OVERRIDE }); // the hash is not known in memory now
    // The attacker: eight guesses in flight at all times, each from an address not seen before.
    let attacking = true;
    let next = 0;
    const attacker = async () => {
      while (attacking) {
        const n = next++;
        await signIn(server, `10.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}`, "guess");
      }
    };
    const flood = Array.from({ length: 8 }, attacker);
    try {
      // The administrator's browser, from an address of its own, tries for 12 s as a person would.
      const statuses: number[] = [];
      const until = performance.now() + 12_000;
      while (performance.now() < until) {
        const status = await signIn(server, "192.0.2.10", password, browser);
        statuses.push(status);
        if (status === 303) break;
      }
      assert.equal(
        statuses.at(-1),
        303,
        `the administrator's ${statuses.length} sign-ins got ${
          statuses.join(",")
        } (${next} attacker guesses)`,
      );
    } finally {
      attacking = false;
      await Promise.all(flood);
    }
  } finally {
    await server.stop();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a device token is no session, and a wrong guess spends it", async () => {
  const auth = new AdminAuth("a long admin password");
  const signIn = await auth.login("a long admin password", "192.0.2.10");
  assert.ok(signIn.ok);
  assert.equal(await auth.isValid(signIn.device), false);
  assert.equal(await auth.isValid(`device:${signIn.device}`), false);
  assert.notEqual(await auth.sessions.expiresAt(`device:${signIn.device}`, Date.now()), null);
  await auth.logout(signIn.session); // signing out keeps the device token
  assert.notEqual(await auth.sessions.expiresAt(`device:${signIn.device}`, Date.now()), null);
  assert.deepEqual(await auth.login("a wrong guess", "192.0.2.10", signIn.device), {
    ok: false,
    reason: "wrong_password",
  });
  assert.equal(await auth.sessions.expiresAt(`device:${signIn.device}`, Date.now()), null);
});

Deno.test("fresh addresses of one IPv6 /64 share their free guesses", async () => {
  let now = 1_700_000_000_000;
  const auth = new AdminAuth("a long admin password", { now: () => now });
  const outcomes: string[] = [];
  for (let i = 1; i <= 50; i++) {
    const result = await auth.login(`guess ${i}`, `2001:db8:1:2::${i.toString(16)}`);
    outcomes.push(result.ok ? "in" : result.reason);
    now += 100; // ten guesses a second
  }
  const checked = outcomes.filter((o) => o === "wrong_password").length;
  assert.ok(checked <= 6, `${checked} of 50 guesses from one /64 were checked`);
  // Another network is not held back by it.
  assert.equal((await auth.login("a long admin password", "2001:db8:9::1")).ok, true);
});

Deno.test("connections and WebSockets from one IPv6 /64 share one client's cap", () => {
  const limits = new ConnectionLimits({ total: 1000, perClient: 4 });
  const admitted = Array.from({ length: 50 }, (_, i) => `2001:db8:1:2::${(i + 1).toString(16)}`)
    .filter((address) => limits.admit(address)).length;
  assert.equal(admitted, 4);
  limits.release("2001:db8:1:2::1");
  assert.equal(limits.admit("2001:db8:1:2::99"), true);
  assert.equal(limits.admit("2001:db8:1:3::1"), true, "another /64 is another client");
});
