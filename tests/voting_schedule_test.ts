/** VotingSchedule on a manual clock, over a store double that records what it is asked. */
import assert from "node:assert/strict";
import { VotingSchedule } from "../lib/admin/voting_schedule.ts";
import { AuditLog } from "../lib/admin/audit_log.ts";
import { voteError } from "../lib/election/errors.ts";
import type { ClosedReason, ElectionDay, Tally } from "../lib/election/types.ts";
import { ManualTimers } from "../lib/timers.ts";
import { waitFor } from "./_wait.ts";

const DAY = 86_400_000;

/** A store that only keeps its status, and fails `open` as told. */
function storeDouble(day: ElectionDay, failOpen: (() => void)[] = []) {
  let tally: Tally = {
    status: "pending",
    total: 0,
    limit: null,
    parties: [],
    closedReason: null,
    result: null,
    results: "live",
    step: { size: 1, published: 0 },
    day,
  };
  const listeners = new Set<(t: Tally) => void>();
  const set = (next: Tally) => {
    tally = next;
    listeners.forEach((l) => l(tally));
  };
  const calls: string[] = [];
  return {
    calls,
    set,
    snapshot: () => tally,
    subscribe(listener: (t: Tally) => void) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    open() {
      calls.push("open");
      const fail = failOpen.shift();
      if (fail) {
        fail();
        return Promise.reject(voteError("mock_poll_uncleared"));
      }
      set({ ...tally, status: "open" });
      return Promise.resolve(tally);
    },
    close(reason: ClosedReason) {
      calls.push(`close:${reason}`);
      set({ ...tally, status: "closed", closedReason: reason });
      return Promise.resolve(tally);
    },
    recount: () => Promise.resolve({ counts: {}, total: 0, digest: "" }),
  };
}

Deno.test("VotingSchedule opens weeks ahead (past the runtime's longest timeout) and then closes", async () => {
  const timers = new ManualTimers(0);
  const day = { opensAt: 40 * DAY, byAdmin: false, closesAt: 41 * DAY, mockPoll: false };
  const store = storeDouble(day);
  const schedule = new VotingSchedule(store, new AuditLog(":memory:"), { timers });
  schedule.start();
  timers.advance(40 * DAY - 1);
  assert.deepEqual(store.calls, []);
  timers.advance(1);
  await waitFor(() => store.snapshot().status === "open", 5000);
  timers.advance(DAY);
  await waitFor(() => store.snapshot().status === "closed", 5000);
  assert.deepEqual(store.calls, ["open", "close:schedule"]);
  assert.equal(timers.pending, 0);
  schedule.stop();
});

Deno.test("VotingSchedule tries again when the mock poll is cleared while its opening was refused", async () => {
  const timers = new ManualTimers(0);
  const notices: string[] = [];
  const day = { opensAt: 1000, byAdmin: false, closesAt: null, mockPoll: true };
  // The clearing lands while the refused opening is under way: its news must not be lost.
  const store = storeDouble(day, [
    () => store.set({ ...store.snapshot(), day: { ...day, mockPoll: false } }),
  ]);
  const schedule = new VotingSchedule(store, new AuditLog(":memory:"), {
    timers,
    notice: (text) => notices.push(text),
  });
  schedule.start();
  timers.advance(1000);
  await waitFor(() => store.snapshot().status === "open", 5000);
  assert.deepEqual(store.calls, ["open", "open"]);
  assert.equal(notices.length, 1);
  schedule.stop();
});
