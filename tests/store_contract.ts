/**
 * The contract every `ElectionStore` passes. SQLite and PostgreSQL run the
 * same steps against a real database.
 */
import assert from "node:assert/strict";
import { ElectionMismatchError } from "../lib/election/election_config.ts";
import type { ElectionRequest, ElectionStore } from "../lib/store/store.ts";
import type { Tally, TurnoutEntry } from "../lib/election/types.ts";
import { ballot } from "./_voters.ts";
import { type FreshWithRoll, rollContract } from "./roll_contract.ts";
import { electionDayContract } from "./election_day_contract.ts";
import { codeOf } from "./_outcome.ts";

/** Opens stores for the contract: each `fresh` call gets a new, empty database. */
export interface StoreFactory {
  /** A store on a new, empty database. */
  fresh(request: ElectionRequest): Promise<ElectionStore>;
  /** The same database as the last `fresh` store, opened again after it shut down. */
  reopen(request: ElectionRequest): Promise<ElectionStore>;
  /** A store on a new database whose election has an electoral roll (`roll_contract.ts`). */
  freshWithRoll?: FreshWithRoll;
  /** Frees whatever the factory holds. */
  dispose?(): Promise<void>;
}

function votesOf(tally: Tally): Record<string, number | null> {
  return Object.fromEntries(tally.parties.map((p) => [p.id, p.votes]));
}

/** Orders `step:voterId` keys as the register does. */
function cursorOrder(a: string, b: string): number {
  const [sa, va] = a.split(":");
  const [sb, vb] = b.split(":");
  return Number(sa) - Number(sb) || (va < vb ? -1 : va > vb ? 1 : 0);
}

/** Registers the contract tests for one store implementation; `ignore` when its server is missing. */
export function storeContract(
  name: string,
  makeFactory: () => Promise<StoreFactory>,
  options: { ignore?: boolean } = {},
) {
  Deno.test({ name: `${name} store contract`, ignore: options.ignore, fn: storeSteps });

  async function storeSteps(t: Deno.TestContext) {
    const made = await makeFactory();
    // Most steps check counting one vote at a time, so they publish every vote
    // (steps of 1); the steps about publication ask for their own.
    const factory: StoreFactory = {
      ...made,
      fresh: (request) => made.fresh({ step: 1, ...request }),
    };
    try {
      await t.step("live results move only in steps, the register with them", async () => {
        const store = await factory.fresh({ step: 3 });
        try {
          const seen: Tally[] = [];
          store.subscribe((tally) => seen.push(tally));
          await store.cast(ballot(1, "aap"));
          await store.cast(ballot(2, "bjp"));
          assert.deepEqual([store.snapshot().total, seen.length], [0, 0]);
          assert.deepEqual(await store.turnout(), []);
          assert.deepEqual(await store.turnout({ search: "Voter" }), []);
          await store.cast(ballot(3, "aap"));
          const tally = store.snapshot();
          assert.deepEqual([tally.total, tally.step], [3, { size: 3, published: 1 }]);
          assert.deepEqual(votesOf(tally), { bjp: 1, congress: 0, aap: 2, nota: 0 });
          assert.equal(seen.length, 1, "one message for the whole step");
          const register = await store.turnout();
          assert.deepEqual(register.map((e) => e.step), [1, 1, 1]);
          assert.ok(register.every((e, i) => i === 0 || register[i - 1].voterId < e.voterId));
          await store.cast(ballot(4, "nota"));
          assert.equal(store.snapshot().total, 3);
          assert.equal((await store.turnout()).length, 3);
          const closed = await store.close("admin");
          assert.deepEqual([closed.total, closed.parties[3].votes], [4, 1]);
          assert.equal((await store.turnout()).length, 4, "the close publishes every voter");
        } finally {
          await store.shutdown();
        }
      });

      await t.step(
        "turnout and sealed modes hide party counts (and sealed the total) until the close",
        async () => {
          for (const results of ["turnout", "sealed"] as const) {
            const store = await factory.fresh({ results, step: 2 });
            try {
              const seen: string[] = [];
              store.subscribe((tally) => seen.push(JSON.stringify(tally)));
              const before = JSON.stringify(store.snapshot());
              for (let i = 1; i <= 3; i++) await store.cast(ballot(i, "bjp"));
              const open = store.snapshot();
              if (results === "sealed") {
                // Nothing but open or closed: not even the steps filled so far.
                assert.equal(JSON.stringify(open), before);
                assert.ok(seen.every((m) => m === before));
              }
              assert.equal(open.results, results);
              assert.equal(open.total, results === "turnout" ? 3 : null);
              assert.ok(open.parties.every((p) => p.votes === null));
              assert.equal((await store.turnout()).length, 2, "the register follows the steps");
              const closed = await store.close("admin");
              assert.deepEqual([closed.total, closed.parties[0].votes], [3, 3]);
              assert.deepEqual(closed.result, { winner: "bjp", tie: [] });
            } finally {
              await store.shutdown();
            }
          }
          await assert.rejects(factory.reopen({ results: "live" }), ElectionMismatchError);
        },
      );

      await t.step("a new election starts open with every party at zero", async () => {
        const store = await factory.fresh({ limit: 10 });
        try {
          const tally = store.snapshot();
          assert.equal(tally.status, "open");
          assert.equal(tally.total, 0);
          assert.equal(tally.limit, 10);
          assert.deepEqual(tally.parties.map((p) => p.id), ["bjp", "congress", "aap", "nota"]);
          assert.equal(tally.result, null);
        } finally {
          await store.shutdown();
        }
      });

      await t.step("a cast returns a receipt, counts once and notifies subscribers", async () => {
        const store = await factory.fresh({});
        try {
          const seen: Tally[] = [];
          store.subscribe((tally) => seen.push(tally));
          const receipt = await store.cast(ballot(1, "aap"));
          assert.match(receipt.receipt, /^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$/);
          assert.equal(receipt.party, "aap");
          assert.equal(store.snapshot().total, 1);
          assert.equal(votesOf(store.snapshot()).aap, 1);
          assert.ok(seen.length >= 1 && seen.at(-1)!.total === 1);
          assert.equal(await store.hasReceipt(receipt.receipt), true);
          assert.equal(await store.hasReceipt("0000-0000-0000"), false);
        } finally {
          await store.shutdown();
        }
      });

      await t.step("one voter, one vote: 200 racing casts give exactly one receipt", async () => {
        const store = await factory.fresh({});
        try {
          const codes = await Promise.all(
            Array.from(
              { length: 200 },
              (_, i) => codeOf(store.cast(ballot(7, i % 2 ? "bjp" : "aap"))),
            ),
          );
          assert.equal(codes.filter((c) => c === "ok").length, 1);
          assert.equal(codes.filter((c) => c === "already_voted").length, 199);
          assert.equal(store.snapshot().total, 1);
        } finally {
          await store.shutdown();
        }
      });

      await t.step("the limit is exact: 300 racing voters against a limit of 50", async () => {
        const store = await factory.fresh({ limit: 50 });
        try {
          const codes = await Promise.all(
            Array.from({ length: 300 }, (_, i) => codeOf(store.cast(ballot(1000 + i, "congress")))),
          );
          assert.equal(codes.filter((c) => c === "ok").length, 50);
          assert.equal(codes.filter((c) => c === "voting_closed").length, 250);
          const tally = store.snapshot();
          assert.equal(tally.total, 50);
          assert.equal(tally.status, "closed");
          assert.equal(tally.closedReason, "limit");
          assert.deepEqual(tally.result, { winner: "congress", tie: [] });
          assert.equal((await store.turnout({ limit: 1000 })).length, 50);
        } finally {
          await store.shutdown();
        }
      });

      await t.step("closing refuses later votes, and a second close", async () => {
        const store = await factory.fresh({});
        try {
          await store.cast(ballot(1, "bjp"));
          const closed = await store.close("admin");
          assert.equal(closed.status, "closed");
          assert.equal(closed.closedReason, "admin");
          assert.deepEqual(closed.result, { winner: "bjp", tie: [] });
          assert.equal(await codeOf(store.cast(ballot(2, "bjp"))), "voting_closed");
          assert.equal(await codeOf(store.close("admin")), "voting_closed");
          assert.equal(store.snapshot().total, 1);
        } finally {
          await store.shutdown();
        }
      });

      await t.step("a close racing a flood of votes: the count at close is final", async () => {
        const store = await factory.fresh({});
        try {
          // Waves of votes keep arriving before, during and after the close.
          const flood: { code: Promise<string>; afterClose: boolean }[] = [];
          let closing: Promise<Tally> | undefined;
          let closed: Tally | undefined;
          for (let wave = 0; wave < 40; wave++) {
            for (let i = 0; i < 10; i++) {
              const code = codeOf(store.cast(ballot(5000 + wave * 10 + i, "aap")));
              flood.push({ code, afterClose: closed !== undefined });
            }
            if (wave === 10) closing = store.close("admin").then((t) => closed = t);
            await new Promise((r) => setTimeout(r, 1));
          }
          await closing;
          const codes = await Promise.all(flood.map((f) => f.code));
          assert.ok(closed && closed.total! > 0, "votes before the close were counted");
          assert.equal(codes.filter((c) => c === "ok").length, closed.total);
          assert.ok(codes.every((c) => c === "ok" || c === "voting_closed"));
          assert.ok(flood.every((f, i) => !f.afterClose || codes[i] === "voting_closed"));
          assert.equal(store.snapshot().total, closed.total);
          assert.equal((await store.turnout({ limit: 1000 })).length, closed.total);
        } finally {
          await store.shutdown();
        }
      });

      await t.step("an unknown party changes nothing, and the voter can still vote", async () => {
        const store = await factory.fresh({});
        try {
          assert.equal(await codeOf(store.cast(ballot(3, "shiv-sena"))), "unknown_party");
          assert.equal(store.snapshot().total, 0);
          assert.equal((await store.turnout()).length, 0);
          assert.equal(await codeOf(store.cast(ballot(3, "nota"))), "ok");
        } finally {
          await store.shutdown();
        }
      });

      await t.step("the turnout register says who voted and when, never how", async () => {
        const store = await factory.fresh({});
        try {
          for (let i = 0; i < 5; i++) await store.cast(ballot(20 + i, "aap"));
          await store.cast({ ...ballot(30, "bjp"), name: "अनन्या पिल्लई", address: "50% Lane_2" });
          const all = await store.turnout();
          assert.equal(all.length, 6);
          const keys = (es: TurnoutEntry[]) => es.map((e) => `${e.step}:${e.voterId}`);
          assert.deepEqual(keys(all), keys(all).toSorted((a, b) => cursorOrder(a, b)));
          assert.ok(
            all.every((e) => Object.keys(e).sort().join() === "address,age,name,step,voterId"),
          );
          const latest = await store.turnout({ newestFirst: true, limit: 2 });
          assert.deepEqual(keys(latest), [keys(all)[5], keys(all)[4]]);
          const after = { step: all[1].step, voterId: all[1].voterId };
          const page = await store.turnout({ after, limit: 2 });
          assert.deepEqual(keys(page), keys(all).slice(2, 4));
          assert.deepEqual((await store.turnout({ search: "पिल्लई" })).map((e) => e.name), [
            "अनन्या पिल्लई",
          ]);
          assert.equal((await store.turnout({ search: "50%" })).length, 1);
          assert.equal((await store.turnout({ search: "%" })).length, 1);
        } finally {
          await store.shutdown();
        }
      });

      await t.step("the election survives a restart, and a closed one stays closed", async () => {
        const first = await factory.fresh({ limit: 3 });
        await first.cast(ballot(40, "bjp"));
        await first.cast(ballot(41, "nota"));
        await first.shutdown();
        const second = await factory.reopen({});
        try {
          assert.deepEqual(votesOf(second.snapshot()), { bjp: 1, congress: 0, aap: 0, nota: 1 });
          assert.equal(second.snapshot().limit, 3);
          assert.equal(await codeOf(second.cast(ballot(40, "aap"))), "already_voted");
          assert.equal(await codeOf(second.cast(ballot(42, "aap"))), "ok");
          assert.equal(second.snapshot().status, "closed");
        } finally {
          await second.shutdown();
        }
        const third = await factory.reopen({ limit: 3 });
        try {
          assert.equal(third.snapshot().status, "closed");
          assert.equal(third.snapshot().total, 3);
          assert.equal(await codeOf(third.cast(ballot(43, "aap"))), "voting_closed");
        } finally {
          await third.shutdown();
        }
      });

      await t.step(
        "a limit or party list that contradicts the stored election is refused",
        async () => {
          const store = await factory.fresh({ limit: 5 });
          await store.shutdown();
          await assert.rejects(factory.reopen({ limit: 6 }), ElectionMismatchError);
          await assert.rejects(factory.reopen({ limit: null }), ElectionMismatchError);
          await assert.rejects(
            factory.reopen({ parties: [{ id: "x", name: "X", color: "#000000", logo: "x.svg" }] }),
            ElectionMismatchError,
          );
          const again = await factory.reopen({ limit: 5 });
          await again.shutdown();
        },
      );

      if (factory.freshWithRoll) await rollContract(t, factory.freshWithRoll);
      await electionDayContract(t, factory);
    } finally {
      await factory.dispose?.();
    }
  }
}
