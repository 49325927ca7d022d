/**
 * The secret ballot against someone holding an open election's SQLite file,
 * between two published steps: the file holds the counters as they are now,
 * the register with each voter's step, and what the last step published. If
 * that publication kept its party counts, the counters' difference from it
 * would be the party tally of the voters of the step not yet published; a
 * voter alone in that step would be linked to their choice. In `turnout`
 * and `sealed` modes no party count is ever published before the close, so
 * the file must not keep one. (In `live` mode the step's counts are public
 * anyway: see the README's "What is not protected".)
 */
import assert from "node:assert/strict";
import { DatabaseSync } from "node:sqlite";
import { SqliteLedger } from "../lib/store/sqlite/sqlite_ledger.ts";
import type { ResultsMode } from "../lib/election/publication.ts";
import { ballot, voterId } from "./_voters.ts";
import { bucketPages, counterCells, shmPages } from "./_forensics.ts";

const PARTIES = ["bjp", "congress", "aap", "nota"];

/**
 * What the adversary claims from a copy of the main file: the voters of the
 * unpublished step, and the parties whose counters grew since the last
 * published step (with how much).
 */
function pendingStepTally(path: string) {
  const db = new DatabaseSync(path, { readOnly: true });
  try {
    const election = db.prepare("SELECT step, published FROM election").get() as {
      step: number;
      published: string;
    };
    const published = JSON.parse(election.published) as Record<string, number>;
    const grew = new Map<string, number>();
    for (const row of db.prepare("SELECT party, votes FROM counts").all()) {
      const added = (row.votes as number) - (published[row.party as string] ?? 0);
      if (added > 0) grew.set(row.party as string, added);
    }
    const voters = db.prepare("SELECT voter_id FROM turnout WHERE step > ?").all(election.step)
      .map((r) => r.voter_id as string);
    return { voters, grew };
  } finally {
    db.close();
  }
}

for (const mode of ["turnout", "sealed"] as ResultsMode[]) {
  Deno.test(`SQLite file of an open ${mode} election: the counters and the last step link no voter of the next step`, async () => {
    const dir = await Deno.makeTempDir();
    const path = `${dir}/e.db`;
    try {
      const ledger = new SqliteLedger(path, { results: mode, step: 10 });
      // Four steps of ten, every party in each, then one voter alone in step 5.
      for (let n = 1; n <= 41; n++) {
        ledger.apply([{ kind: "cast", ballot: ballot(n, n === 41 ? "aap" : PARTIES[n % 4]) }]);
        ledger.forgetHistory();
      }
      assert.equal(Deno.statSync(`${path}-wal`).size, 0, "the log should be empty");
      for (const state of ["open", "restarted after an earlier version"]) {
        await Deno.copyFile(path, `${dir}/copy.db`);
        const { voters, grew } = pendingStepTally(`${dir}/copy.db`);
        assert.deepEqual(voters, [voterId(41)], "the register names the step's voter");
        const linked = grew.size === 1 && [...grew.values()][0] === voters.length;
        assert.ok(
          !linked,
          `${state}: the counters and the last step's counts give the step's tally ${
            JSON.stringify(Object.fromEntries(grew))
          }, so its one voter voted ${[...grew.keys()][0]}`,
        );
        if (state === "open") {
          ledger.close();
          // As an earlier version left it: the last step's party counts in the file.
          const older = new DatabaseSync(path);
          older.exec(
            `UPDATE election SET published = '{"bjp":10,"congress":10,"aap":10,"nota":10}'`,
          );
          older.close();
          new SqliteLedger(path, {}).close();
          const bytes = new TextDecoder("latin1").decode(await Deno.readFile(path));
          assert.ok(!bytes.includes('"congress":10'), "the old counts should be zeroed");
        }
      }
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  });
}

Deno.test("SQLite counters sit where their values put them, whatever the order of the votes", async () => {
  // A counter that grows a byte (1 to 2, 127 to 128…) makes its row larger:
  // SQLite writes it again elsewhere on the page, so where the counters sit
  // would say which party reached 2 votes first: with these four votes, the
  // last voter's party.
  const dir = await Deno.makeTempDir();
  try {
    const layouts = [];
    for (
      const order of [["bjp", "bjp", "aap", "aap"], ["aap", "aap", "bjp", "bjp"], [
        "aap",
        "bjp",
        "bjp",
        "aap",
      ]]
    ) {
      const path = `${dir}/${order.join("-")}.db`;
      const ledger = new SqliteLedger(path, { results: "sealed" });
      order.forEach((party, i) => {
        ledger.apply([{ kind: "cast", ballot: ballot(i + 1, party) }]);
        ledger.forgetHistory();
      });
      ledger.close();
      layouts.push(counterCells(await Deno.readFile(path), PARTIES));
    }
    assert.ok(layouts[0].length >= PARTIES.length, `counters found: ${layouts[0]}`);
    assert.deepEqual(layouts[1], layouts[0], "the counters moved in the order the votes came");
    assert.deepEqual(layouts[2], layouts[0], "the counters moved in the order the votes came");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("SQLite log index (-shm) names no bucket a ballot was settled into, once the log is emptied", async () => {
  // The index of the write-ahead log lists the pages of each frame. Emptying
  // the log does not clear it: it would keep, until the next commit (or
  // after a SIGKILL), the bucket the last voters' ballots went to, among 10.
  const dir = await Deno.makeTempDir();
  const path = `${dir}/e.db`;
  try {
    const ledger = new SqliteLedger(path, { limit: 4000 });
    const buckets = bucketPages(await Deno.readFile(path));
    assert.ok(buckets.size >= 10, `${buckets.size} buckets`);
    for (let n = 1; n <= 5; n++) {
      ledger.apply([{ kind: "cast", ballot: ballot(n, PARTIES[n % 4]) }]);
      ledger.forgetHistory();
      assert.equal(Deno.statSync(`${path}-wal`).size, 0, "the log should be empty");
      const listed = shmPages(await Deno.readFile(`${path}-shm`));
      const named = listed.filter((page) => buckets.has(page));
      assert.deepEqual(named, [], `vote ${n}: the log's index lists pages ${listed}`);
    }
    ledger.close();
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
