/**
 * The election day through HTTP, with the clock injected: an election that
 * opens at `--opens-at` refuses votes with 409 `voting_not_open` (naming the
 * opening in the election's time zone) until then, opens by itself, and
 * closes at `--closes-at` with the reason in the audit log; the
 * administrator's "Open voting" and the mock poll, through the panel's forms.
 */
import assert from "node:assert/strict";
import { createApp } from "../app.ts";
import { AdminAuth } from "../lib/admin/admin_auth.ts";
import { AuditLog } from "../lib/admin/audit_log.ts";
import { openSqliteStore } from "../lib/store/sqlite/sqlite_store.ts";
import type { ElectionRequest } from "../lib/store/store.ts";
import { ManualTimers } from "../lib/timers.ts";
import { postVote, signIn } from "./_app.ts";
import { ballot } from "./_voters.ts";
import { waitFor } from "./_wait.ts";

const PASSWORD = "election-day-password";
const T0 = Date.UTC(2026, 10, 30, 1, 0); // 06:30 IST
const HOUR = 3_600_000;

/**
 * A clock that can jump without running the timeouts that came due, as the
 * wall clock does when a machine wakes from sleep (its timeouts count only
 * the time it was awake) or when its clock is set.
 */
class SleepingTimers extends ManualTimers {
  #slept = 0;
  override now(): number {
    return super.now() + this.#slept;
  }
  /** Moves the clock on by `ms` without running any timeout. */
  sleep(ms: number): void {
    this.#slept += ms;
  }
}

async function dayApp(request: ElectionRequest) {
  const dir = await Deno.makeTempDir({ prefix: "matdaan-day-" });
  const store = await openSqliteStore(`${dir}/e.db`, { step: 1, ...request });
  const audit = new AuditLog(`${dir}/e.audit.db`);
  const timers = new SleepingTimers(T0);
  const notices: string[] = [];
  const app = createApp({
    store,
    timers,
    timeZone: "Asia/Kolkata",
    admin: { auth: new AdminAuth(PASSWORD), audit },
    notice: (text) => notices.push(text),
  });
  return {
    app,
    store,
    audit,
    timers,
    notices,
    events: () => audit.recent(50).map((e) => e.event).reverse(),
    async dispose() {
      await store.shutdown();
      audit.close();
      await Deno.remove(dir, { recursive: true });
    },
  };
}

async function errorOf(res: Response) {
  const body = await res.json();
  return { status: res.status, ...body.error };
}

function form(cookie: string, body: Record<string, string> = {}): RequestInit {
  return {
    method: "POST",
    headers: { cookie, "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams(body),
  };
}

Deno.test("--opens-at in the future refuses votes with 409 voting_not_open until then; --closes-at closes", async () => {
  const d = await dayApp({ opensAt: T0 + 2 * HOUR, closesAt: T0 + 4 * HOUR });
  try {
    const refused = await errorOf(await postVote(d.app, ballot(1)));
    assert.deepEqual(refused, {
      status: 409,
      code: "voting_not_open",
      message: "Voting has not opened yet: it opens at 2026-11-30 08:30:00 IST.",
    });
    // Before any other check: a malformed vote is told the same, not to fix its fields.
    assert.equal((await errorOf(await postVote(d.app, { party: "bjp" }))).code, "voting_not_open");
    const hindi = await errorOf(await postVote(d.app, ballot(1), { "accept-language": "hi" }));
    assert.equal(hindi.message, "मतदान अभी शुरू नहीं हुआ है: यह 2026-11-30 08:30:00 IST पर शुरू होगा।");
    // The booth says when, without the form (and its no-JS post is refused the same way).
    const booth = await (await d.app.request("/")).text();
    assert.match(booth, /Voting has not opened yet/);
    assert.match(booth, /Voting opens at 2026-11-30 08:30:00 IST\./);
    assert.match(booth, /Voting closes at 2026-11-30 10:30:00 IST\./);
    assert.doesNotMatch(booth, /name="party"/);
    const post = await d.app.request("/vote", {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ ...ballot(1), age: "30", step: "confirm" }),
    });
    assert.equal(post.status, 409);
    await post.body?.cancel();
    const board = await (await d.app.request("/results")).text();
    assert.match(board, /Not open yet/);

    d.timers.advance(2 * HOUR - 1);
    assert.equal(d.store.snapshot().status, "pending");
    d.timers.advance(1);
    await waitFor(() => d.store.snapshot().status === "open", 5000);
    const res = await postVote(d.app, ballot(1));
    assert.equal(res.status, 201);
    await res.body?.cancel();
    assert.match(await (await d.app.request("/")).text(), /name="party"/);

    d.timers.advance(2 * HOUR);
    await waitFor(() => d.store.snapshot().status === "closed", 5000);
    assert.equal(d.store.snapshot().closedReason, "schedule");
    assert.equal((await errorOf(await postVote(d.app, ballot(2)))).code, "voting_closed");
    assert.match(
      await (await d.app.request("/")).text(),
      /Voting closed at the set closing time\./,
    );
    await waitFor(() => d.events().includes("close"), 5000);
    assert.deepEqual(d.events().filter((e) => e === "open" || e === "close"), ["open", "close"]);
    const close = JSON.parse(d.audit.recent(1)[0].detail);
    assert.equal(close.reason, "schedule");
    assert.deepEqual(close.parties, { bjp: 1, congress: 0, aap: 0, nota: 0 });
    assert.equal(d.timers.pending, 0, "no timer is left once closed");
  } finally {
    await d.dispose();
  }
});

Deno.test("a vote after --closes-at is refused even when the machine slept through the closing timer", async () => {
  const d = await dayApp({ closesAt: T0 + HOUR });
  try {
    let res = await postVote(d.app, ballot(1));
    assert.equal(res.status, 201);
    await res.body?.cancel();
    // The laptop's lid was closed at 07:00 and opened at 08:00: the closing timer is an hour late.
    d.timers.sleep(HOUR);
    res = await postVote(d.app, ballot(2));
    assert.deepEqual(await errorOf(res), {
      status: 409,
      code: "voting_closed",
      message: "Voting has ended; no more votes are accepted.",
    });
    const hindi = await errorOf(await postVote(d.app, ballot(4), { "accept-language": "hi" }));
    assert.deepEqual([hindi.code, /[\u0900-\u097F]/.test(hindi.message)], ["voting_closed", true]);
    const booth = await d.app.request("/vote", {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ ...ballot(3), age: "30", step: "confirm" }),
    });
    assert.equal(booth.status, 409, "the booth's form post too");
    await booth.body?.cancel();
    // The election closes at once, as at its time, with the reason and the close recorded.
    await waitFor(() => d.store.snapshot().status === "closed", 5000);
    assert.equal(d.store.snapshot().closedReason, "schedule");
    assert.equal(d.store.snapshot().total, 1);
    await waitFor(() => d.events().includes("close"), 5000);
  } finally {
    await d.dispose();
  }
});

Deno.test("an election whose machine slept through --opens-at opens once it is awake", async () => {
  const d = await dayApp({ opensAt: T0 + HOUR });
  try {
    d.timers.sleep(2 * HOUR);
    // Within seconds of waking, without a timer of the full wait.
    d.timers.advance(10_000);
    await waitFor(() => d.store.snapshot().status === "open", 5000);
    const res = await postVote(d.app, ballot(1));
    assert.equal(res.status, 201);
    await res.body?.cancel();
  } finally {
    await d.dispose();
  }
});

Deno.test("a mock poll through the panel: counted and shown, blocks the opening, cleared with its result in the audit log", async () => {
  const d = await dayApp({ opensAt: "admin" });
  try {
    const open = await d.app.request("/admin/open", { method: "POST" });
    assert.equal(open.status, 401, "only the administrator opens voting");
    await open.body?.cancel();
    const cookie = await signIn(d.app, PASSWORD);
    for (const path of ["/admin/open", "/admin/mock-poll", "/admin/mock-poll/clear"]) {
      const evil = await d.app.request(`http://localhost${path}`, {
        method: "POST",
        headers: { cookie, origin: "http://evil.example" },
      });
      assert.equal(evil.status, 403, `${path} from another site`);
      await evil.body?.cancel();
    }
    assert.equal(d.store.snapshot().day?.mockPoll, false);
    const panel = await (await d.app.request("/admin", { headers: { cookie } })).text();
    assert.match(panel, /Voting opens when you open it\./);
    assert.match(panel, /Start mock poll/);

    let res = await d.app.request("/admin/mock-poll", form(cookie));
    assert.equal(res.status, 303);
    await res.body?.cancel();
    for (let n = 0; n < 3; n++) {
      res = await postVote(d.app, ballot(n, "aap"));
      assert.equal(res.status, 201);
      await res.body?.cancel();
    }
    assert.match(await (await d.app.request("/")).text(), /MOCK POLL/);
    // The no-JavaScript confirm step says so too: a mock vote is not a real one.
    const confirmStep = await d.app.request("/vote", {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams(
        Object.entries(ballot(9, "bjp")).map(([k, v]) => [k, String(v)]),
      ),
    });
    assert.match(
      await confirmStep.text(),
      /MOCK POLL[\s\S]*confirm-form|confirm-form[\s\S]*MOCK POLL/,
    );
    const board = await (await d.app.request("/results?lang=hi")).text();
    assert.match(board, /मॉक पोल/);
    const shown = await (await d.app.request("/admin", { headers: { cookie } })).text();
    assert.match(shown, /Mock poll running/);
    assert.match(shown, /AAP: 3/);

    // Opening is refused, with the reason, while the mock poll holds votes.
    res = await d.app.request("/admin/open", form(cookie));
    assert.equal(res.status, 409);
    assert.match(await res.text(), /The mock poll still holds votes/);
    assert.equal(d.store.snapshot().status, "pending");

    res = await d.app.request("/admin/mock-poll/clear", form(cookie));
    assert.equal(res.status, 303);
    await res.body?.cancel();
    const cleared = d.audit.recent(1)[0];
    assert.equal(cleared.event, "mock-poll-clear");
    assert.deepEqual(JSON.parse(cleared.detail), {
      total: 3,
      parties: { bjp: 0, congress: 0, aap: 3, nota: 0 },
    });
    assert.equal(d.store.snapshot().total, 0);

    // JSON clients get the tally.
    res = await d.app.request("/admin/open", {
      method: "POST",
      headers: { cookie, accept: "application/json" },
    });
    assert.equal(res.status, 200);
    assert.equal((await res.json()).status, "open");
    assert.deepEqual(
      d.events().filter((e) => e.startsWith("mock") || e === "open"),
      ["mock-poll-start", "mock-poll-clear", "open"],
    );
    res = await postVote(d.app, ballot(0, "bjp"));
    assert.equal(res.status, 201, "a mock voter votes for real after the clearing");
    await res.body?.cancel();
  } finally {
    await d.dispose();
  }
});

Deno.test("an opening time that comes during an uncleared mock poll waits for the clearing", async () => {
  const d = await dayApp({ opensAt: T0 + HOUR });
  try {
    await d.store.startMockPoll();
    await d.store.cast(ballot(5));
    d.timers.advance(HOUR);
    await waitFor(() => d.notices.length > 0, 5000);
    assert.match(d.notices[0], /mock poll still holds votes/);
    assert.equal(d.store.snapshot().status, "pending");
    await d.store.clearMockPoll();
    await waitFor(() => d.store.snapshot().status === "open", 5000);
    assert.ok(d.events().includes("schedule-held"));
  } finally {
    await d.dispose();
  }
});

/** A ballot as the booth's form posts it (every value a string). */
function boothForm(fields: Record<string, unknown>): URLSearchParams {
  return new URLSearchParams(Object.entries(fields).map(([k, v]) => [k, String(v)]));
}

Deno.test("a vote from a booth that showed the mock poll is refused with 409 mock_poll_over once voting is open (JSON)", async () => {
  const d = await dayApp({ opensAt: "admin" });
  try {
    const cookie = await signIn(d.app, PASSWORD);
    await (await d.app.request("/admin/mock-poll", form(cookie))).body?.cancel();
    let res = await postVote(d.app, { ...ballot(1, "aap"), phase: "mock" });
    assert.equal(res.status, 201, "during the mock poll it is a mock vote");
    await res.body?.cancel();
    await (await d.app.request("/admin/mock-poll/clear", form(cookie))).body?.cancel();
    await (await d.app.request("/admin/mock-poll", form(cookie))).body?.cancel();
    // The administrator opens voting while a voter's mock-poll booth is still on screen.
    await (await d.app.request("/admin/open", form(cookie))).body?.cancel();
    assert.equal(d.store.snapshot().status, "open");
    const refusals = [];
    for (const lang of ["en", "hi"]) {
      res = await postVote(d.app, { ...ballot(2, "bjp"), phase: "mock" }, {
        "accept-language": lang,
      });
      refusals.push(await errorOf(res));
    }
    assert.deepEqual(refusals.map((e) => [e.status, e.code]), [
      [409, "mock_poll_over"],
      [409, "mock_poll_over"],
    ]);
    assert.equal(
      refusals[0].message,
      "The mock poll has ended; voting is now open. Please vote again.",
    );
    assert.match(refusals[1].message, /मॉक पोल/);
    assert.deepEqual([d.store.snapshot().total, (await d.store.recount()).total], [0, 0]);
    // A phase no booth sends is refused, not taken for a real vote.
    res = await postVote(d.app, { ...ballot(2, "bjp"), phase: "Mock" });
    assert.deepEqual([(await errorOf(res)).code, res.status], ["invalid_input", 400]);
    // JSON clients that send no phase vote as before; the refused voter votes again.
    res = await postVote(d.app, ballot(2, "bjp"));
    assert.equal(res.status, 201);
    await res.body?.cancel();
    assert.equal((await d.store.recount()).total, 1);
  } finally {
    await d.dispose();
  }
});

Deno.test("the no-JavaScript booth says it showed the mock poll: a confirmation after the opening is refused, nothing counted", async () => {
  const d = await dayApp({ opensAt: "admin" });
  try {
    const cookie = await signIn(d.app, PASSWORD);
    await (await d.app.request("/admin/mock-poll", form(cookie))).body?.cancel();
    const booth = await (await d.app.request("/")).text();
    assert.match(booth, /<input type="hidden" name="phase" value="mock"\/?>/);
    // The party's step, during the mock poll: the confirm page carries the phase on.
    const vote = { ...ballot(3, "congress"), phase: "mock" };
    const confirm = await d.app.request("/vote", {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: boothForm(vote),
    });
    assert.equal(confirm.status, 200);
    const page = await confirm.text();
    assert.match(page, /<input type="hidden" name="phase" value="mock"\/?>/);
    const token = page.match(/name="token" value="([^"]+)"/)![1];

    await (await d.app.request("/admin/open", form(cookie))).body?.cancel();
    assert.equal(d.store.snapshot().status, "open");
    for (const lang of ["en", "hi"]) {
      const res = await d.app.request(`/vote?lang=${lang}`, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: boothForm({ ...vote, step: "confirm", token }),
      });
      assert.equal(res.status, 409, lang);
      const again = await res.text();
      assert.ok(
        again.includes(
          lang === "en"
            ? "The mock poll has ended; voting is now open. Please vote again."
            : "मॉक पोल",
        ),
        lang,
      );
      // The booth again, as it is now: real voting, no banner, no mock phase, the details kept.
      assert.doesNotMatch(again, /name="phase"/);
      assert.match(again, new RegExp(`value="${ballot(3).voterId}"`));
    }
    // The first step of a mock booth's form after the opening is told at once too.
    const first = await d.app.request("/vote", {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: boothForm(vote),
    });
    assert.equal(first.status, 409);
    await first.body?.cancel();
    assert.deepEqual([d.store.snapshot().total, (await d.store.recount()).total], [0, 0]);
    assert.deepEqual(await d.store.turnout(), []);

    // Voting again from the booth as it is now counts, once.
    const { phase: _, ...real } = vote;
    const step1 = await (await d.app.request("/vote", {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: boothForm(real),
    })).text();
    assert.doesNotMatch(step1, /name="phase"/);
    const token2 = step1.match(/name="token" value="([^"]+)"/)![1];
    const cast = await d.app.request("/vote", {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: boothForm({ ...real, step: "confirm", token: token2 }),
    });
    assert.equal(cast.status, 303);
    await cast.body?.cancel();
    assert.equal((await d.store.recount()).total, 1);
  } finally {
    await d.dispose();
  }
});
