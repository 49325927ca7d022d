/**
 * The secret ballot against someone holding the SQLite files: 40 votes, then
 * in each state (open, killed, restarted, closed, renamed aside) the raw
 * main file, write-ahead log and journal are read byte by byte
 * (`_forensics.ts`) and the adversary tries to pair voters with ballots.
 * Chance pairs about one voter with their ballot, and guesses about a
 * quarter of the parties.
 */
import assert from "node:assert/strict";
import {
  chanceBound,
  journalHistory,
  linkByHistory,
  linkByOrder,
  read,
  readOrEmpty,
  score,
  walHistory,
} from "./_forensics.ts";
import { startServer } from "./_server.ts";
import { sendVote, voterId } from "./_voters.ts";

const PARTIES = ["bjp", "congress", "aap", "nota"];
const VOTES = 40;

type Truth = Map<string, { party: string; receipt: string }>;

/**
 * Casts `VOTES` votes one at a time (one commit each), random parties,
 * 0.3 s apart as in the issue: a little more than the store's shortest time
 * between two emptyings of the write-ahead log (250 ms).
 */
async function castVotes(url: string, first: number): Promise<Truth> {
  const truth: Truth = new Map();
  for (let n = first; n < first + VOTES; n++) {
    if (n > first) await new Promise((r) => setTimeout(r, 300));
    const party = PARTIES[Math.floor(Math.random() * PARTIES.length)];
    const res = await sendVote(url, n, party);
    assert.equal(res.status, 201);
    truth.set(voterId(n), { party, receipt: (await res.json()).receipt });
  }
  return truth;
}

/** Reads the files at `db` as they are now and asserts no attack beats chance. */
async function attack(db: string, truth: Truth, state: string) {
  const [main, wal, journal] = await Promise.all(
    ["", "-wal", "-journal"].map((s) => readOrEmpty(db + s)),
  );
  // The file as SQLite would read it now: the main file with the log's frames laid over it.
  const states = walHistory(main, wal);
  const found = read(states[states.length - 1], PARTIES);
  const order = score(linkByOrder(found), truth);
  const history = score(
    linkByHistory([...journalHistory(main, journal).slice(0, -1), ...states], PARTIES),
    truth,
  );
  console.log(
    `${state}: ${found.ballots.length} ballots and ${found.voters.length} voters read; ` +
      `parties ${
        JSON.stringify(Object.fromEntries(PARTIES.map((p) => [
          p,
          [...truth.values()].filter((t) => t.party === p).length,
        ])))
      }; ` +
      `order pairs ${order.receipts} ballots (${order.parties} parties right); ` +
      `history claims ${history.claims}, ${history.parties} right; wal ${wal.length} B, journal ${journal.length} B`,
  );
  assert.equal(found.ballots.length, VOTES, "the adversary should find every ballot");
  // A random pairing matches about one voter with their own ballot (Poisson, mean 1):
  // 8 or more happens about once in a hundred thousand; a real leak pairs most of 40.
  assert.ok(
    order.receipts <= 7,
    `${state}: cell order paired ${order.receipts} voters with their ballot`,
  );
  const bound = chanceBound(found, truth);
  assert.ok(
    order.parties <= bound,
    `${state}: cell order gave ${order.parties} voters' party (chance: at most ${bound})`,
  );
  assert.ok(
    history.parties <= 3,
    `${state}: the log's history gave ${history.parties} voters' party`,
  );
}

Deno.test("SQLite files link no voter to a ballot: open, killed, restarted, renamed aside", async (t) => {
  const dir = await Deno.makeTempDir({ prefix: "matdaan-forensic-" });
  const db = `${dir}/election.db`;
  try {
    let server = await startServer(["--db", db]);
    const truth = await castVotes(server.url, 1000);
    await t.step("open", () => attack(db, truth, "open"));
    server.process.kill("SIGKILL");
    await server.stop();
    await t.step("killed", () => attack(db, truth, "killed"));
    server = await startServer(["--db", db]);
    await t.step("restarted", () => attack(db, truth, "restarted"));
    await server.stop("SIGKILL");
    server = await startServer(["--db", db, "--new-election"]);
    const aside = server.output().match(/Previous election kept as (\S+\.db)/)?.[1];
    await server.stop();
    assert.ok(aside, server.output());
    await t.step("renamed aside", () => attack(aside, truth, "renamed aside"));
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("SQLite files link no voter to a ballot: closed, killed after the close, restarted", async (t) => {
  const dir = await Deno.makeTempDir({ prefix: "matdaan-forensic-" });
  const db = `${dir}/election.db`;
  try {
    let server = await startServer(["--db", db, "--limit", String(VOTES)]);
    const truth = await castVotes(server.url, 2000);
    server.process.kill("SIGKILL");
    await server.stop();
    await t.step("closed and killed", () => attack(db, truth, "closed, killed"));
    server = await startServer(["--db", db]);
    await t.step("closed and restarted", () => attack(db, truth, "closed, restarted"));
    await server.stop();
    await t.step("closed and stopped", () => attack(db, truth, "closed, stopped"));
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
