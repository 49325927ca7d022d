import assert from "node:assert/strict";
import {
  advancePublication,
  openPublication,
  publishedTally,
} from "../lib/election/publication.ts";
import fc from "fast-check";
import { VoteError } from "../lib/election/errors.ts";
import { DEFAULT_PARTIES } from "../lib/election/parties.ts";
import {
  applyVote,
  closeTally,
  electionResult,
  NOTA,
  openTally,
  type TallyState,
} from "../lib/tally.ts";

const IDS = ["bjp", "congress", "aap", "nota"];

/** Applies votes until closed, as a store does; returns the state and how many were refused. */
function run(votes: string[], limit: number | null): { state: TallyState; refused: number } {
  let state = openTally(IDS, limit);
  let refused = 0;
  for (const party of votes) {
    try {
      state = applyVote(state, party);
    } catch (e) {
      assert.ok(e instanceof VoteError && e.code === "voting_closed");
      refused++;
    }
  }
  return { state, refused };
}

const votesArb = fc.array(fc.constantFrom(...IDS), { maxLength: 300 });
const limitArb = fc.option(fc.integer({ min: 1, max: 200 }), { nil: null });

Deno.test("applyVote() keeps the total equal to the sum of the parties", () => {
  fc.assert(fc.property(votesArb, limitArb, (votes, limit) => {
    const { state } = run(votes, limit);
    assert.equal(state.total, Object.values(state.counts).reduce((a, b) => a + b, 0));
  }));
});

Deno.test("applyVote() never goes past the limit, and closes exactly at it", () => {
  fc.assert(fc.property(votesArb, limitArb, (votes, limit) => {
    const { state, refused } = run(votes, limit);
    if (limit === null) {
      assert.equal(state.total, votes.length);
      assert.equal(state.status, "open");
      return;
    }
    assert.equal(state.total, Math.min(limit, votes.length));
    assert.equal(refused, Math.max(0, votes.length - limit));
    assert.equal(state.status === "closed", votes.length >= limit);
    if (state.status === "closed") assert.equal(state.closedReason, "limit");
  }));
});

Deno.test("electionResult() picks the party with most votes, never NOTA, and reports ties", () => {
  const countsArb = fc.record(Object.fromEntries(IDS.map((id) => [id, fc.nat(50)])));
  fc.assert(fc.property(countsArb, (counts) => {
    const { winner, tie } = electionResult(counts);
    const best = Math.max(...IDS.filter((id) => id !== NOTA).map((id) => counts[id]));
    const leaders = IDS.filter((id) => id !== NOTA && counts[id] === best && best > 0);
    if (leaders.length === 1) {
      assert.equal(winner, leaders[0]);
      assert.deepEqual(tie, []);
    } else {
      assert.equal(winner, null);
      assert.deepEqual(tie, leaders);
    }
    assert.notEqual(winner, NOTA);
    assert.ok(!tie.includes(NOTA));
  }));
});

Deno.test("electionResult() gives no winner without votes, or with only NOTA votes", () => {
  assert.deepEqual(electionResult({ bjp: 0, aap: 0, nota: 0 }), { winner: null, tie: [] });
  assert.deepEqual(electionResult({ bjp: 0, aap: 0, nota: 12 }), { winner: null, tie: [] });
  assert.deepEqual(electionResult({ bjp: 2, aap: 1, nota: 12 }), { winner: "bjp", tie: [] });
});

Deno.test("applyVote() refuses a closed tally and a party not on the ballot", () => {
  const closed = closeTally(openTally(IDS, null), "admin");
  assert.throws(
    () => applyVote(closed, "bjp"),
    (e) => e instanceof VoteError && e.code === "voting_closed",
  );
  assert.throws(
    () => applyVote(openTally(IDS, null), "toString"),
    (e) => e instanceof VoteError && e.code === "unknown_party",
  );
  assert.throws(
    () => closeTally(closed, "admin"),
    (e) => e instanceof VoteError && e.code === "voting_closed",
  );
});

Deno.test("publishedTally() shows the result only once closed, and no per-vote version", () => {
  let state = openTally(IDS, 2);
  const publication = openPublication("live", 10, IDS);
  assert.equal(publishedTally(DEFAULT_PARTIES, state, publication).result, null);
  state = applyVote(state, "aap");
  const open = publishedTally(DEFAULT_PARTIES, state, advancePublication(publication, state));
  assert.equal(open.total, 0, "one vote is not a step");
  assert.ok(!("version" in open));
  state = applyVote(state, "aap");
  const tally = publishedTally(DEFAULT_PARTIES, state, advancePublication(publication, state));
  assert.equal(tally.status, "closed");
  assert.equal(tally.total, 2, "the close publishes whatever the step");
  assert.deepEqual(tally.result, { winner: "aap", tie: [] });
  assert.deepEqual(tally.parties.map((p) => p.name), ["BJP", "Congress", "AAP", "NOTA"]);
});
