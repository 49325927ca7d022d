/**
 * The electoral roll's part of the store contract: SQLite and PostgreSQL run
 * the same steps (called from `store_contract.ts`).
 */
import assert from "node:assert/strict";
import { codeHash } from "../lib/election/code_hash.ts";
import { nameKey } from "../lib/election/roll.ts";
import type { ElectionRequest, ElectionStore } from "../lib/store/store.ts";
import { ballot, voterId } from "./_voters.ts";
import { codeOf } from "./_outcome.ts";

/** A store on a new database whose election has the roll of voters 0 … count-1. */
export type FreshWithRoll = (
  request: ElectionRequest,
  roll: { count: number; codes: boolean; underage?: number },
) => Promise<{ store: ElectionStore; codes: Map<string, string>; key?: Uint8Array }>;

function named(n: number) {
  return { nameKey: nameKey(ballot(n).name) };
}

/** Registers the roll steps on a contract test. */
export async function rollContract(t: Deno.TestContext, fresh: FreshWithRoll): Promise<void> {
  await t.step("a roll of 2,000: 2,000 valid voter IDs not on it are all refused", async () => {
    const { store } = await fresh({ step: 1 }, { count: 2000, codes: false });
    try {
      assert.deepEqual(
        { voters: store.roll?.voters, codes: store.roll?.codes },
        { voters: 2000, codes: false },
      );
      const outsiders = Array.from({ length: 2000 }, (_, i) => 10_000 + i);
      const codes = await Promise.all(
        outsiders.map((n) => codeOf(store.cast(ballot(n, "aap"), named(n)))),
      );
      assert.equal(codes.filter((c) => c === "not_on_roll").length, 2000);
      assert.equal(store.snapshot().total, 0);
      assert.equal((await store.turnout()).length, 0);
    } finally {
      await store.shutdown();
    }
  });

  await t.step("who has not voted yet changes by published steps, never vote by vote", async () => {
    const { store } = await fresh({ results: "live", step: 3 }, { count: 10, codes: false });
    try {
      const waiting = async () => (await store.notVoted()).map((e) => e.voterId);
      for (const n of [1, 2]) await store.cast(ballot(n, "bjp"), named(n));
      assert.equal((await waiting()).length, 10, "two votes of an unpublished step show nothing");
      await store.cast(ballot(3, "aap"), named(3));
      const after = await waiting();
      assert.equal(after.length, 7);
      assert.ok(![1, 2, 3].some((n) => after.includes(voterId(n))));
    } finally {
      await store.shutdown();
    }
  });

  await t.step(
    "a listed voter votes with the roll's name (forgiving), age and address",
    async () => {
      const { store } = await fresh({ step: 1 }, { count: 10, codes: false, underage: 4 });
      try {
        const typed = { ...ballot(1, "bjp"), name: "  VOTER-b. ", age: 0, address: "" };
        assert.equal(
          await codeOf(store.cast(ballot(2, "bjp"), { nameKey: "someone else" })),
          "not_on_roll",
        );
        assert.equal(await codeOf(store.cast(typed, { nameKey: nameKey(typed.name) })), "ok");
        assert.equal(await codeOf(store.cast(ballot(4, "bjp"), named(4))), "underage");
        const [entry] = await store.turnout();
        assert.deepEqual([entry.voterId, entry.name, entry.age, entry.address], [
          voterId(1),
          "Voter B",
          30,
          "1 Roll Road, Pune",
        ]);
        assert.equal(store.snapshot().total, 1);
        const notVoted = await store.notVoted();
        assert.equal(notVoted.length, 9);
        assert.ok(notVoted.every((e, i) => i === 0 || e.voterId > notVoted[i - 1].voterId));
        assert.ok(!notVoted.some((e) => e.voterId === voterId(1)));
        assert.deepEqual((await store.notVoted({ search: "voter c" })).map((e) => e.voterId), [
          voterId(2),
        ]);
        const page = await store.notVoted({ afterVoterId: notVoted[6].voterId, limit: 5 });
        assert.deepEqual(page.map((e) => e.voterId), [notVoted[7].voterId, notVoted[8].voterId]);
      } finally {
        await store.shutdown();
      }
    },
  );

  await t.step(
    "with codes: wrong and missing codes refused, right ones accepted once",
    async () => {
      const { store, codes, key } = await fresh({ step: 1 }, { count: 40, codes: true });
      try {
        assert.equal(codes.size, 40);
        const proof = (n: number, code?: string) => ({
          codeHash: code === undefined ? undefined : codeHash(key!, voterId(n), code),
        });
        for (let n = 0; n < 20; n++) {
          const other = codes.get(voterId(n + 1))!;
          assert.equal(await codeOf(store.cast(ballot(n), proof(n, other))), "bad_code");
          assert.equal(await codeOf(store.cast(ballot(n), proof(n))), "bad_code");
          assert.equal(await codeOf(store.cast(ballot(n), {})), "bad_code");
        }
        assert.equal(store.snapshot().total, 0);
        const right = await Promise.all(
          Array.from(
            { length: 40 },
            (_, n) => codeOf(store.cast(ballot(n), proof(n, codes.get(voterId(n))))),
          ),
        );
        assert.deepEqual(new Set(right), new Set(["ok"]));
        const again = await codeOf(store.cast(ballot(3), proof(3, codes.get(voterId(3)))));
        assert.equal(again, "already_voted");
        assert.equal(store.snapshot().total, 40);
      } finally {
        await store.shutdown();
      }
    },
  );

  await t.step(
    "admission answers as a cast would, casting nothing; an unlisted ID with codes is bad_code",
    async () => {
      const { store, codes, key } = await fresh({ step: 1 }, { count: 5, codes: true });
      try {
        const proof = (n: number, code: string) => ({ codeHash: codeHash(key!, voterId(n), code) });
        const right = codes.get(voterId(1))!;
        assert.equal(await store.admission(voterId(1), proof(1, right)), "admitted");
        assert.equal(await store.admission(voterId(2), proof(2, right)), "bad_code");
        assert.equal(await store.admission(voterId(2), {}), "bad_code");
        assert.equal(await store.admission(voterId(900), proof(900, right)), "bad_code");
        assert.equal(store.snapshot().total, 0);
        assert.equal((await store.notVoted()).length, 5);
      } finally {
        await store.shutdown();
      }
      const named = await fresh({ step: 1 }, { count: 5, codes: false, underage: 3 });
      try {
        const s = named.store;
        assert.equal(await s.admission(voterId(1), { nameKey: nameKey("voter b") }), "admitted");
        assert.equal(await s.admission(voterId(1), { nameKey: "someoneelse" }), "not_on_roll");
        assert.equal(await s.admission(voterId(900), { nameKey: "voterb" }), "not_on_roll");
        assert.equal(await s.admission(voterId(3), { nameKey: nameKey("Voter D") }), "underage");
      } finally {
        await named.store.shutdown();
      }
    },
  );

  await t.step("racing casts with one voter's code give one receipt", async () => {
    const { store, codes, key } = await fresh({ step: 1 }, { count: 5, codes: true });
    try {
      const hash = codeHash(key!, voterId(2), codes.get(voterId(2))!);
      const results = await Promise.all(
        Array.from(
          { length: 100 },
          (_, i) => codeOf(store.cast(ballot(2, i % 2 ? "aap" : "bjp"), { codeHash: hash })),
        ),
      );
      assert.equal(results.filter((c) => c === "ok").length, 1);
      assert.equal(results.filter((c) => c === "already_voted").length, 99);
      assert.equal(store.snapshot().total, 1);
    } finally {
      await store.shutdown();
    }
  });
}
