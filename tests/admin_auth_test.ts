/** AdminAuth on an injected clock: throttled guesses and session expiry without waiting. */
import assert from "node:assert/strict";
import { AdminAuth, MAX_SLOW_CHECKS, SESSION_MS } from "../lib/admin/admin_auth.ts";
import { THROTTLE_DEFAULTS } from "../lib/admin/sign_in_throttle.ts";
import { SqliteSessions } from "../lib/admin/admin_sessions.ts";
import { hashPassword } from "../lib/admin/password_hash.ts";

const PASSWORD = "correct horse battery";
const { freeFailures, baseDelayMs, maxDelayMs } = THROTTLE_DEFAULTS;

/** An AdminAuth whose clock moves only when the test says. */
function onTestClock() {
  const clock = { now: 1_700_000_000_000 };
  const auth = new AdminAuth(PASSWORD, { now: () => clock.now });
  return { auth, clock };
}

Deno.test("AdminAuth.login() makes an address wait longer after each failure past the free ones", async () => {
  const { auth, clock } = onTestClock();
  for (let i = 0; i < freeFailures; i++) {
    assert.deepEqual(await auth.login(`guess ${i}`, "10.0.0.1"), {
      ok: false,
      reason: "wrong_password",
    });
  }
  const waits: number[] = [];
  for (let i = 0; i < 3; i++) {
    assert.deepEqual(await auth.login("wrong", "10.0.0.1"), {
      ok: false,
      reason: "wrong_password",
    });
    const probe = await auth.login(PASSWORD, "10.0.0.1");
    assert.ok(!probe.ok && probe.reason === "throttled");
    waits.push(probe.retryAfterMs);
    clock.now += probe.retryAfterMs;
  }
  assert.deepEqual(waits, [baseDelayMs, 2 * baseDelayMs, 4 * baseDelayMs]);
  assert.equal(auth.checkedGuesses, freeFailures + 3, "throttled guesses are never checked");
});

Deno.test("AdminAuth.login() delays, never locks: the right password passes once the wait is over", async () => {
  const { auth, clock } = onTestClock();
  for (let i = 0; i <= freeFailures; i++) await auth.login(`guess ${i}`, "10.0.0.1");
  const refused = await auth.login(PASSWORD, "10.0.0.1");
  assert.ok(!refused.ok && refused.reason === "throttled");
  assert.ok(refused.retryAfterMs <= maxDelayMs);
  // Another address is not held back.
  assert.equal((await auth.login(PASSWORD, "10.0.0.2")).ok, true);
  clock.now += refused.retryAfterMs;
  assert.equal((await auth.login(PASSWORD, "10.0.0.1")).ok, true);
  // A success clears the address.
  assert.deepEqual(await auth.login("again", "10.0.0.1"), { ok: false, reason: "wrong_password" });
});

Deno.test("AdminAuth.login() checks one guess at a time per address", async () => {
  const { auth } = onTestClock();
  const results = await Promise.all(
    Array.from({ length: 20 }, (_, i) => auth.login(`guess ${i}`, "10.0.0.1")),
  );
  assert.equal(results.filter((r) => !r.ok && r.reason === "wrong_password").length, 1);
  assert.equal(auth.checkedGuesses, 1);
});

Deno.test("AdminAuth sessions end SESSION_MS after sign-in, or at logout", async () => {
  const { auth, clock } = onTestClock();
  const signedIn = clock.now;
  const result = await auth.login(PASSWORD, "10.0.0.1");
  assert.ok(result.ok);
  assert.match(result.session, /^[0-9a-f]{64}$/);
  assert.equal(result.expires, signedIn + SESSION_MS, "expires is in epoch milliseconds");
  assert.equal(await auth.isValid(result.session), true);
  assert.equal(await auth.isValid("f".repeat(64)), false);
  assert.equal(await auth.isValid(undefined), false);

  clock.now = result.expires - 1;
  assert.equal(await auth.isValid(result.session), true);
  clock.now = result.expires;
  assert.equal(await auth.isValid(result.session), false);
  clock.now = signedIn; // an expired session is forgotten, not revived by a clock step back
  assert.equal(await auth.isValid(result.session), false);

  const other = await auth.login(PASSWORD, "10.0.0.1");
  assert.ok(other.ok);
  await auth.logout(other.session);
  assert.equal(await auth.isValid(other.session), false);
});

Deno.test("AdminAuth with the election's stored password checks the slow hash read at each sign-in", async () => {
  const sessions = new SqliteSessions(":memory:");
  const auth = new AdminAuth(null, { sessions });
  const cheap = { logN: 10, r: 8, p: 1 };
  assert.deepEqual(await auth.login(PASSWORD, "10.0.0.1"), {
    ok: false,
    reason: "wrong_password",
  }, "no password is stored yet: nobody signs in");
  await sessions.initPasswordHash(await hashPassword(PASSWORD, cheap));
  // Before the first sign-in, guesses from many addresses at once are checked with the slow
  // hash one after another, each right or wrong; past MAX_SLOW_CHECKS waiting, they are turned
  // away unchecked for a second.
  const guesses = await Promise.all(
    Array.from({ length: 7 }, (_, i) => auth.login(i % 2 ? PASSWORD : "wrong", `10.0.1.${i}`)),
  );
  assert.equal(MAX_SLOW_CHECKS, 4);
  assert.deepEqual(guesses.map((g) => g.ok ? "right" : g.reason), [
    "wrong_password",
    "right",
    "wrong_password",
    "right",
    "throttled",
    "throttled",
    "throttled",
  ]);
  // The first two are always slow (nothing is known yet); the next two are
  // slow unless the right guess's check has ended before they are looked at
  // (it then answers them from the digest it keeps): never more than allowed.
  assert.ok(auth.slowChecks >= 2 && auth.slowChecks <= MAX_SLOW_CHECKS, String(auth.slowChecks));
  const first = await auth.login(PASSWORD, "10.0.0.1");
  assert.ok(first.ok);
  // Once the password has been seen right, a flood of guesses costs no slow hash.
  const slow = auth.slowChecks;
  for (let i = 0; i < 20; i++) assert.equal((await auth.login("wrong", `10.0.2.${i}`)).ok, false);
  assert.ok((await auth.login(PASSWORD, "10.0.0.1")).ok);
  assert.equal(auth.slowChecks, slow);
  // A new password (`deno task admin-password`) holds at the next sign-in and ends the sessions.
  await sessions.replacePasswordHash(await hashPassword("a new passphrase", cheap));
  assert.equal(await auth.isValid(first.session), false);
  assert.equal((await auth.login(PASSWORD, "10.0.0.2")).ok, false);
  // That guess found the password changed: the next ones are bounded again.
  const flood = await Promise.all(
    Array.from({ length: 6 }, (_, i) => auth.login("wrong", `10.0.3.${i}`)),
  );
  assert.deepEqual(flood.map((g) => !g.ok && g.reason), [
    "wrong_password",
    "wrong_password",
    "wrong_password",
    "wrong_password",
    "throttled",
    "throttled",
  ]);
  assert.equal((await auth.login("a new passphrase", "10.0.0.3")).ok, true);
  assert.equal(auth.slowChecks, slow + 6);
  // The password a start has just made is known from the start: no slow hash at all.
  const made = await hashPassword("the made password", cheap);
  await sessions.replacePasswordHash(made);
  await auth.remember("the made password", made);
  assert.ok((await auth.login("the made password", "10.0.0.1")).ok);
  assert.equal(auth.slowChecks, slow + 6);
  // A hash this version cannot read lets nobody in, and is no server error.
  await sessions.replacePasswordHash("$argon2id$v=19$unreadable");
  assert.equal((await auth.login("a new passphrase", "10.0.0.4")).ok, false);
  await sessions.close();
});
