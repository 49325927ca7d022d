/** AdminAuth on an injected clock: back-off, lock-out and session expiry without waiting. */
import assert from "node:assert/strict";
import { AdminAuth, LOCKOUT_MS, MAX_FAILURES, SESSION_MS } from "../lib/admin/admin_auth.ts";

const PASSWORD = "correct horse battery";

/** An AdminAuth whose clock moves only when the test says, and whose back-off records instead of waiting. */
function onTestClock() {
  const clock = { now: 1_700_000_000_000, slept: [] as number[] };
  const auth = new AdminAuth(PASSWORD, {
    now: () => clock.now,
    sleep: (ms) => {
      clock.slept.push(ms);
      return Promise.resolve();
    },
  });
  return { auth, clock };
}

Deno.test("AdminAuth.login() backs off longer after each failure, up to a second", async () => {
  const { auth, clock } = onTestClock();
  for (let i = 1; i < MAX_FAILURES; i++) {
    assert.deepEqual(await auth.login(`guess ${i}`, "10.0.0.1"), {
      ok: false,
      reason: "wrong_password",
    });
  }
  const last = await auth.login("guess", "10.0.0.1");
  assert.deepEqual(last, { ok: false, reason: "locked_out", retryAfterMs: LOCKOUT_MS });
  assert.deepEqual(clock.slept, [100, 200, 400, 800, 1000]);
});

Deno.test("AdminAuth.login() locks an address out for LOCKOUT_MS, then lets it in", async () => {
  const { auth, clock } = onTestClock();
  for (let i = 0; i < MAX_FAILURES; i++) await auth.login(`guess ${i}`, "10.0.0.1");
  const slept = clock.slept.length;

  clock.now += LOCKOUT_MS - 1;
  assert.deepEqual(await auth.login(PASSWORD, "10.0.0.1"), {
    ok: false,
    reason: "locked_out",
    retryAfterMs: 1,
  });
  assert.equal(clock.slept.length, slept, "a locked-out attempt is refused at once");
  // Another address is not locked out.
  assert.equal((await auth.login(PASSWORD, "10.0.0.2")).ok, true);

  clock.now += 1;
  assert.equal((await auth.login(PASSWORD, "10.0.0.1")).ok, true);
});

Deno.test("AdminAuth.login() starts the failure count afresh after a lock-out ends", async () => {
  const { auth, clock } = onTestClock();
  for (let i = 0; i < MAX_FAILURES; i++) await auth.login(`guess ${i}`, "10.0.0.1");
  clock.now += LOCKOUT_MS;
  clock.slept.length = 0;
  assert.deepEqual(await auth.login("again", "10.0.0.1"), { ok: false, reason: "wrong_password" });
  assert.deepEqual(clock.slept, [100]);
});

Deno.test("AdminAuth sessions end SESSION_MS after sign-in, or at logout", async () => {
  const { auth, clock } = onTestClock();
  const signedIn = clock.now;
  const result = await auth.login(PASSWORD, "10.0.0.1");
  assert.ok(result.ok);
  assert.match(result.session, /^[0-9a-f]{64}$/);
  assert.equal(result.expires, signedIn + SESSION_MS, "expires is in epoch milliseconds");
  assert.equal(auth.isValid(result.session), true);
  assert.equal(auth.isValid("f".repeat(64)), false);
  assert.equal(auth.isValid(undefined), false);

  clock.now = result.expires - 1;
  assert.equal(auth.isValid(result.session), true);
  clock.now = result.expires;
  assert.equal(auth.isValid(result.session), false);
  clock.now = signedIn; // an expired session is forgotten, not revived by a clock step back
  assert.equal(auth.isValid(result.session), false);

  const other = await auth.login(PASSWORD, "10.0.0.1");
  assert.ok(other.ok);
  auth.logout(other.session);
  assert.equal(auth.isValid(other.session), false);
});
