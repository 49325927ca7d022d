/**
 * Casting a vote from a booth's input, whatever the election's kind: open
 * (the input checked by the vote schema), with a roll (the name matched
 * against it, guessing throttled), or with codes (the code checked, guessing throttled).
 */
import { errorField, VoteError, voteError } from "./errors.ts";
import { boothState } from "./election_day.ts";
import type { CodeThrottle } from "./code_throttle.ts";
import { boothMode, checkRollVote } from "./roll_vote.ts";
import { codeHash } from "./code_hash.ts";
import type { RollProof } from "./roll.ts";
import type { Ballot, Receipt } from "./types.ts";
import { type BallotWords, checkBallot, sayIn } from "./vote_schema.ts";
import { ENGLISH } from "../i18n/en.ts";
import type { CastOptions, ElectionStore } from "../store/store.ts";

/** What casting needs besides the input. */
export interface VotingDeps {
  /** The election the vote goes to. */
  store: ElectionStore;
  /** The codes' key, for an election with codes. */
  codesKey?: Uint8Array;
  /** Slows down guessing of codes or names, per address and voter ID. */
  throttle: CodeThrottle;
  /** The voting schedule: from the closing time on, no vote is cast (its timeout may be late). */
  schedule?: { pastClosing(): boolean };
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
 * The phase a booth says it showed (`phase`: `"mock"` under the MOCK POLL
 * banner), as the store takes it; null for a value no booth sends, which is
 * refused rather than taken for a real vote.
 */
function shownPhase(input: unknown): CastOptions | null {
  const phase = typeof input === "object" && input !== null
    ? (input as Record<string, unknown>).phase
    : undefined;
  if (phase === undefined) return {};
  return phase === "mock" ? { phase } : null;
}

/**
 * Checks a vote and casts it; only a store failure other than a refusal throws.
 * A vote whose booth showed the mock poll (`"phase": "mock"`) is refused with
 * `mock_poll_over` if voting has opened by the time it reaches the store.
 *
 * @param deps The store, the codes' key and the throttle.
 * @param input The decoded body or form.
 * @param client The client's address (for throttling guesses of codes, or of names without codes).
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
  if (deps.schedule?.pastClosing()) {
    const closed = voteError("voting_closed");
    return mode === "open" ? refused(closed) : rollRefusal(closed, options.words);
  }
  const shown = shownPhase(input);
  if (!shown) {
    return refused(
      new VoteError("invalid_input", sayIn(options.words ?? ENGLISH, "phase_invalid")),
    );
  }
  try {
    if (mode === "open") {
      const checked = checkBallot(input, partyIds, options.words ?? ENGLISH);
      if (!checked.ok) {
        return notOpen() ?? { ok: false, error: checked.error, fields: checked.fields };
      }
      return { ok: true, receipt: await store.cast(checked.ballot, undefined, shown) };
    }
    const checked = checkRollVote(input, partyIds, mode, options.words ?? ENGLISH);
    if (!checked.ok) {
      return notOpen() ?? { ok: false, error: checked.error, fields: checked.fields };
    }
    const proof = rollProof(checked, deps.codesKey);
    // Without codes the name is the secret: a vote tries it as the first step does, throttled alike.
    const outcome = await throttled(
      deps,
      client,
      checked.ballot.voterId,
      options.words,
      () => store.cast(checked.ballot, proof, shown),
    );
    if ("retryAfter" in outcome) {
      if (mode === "codes") return outcome;
      return { ...outcome, message: sayIn(options.words ?? ENGLISH, "name_throttled") };
    }
    return { ok: true, receipt: outcome.value };
  } catch (e) {
    if (!(e instanceof VoteError)) throw e;
    if (mode === "open") return { ok: false, error: e, fields: { [errorField(e)]: e.message } };
    return rollRefusal(e, options.words);
  }
}

/** With a roll, name, age and address are not asked: a refusal belongs to the ID or the code. */
function rollRefusal(e: VoteError, words: BallotWords = ENGLISH): CastOutcome {
  const field = e.code === "bad_code"
    ? "code"
    : e.code === "voting_closed" || e.code === "voting_not_open" || e.code === "mock_poll_over"
    ? undefined
    : "voterId";
  // The store's refusals carry English; the voter reads their own language.
  const message = e.message === voteError(e.code).message ? sayIn(words, e.code) : e.message;
  return refused(new VoteError(e.code, message, field));
}

/**
 * Runs `attempt` (which checks a voting code, or at the booth's first step a
 * name against the roll) through the throttle: a wrong code or name counts
 * for this (client, voter ID), and a client past its limit waits.
 */
async function throttled<T>(
  deps: VotingDeps,
  client: string,
  voterId: string,
  words: BallotWords = ENGLISH,
  attempt: () => Promise<T>,
): Promise<{ value: T } | { ok: false; retryAfter: number; message: string }> {
  // `begin` and `settle` answer at once, without a promise, for a voter's right code.
  const begun = deps.throttle.begin(client, voterId);
  const wait = typeof begun === "number" ? begun : await begun;
  if (wait > 0) return { ok: false, retryAfter: wait, message: sayIn(words, "code_throttled") };
  let wrong = false;
  try {
    const value = await attempt();
    wrong = value === "bad_code" || value === "not_on_roll";
    return { value };
  } catch (e) {
    wrong = e instanceof VoteError && (e.code === "bad_code" || e.code === "not_on_roll");
    throw e;
  } finally {
    const settled = deps.throttle.settle(client, voterId, { wrong });
    if (settled) await settled;
  }
}

/** What the booth's first step learns: go on to the confirm step, or the refusal. */
export type VoterCheck =
  | { ok: true }
  | { ok: false; error: VoteError; fields: Record<string, string> }
  | { ok: false; retryAfter: number; message: string };

/**
 * Checks a voter against the roll before the confirm step, casting nothing:
 * the voter learns of a wrong code or a name not on the roll at once. The
 * check goes through the same throttle as a vote with codes (a wrong name
 * counts as a wrong try too), and an ID not on the roll answers `bad_code`
 * with codes, as a wrong code does. An open election admits anyone
 * the schema admits.
 *
 * @param deps The store, the codes' key and the throttle.
 * @param input The decoded form.
 * @param client The client's address (for throttling guesses of codes, or of names without codes).
 * @param options `words`: the language of the messages (English by default).
 * @returns `ok`, or the refusal with every field's message, or the seconds to wait.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { checkVoter } from "./cast_vote.ts";
 * import { CodeThrottle } from "./code_throttle.ts";
 * import { openSqliteStore } from "../store/sqlite/sqlite_store.ts";
 * const dir = await Deno.makeTempDir();
 * const store = await openSqliteStore(`${dir}/e.db`, {});
 * const vote = { name: "Asha Rao", age: 34, address: "Pune", voterId: "WKH1186253", party: "aap" };
 * assert.deepEqual(await checkVoter({ store, throttle: new CodeThrottle() }, vote, "127.0.0.1"), { ok: true });
 * await store.shutdown();
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export async function checkVoter(
  deps: VotingDeps,
  input: unknown,
  client: string,
  options: { words?: BallotWords } = {},
): Promise<VoterCheck> {
  const { store } = deps;
  const partyIds = store.parties.map((p) => p.id);
  const mode = boothMode(store.roll);
  if (mode === "open") {
    const checked = checkBallot(input, partyIds, options.words ?? ENGLISH);
    return checked.ok ? { ok: true } : checked;
  }
  const checked = checkRollVote(input, partyIds, mode, options.words ?? ENGLISH);
  if (!checked.ok) return checked;
  const proof = rollProof(checked, deps.codesKey);
  const voterId = checked.ballot.voterId;
  // Names are guessable where codes are not: without codes, a check that casts nothing
  // would let anyone test names against IDs freely, so a wrong name counts as a wrong try.
  const outcome = await throttled(
    deps,
    client,
    voterId,
    options.words,
    () => store.admission(voterId, proof),
  );
  if ("retryAfter" in outcome) {
    if (mode === "codes") return outcome;
    return { ...outcome, message: sayIn(options.words ?? ENGLISH, "name_throttled") };
  }
  if (outcome.value === "admitted") return { ok: true };
  const refusal = rollRefusal(voteError(outcome.value), options.words);
  return refusal as VoterCheck;
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
