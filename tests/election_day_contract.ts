/**
 * The election day's part of the store contract (`store_contract.ts`): an
 * election that waits for its opening, the mock poll, and the schedule
 * stored with the election. SQLite and PostgreSQL run the same steps.
 */
import assert from "node:assert/strict";
import { ElectionMismatchError } from "../lib/election/election_config.ts";
import type { ElectionRequest, ElectionStore } from "../lib/store/store.ts";
import { ballot } from "./_voters.ts";
import { codeOf } from "./_outcome.ts";

/** The factory's half the steps need. */
interface Factory {
  fresh(request: ElectionRequest): Promise<ElectionStore>;
  reopen(request: ElectionRequest): Promise<ElectionStore>;
}

/** How many votes the mock poll casts (the "Done when"). */
export const MOCK_VOTES = 50;

/** Runs the election day's steps. */
export async function electionDayContract(t: Deno.TestContext, factory: Factory): Promise<void> {
  await t.step("before the opening every vote is refused with voting_not_open", async () => {
    const store = await factory.fresh({ opensAt: "admin", limit: 5 });
    try {
      const tally = store.snapshot();
      assert.equal(tally.status, "pending");
      assert.deepEqual(tally.day, {
        opensAt: null,
        byAdmin: true,
        closesAt: null,
        mockPoll: false,
      });
      assert.equal(await codeOf(store.cast(ballot(1))), "voting_not_open");
      assert.equal(await codeOf(store.close("admin")), "ok", "an election may end unopened");
    } finally {
      await store.shutdown();
    }
  });

  await t.step("the administrator opens voting; opening twice is refused", async () => {
    const store = await factory.fresh({ opensAt: "admin" });
    try {
      const changes: string[] = [];
      store.subscribe((t) => changes.push(t.status));
      await store.open();
      assert.equal(store.snapshot().status, "open");
      assert.deepEqual(changes, ["open"]);
      assert.equal(await codeOf(store.open()), "voting_open");
      assert.equal(await codeOf(store.startMockPoll()), "voting_open");
      assert.equal(await codeOf(store.cast(ballot(1))), "ok");
    } finally {
      await store.shutdown();
    }
  });

  await t.step(
    `a mock poll of ${MOCK_VOTES} votes is counted and shown, blocks the opening, and is cleared to nothing`,
    async () => {
      const store = await factory.fresh({ opensAt: "admin", limit: 20, step: 10 });
      try {
        await store.startMockPoll();
        assert.equal(store.snapshot().day?.mockPoll, true);
        const parties = ["bjp", "congress", "aap", "nota"];
        const receipts = await Promise.all(
          Array.from({ length: MOCK_VOTES }, (_, i) => store.cast(ballot(i, parties[i % 4]))),
        );
        // Counted in full, past the limit of 20, and shown at once (not by steps).
        const tally = store.snapshot();
        assert.deepEqual([tally.status, tally.total], ["pending", MOCK_VOTES]);
        assert.deepEqual(tally.parties.map((p) => p.votes), [13, 13, 12, 12]);
        // Never shown against the limit (no "50 of 20 votes"): the mock poll is not the election.
        assert.equal(tally.limit, null);
        assert.equal((await store.turnout({ limit: 1000 })).length, MOCK_VOTES);
        assert.equal(await codeOf(store.open()), "mock_poll_uncleared");
        assert.equal(await codeOf(store.close("schedule")), "mock_poll_uncleared");
        const cleared = await store.clearMockPoll();
        assert.deepEqual(cleared, { bjp: 13, congress: 13, aap: 12, nota: 12 });
        const after = store.snapshot();
        assert.deepEqual([after.status, after.total, after.day?.mockPoll], ["pending", 0, false]);
        assert.equal(after.limit, 20);
        assert.deepEqual(await store.turnout(), []);
        assert.equal((await store.recount()).total, 0);
        assert.equal(await store.hasReceipt(receipts[0].receipt), false);
        await store.open();
        // The mock voters may vote for real: the register forgot them.
        assert.equal(await codeOf(store.cast(ballot(0, "aap"))), "ok");
        assert.equal(store.snapshot().total, 0, "one vote is not a step of 10");
      } finally {
        await store.shutdown();
      }
    },
  );

  await t.step(
    "votes that reach the store with its opening (or a mock poll's start) are taken",
    async () => {
      // Voters pressing "Vote" at the moment voting opens: their votes share the opening's batch.
      const store = await factory.fresh({ opensAt: "admin", step: 1 });
      try {
        const mock = codeOf(store.startMockPoll());
        const mockVotes = Array.from({ length: 5 }, (_, i) => codeOf(store.cast(ballot(i))));
        assert.equal(await mock, "ok");
        assert.deepEqual(await Promise.all(mockVotes), Array(5).fill("ok"));
        await store.clearMockPoll();
        const open = codeOf(store.open());
        const votes = Array.from({ length: 5 }, (_, i) => codeOf(store.cast(ballot(10 + i))));
        assert.equal(await open, "ok");
        assert.deepEqual(await Promise.all(votes), Array(5).fill("ok"));
        assert.equal((await store.recount()).total, 5);
      } finally {
        await store.shutdown();
      }
    },
  );

  await t.step(
    "votes cast after a clearing and an opening sent at once are kept: counted, registered, receipted",
    async () => {
      // Two administrators (or a script) press "Clear mock poll" and "Open voting" together,
      // while voters keep voting: every vote of the same transaction as the clearing was wiped.
      const store = await factory.fresh({ opensAt: "admin", step: 1 });
      try {
        await store.startMockPoll();
        const mock = Array.from({ length: 10 }, (_, i) => store.cast(ballot(i)));
        const clearing = store.clearMockPoll();
        const opening = store.open();
        const real = Array.from({ length: 10 }, (_, i) => store.cast(ballot(100 + i, "aap")));
        const remock = codeOf(store.startMockPoll());
        await Promise.all([...mock, clearing, opening]);
        const receipts = await Promise.all(real);
        assert.equal(await remock, "voting_open");
        assert.deepEqual(await clearing, { bjp: 10, congress: 0, aap: 0, nota: 0 });
        assert.deepEqual([store.snapshot().status, store.snapshot().total], ["open", 10]);
        const count = await store.recount();
        assert.deepEqual([count.total, count.counts], [10, {
          bjp: 0,
          congress: 0,
          aap: 10,
          nota: 0,
        }]);
        assert.equal(await store.hasReceipt(receipts[0].receipt), true, "its receipt is counted");
        assert.equal(await codeOf(store.cast(ballot(100))), "already_voted", "no second vote");
        assert.equal((await store.turnout({ limit: 100 })).length, 10);
      } finally {
        await store.shutdown();
      }
    },
  );

  await t.step(
    "a vote from a booth that showed the mock poll is refused once voting is open, and changes nothing",
    async () => {
      const store = await factory.fresh({ opensAt: "admin", step: 1 });
      const mock = { phase: "mock" as const };
      try {
        await store.startMockPoll();
        assert.equal(await codeOf(store.cast(ballot(1), undefined, mock)), "ok", "during it");
        await store.clearMockPoll();
        // Cleared, not open yet: the booth says voting has not opened.
        assert.equal(await codeOf(store.cast(ballot(2), undefined, mock)), "voting_not_open");
        // A mock poll nobody voted in may be opened over; the votes of its booths
        // reach the store after the opening, some in the opening's own batch.
        await store.startMockPoll();
        const opening = codeOf(store.open());
        const late = Array.from(
          { length: 5 },
          (_, i) => codeOf(store.cast(ballot(20 + i), undefined, mock)),
        );
        assert.equal(await opening, "ok");
        assert.deepEqual(await Promise.all(late), Array(5).fill("mock_poll_over"));
        assert.equal(await codeOf(store.cast(ballot(1), undefined, mock)), "mock_poll_over");
        const tally = store.snapshot();
        assert.deepEqual([tally.status, tally.total], ["open", 0]);
        assert.equal((await store.recount()).total, 0);
        assert.deepEqual(await store.turnout(), [], "nobody is on the register");
        // Voting again from the open booth (no phase) is a real vote, the voter's first.
        assert.equal(await codeOf(store.cast(ballot(20))), "ok");
        assert.equal(await codeOf(store.cast(ballot(20))), "already_voted");
        // A booth that showed real voting cannot meet a mock poll: none starts after the opening.
        assert.equal(await codeOf(store.startMockPoll()), "voting_open");
        await store.close("admin");
        assert.equal(await codeOf(store.cast(ballot(3), undefined, mock)), "voting_closed");
        assert.equal((await store.recount()).total, 1);
      } finally {
        await store.shutdown();
      }
    },
  );

  await t.step("a mock poll and the waiting state survive a restart", async () => {
    const first = await factory.fresh({ opensAt: "admin" });
    await first.startMockPoll();
    await first.cast(ballot(7));
    await first.shutdown();
    const second = await factory.reopen({});
    try {
      const tally = second.snapshot();
      assert.deepEqual([tally.status, tally.day?.mockPoll, tally.total], ["pending", true, 1]);
      assert.equal(await codeOf(second.cast(ballot(7))), "already_voted");
      await second.clearMockPoll();
      assert.equal(second.snapshot().total, 0);
    } finally {
      await second.shutdown();
    }
  });

  await t.step(
    "the schedule is stored: the closing time may move on resume, the opening may not",
    async () => {
      const opensAt = Date.UTC(2030, 0, 1, 2, 30);
      const first = await factory.fresh({ opensAt, closesAt: opensAt + 3_600_000 });
      assert.equal(first.snapshot().status, "pending");
      await first.shutdown();
      const later = opensAt + 7_200_000;
      const second = await factory.reopen({ closesAt: later });
      try {
        assert.deepEqual(second.snapshot().day, {
          opensAt,
          byAdmin: false,
          closesAt: later,
          mockPoll: false,
        });
      } finally {
        await second.shutdown();
      }
      await assert.rejects(factory.reopen({ opensAt: "admin" }), ElectionMismatchError);
      await assert.rejects(factory.reopen({ closesAt: opensAt - 1 }), ElectionMismatchError);
      const third = await factory.reopen({});
      try {
        assert.equal(third.snapshot().day?.closesAt, later);
      } finally {
        await third.shutdown();
      }
    },
  );
}
