/**
 * Casting a vote from a booth's input, whatever the election's kind: open
 * (the input checked by the vote schema), with a roll (the name matched
 * against it), or with codes (the code checked, guessing throttled).
 */
import { errorField, VoteError, voteError } from "./errors.ts";
import { boothState } from "./election_day.ts";
import type { CodeThrottle } from "./code_throttle.ts";
import { boothMode, checkRollVote } from "./roll_vote.ts";
import { codeHash } from "./code_hash.ts";
import type { RollProof } from "./roll.ts";
import type { Ballot, Receipt } from "./types.ts";
import { type BallotWords, checkBallot } from "./vote_schema.ts";
import type { ElectionStore } from "../store/store.ts";

/** What casting needs besides the input. */
export interface VotingDeps {
  store: ElectionStore;
  /** The codes' key, for an election with codes. */
  codesKey?: Uint8Array;
  throttle: CodeThrottle;
}

/** A receipt, the error with every field's message, or (guessing codes) the seconds to wait. */
export type CastOutcome =
  | { ok: true; receipt: Receipt }
  | { ok: false; error: VoteError; fields: Record<string, string> }
  | { ok: false; retryAfter: number; message: string };

function refused(error: VoteError, fields: Record<string, string> = {}): CastOutcome {
  return { ok: false, error, fields: { ...fields, [error.field ?? "form"]: error.message } };
}

/**
 * Checks a vote and casts it; only a store failure other than a refusal throws.
 *
 * @param deps The store, the codes' key and the throttle.
 * @param input The decoded body or form.
 * @param client The client's address (for throttling code guesses).
 * @param options `words`: the language of an open election's field messages (English by default).
 * @returns The receipt or the refusal.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { castVote } from "./cast_vote.ts";
 * import { CodeThrottle } from "./code_throttle.ts";
 * import { openSqliteStore } from "../store/sqlite/sqlite_store.ts";
 * const dir = await Deno.makeTempDir();
 * const store = await openSqliteStore(`${dir}/e.db`, {});
 * const vote = { name: "Asha Rao", age: 34, address: "Pune", voterId: "WKH1186253", party: "aap" };
 * const outcome = await castVote({ store, throttle: new CodeThrottle() }, vote, "127.0.0.1");
 * assert.equal(outcome.ok && outcome.receipt.party, "aap");
 * await store.shutdown();
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export async function castVote(
  deps: VotingDeps,
  input: unknown,
  client: string,
  options: { words?: BallotWords } = {},
): Promise<CastOutcome> {
  const { store } = deps;
  const partyIds = store.parties.map((p) => p.id);
  const mode = boothMode(store.roll);
  // Before the opening, a vote is told that rather than how to fix its fields. Only a
  // refusal uses the cached state: a valid vote goes to the store, whose transaction
  // decides (another instance may have opened voting a moment ago).
  const notOpen = () =>
    boothState(store.snapshot()) === "not_open" ? refused(voteError("voting_not_open")) : null;
  try {
    if (mode === "open") {
      const checked = checkBallot(input, partyIds, options.words);
      if (!checked.ok) {
        return notOpen() ?? { ok: false, error: checked.error, fields: checked.fields };
      }
      return { ok: true, receipt: await store.cast(checked.ballot) };
    }
    const checked = checkRollVote(input, partyIds, mode);
    if (!checked.ok) {
      return notOpen() ?? { ok: false, error: checked.error, fields: checked.fields };
    }
    const proof = rollProof(checked, deps.codesKey);
    if (mode === "roll") return { ok: true, receipt: await store.cast(checked.ballot, proof) };
    const voterId = checked.ballot.voterId;
    const wait = await deps.throttle.begin(client, voterId);
    if (wait > 0) {
      const message =
        "Too many wrong codes for this voter ID from here; please wait before trying again.";
      return { ok: false, retryAfter: wait, message };
    }
    try {
      const receipt = await store.cast(checked.ballot, proof);
      await deps.throttle.settle(client, voterId, { wrong: false });
      return { ok: true, receipt };
    } catch (e) {
      await deps.throttle.settle(client, voterId, {
        wrong: e instanceof VoteError && e.code === "bad_code",
      });
      throw e;
    }
  } catch (e) {
    if (!(e instanceof VoteError)) throw e;
    if (mode === "open") return { ok: false, error: e, fields: { [errorField(e)]: e.message } };
    // With a roll, name, age and address are not asked: a refusal belongs to the ID or the code.
    const field = e.code === "bad_code"
      ? "code"
      : e.code === "voting_closed" || e.code === "voting_not_open"
      ? undefined
      : "voterId";
    return refused(new VoteError(e.code, e.message, field));
  }
}

/**
 * What a checked vote brings to the roll: the name's key, or the code's keyed hash.
 *
 * @param check A successful `checkRollVote`.
 * @param key The codes' key (with codes).
 * @returns The proof for `store.cast`.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { rollProof } from "./cast_vote.ts";
 * assert.deepEqual(rollProof({ ballot: { voterId: "WKH1186253" }, nameKey: "asharao" }), { nameKey: "asharao" });
 * ```
 */
export function rollProof(
  check: { ballot: Pick<Ballot, "voterId">; code?: string; nameKey?: string },
  key?: Uint8Array,
): RollProof {
  if (check.code !== undefined && key) {
    return { codeHash: codeHash(key, check.ballot.voterId, check.code) };
  }
  return { nameKey: check.nameKey };
}
