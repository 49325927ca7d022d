/**
 * A vote in an election with a roll. Without codes the booth asks for the
 * name and voter ID (age and address come from the roll); with codes, for
 * the voter ID and the one-time code only. One schema per kind of booth,
 * used by the server and by the booth island.
 */
import * as v from "valibot";
import { VoteError } from "./errors.ts";
import type { RollInfo } from "./roll.ts";
import { nameKey } from "./roll.ts";
import type { Ballot } from "./types.ts";
import { type BallotWords, issueKey, sayIn, VoteSchema } from "./vote_schema.ts";
import { isCodeShaped, normaliseCode } from "./voting_code.ts";

/** Which details the booth asks for: an open election's, a roll's, or a roll with codes. */
export type BoothMode = "open" | "roll" | "codes";

/**
 * The booth's mode for an election's roll.
 *
 * @param roll The stored roll, or null.
 * @returns The mode.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { boothMode } from "./roll_vote.ts";
 * assert.equal(boothMode(null), "open");
 * assert.equal(boothMode({ voters: 3, codes: true, fingerprint: "" }), "codes");
 * ```
 */
export function boothMode(roll: RollInfo | null): BoothMode {
  return roll === null ? "open" : roll.codes ? "codes" : "roll";
}

/** The fields each mode asks for, in the order they are shown. */
export const MODE_FIELDS: Record<BoothMode, string[]> = {
  open: ["name", "age", "address", "voterId"],
  roll: ["name", "voterId"],
  codes: ["voterId", "code"],
};

/** The code's message (a catalogue key, as the vote schema's are). */
const CODE_MESSAGE = "code_required";

const RollVoteSchema = v.object({
  name: VoteSchema.entries.name,
  voterId: VoteSchema.entries.voterId,
  party: VoteSchema.entries.party,
});

const CodeVoteSchema = v.object({
  voterId: VoteSchema.entries.voterId,
  code: v.optional(v.pipe(v.string(CODE_MESSAGE), v.maxLength(40, CODE_MESSAGE)), ""),
  party: VoteSchema.entries.party,
});

/** A vote checked against its booth's schema: the ballot and what it brings for the roll. */
export type RollVoteCheck =
  | { ok: true; ballot: Ballot; code?: string; nameKey?: string }
  | { ok: false; error: VoteError; fields: Record<string, string> };

/**
 * Checks the input of a vote in an election with a roll. A missing or
 * ill-formed code is `bad_code`, like a wrong one.
 *
 * @param input The decoded body.
 * @param partyIds The ids on the ballot.
 * @param mode `roll` or `codes`.
 * @param words The language of the messages, e.g. `ENGLISH` (`lib/i18n/en.ts`).
 * @returns The ballot (name, age and address to be filled from the roll), or the error.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { checkRollVote } from "./roll_vote.ts";
 * import { ENGLISH } from "../i18n/en.ts";
 * const r = checkRollVote(
 *   { voterId: "wkh1186253", code: "7kq2m x4tph", party: "aap" },
 *   ["aap"],
 *   "codes",
 *   ENGLISH,
 * );
 * assert.equal(r.ok && r.code, "7KQ2MX4TPH");
 * const bad = checkRollVote({ voterId: "WKH1186253", party: "aap" }, ["aap"], "codes", ENGLISH);
 * assert.equal(!bad.ok && bad.error.code, "bad_code");
 * ```
 */
export function checkRollVote(
  input: unknown,
  partyIds: readonly string[],
  mode: "roll" | "codes",
  words: BallotWords,
): RollVoteCheck {
  if (typeof input !== "object" || input === null || Array.isArray(input)) {
    const message = sayIn(words, mode === "codes" ? "form_invalid_codes" : "form_invalid_roll");
    return { ok: false, error: new VoteError("invalid_input", message), fields: {} };
  }
  const parsed = mode === "codes"
    ? v.safeParse(CodeVoteSchema, input)
    : v.safeParse(RollVoteSchema, input);
  if (!parsed.success) {
    const fields: Record<string, string> = {};
    for (const issue of parsed.issues) {
      const key = String(issue.path?.[0]?.key ?? "");
      if (!(key in fields)) fields[key] = sayIn(words, issueKey(key, issue));
    }
    const field = [...MODE_FIELDS[mode], "party"].find((f) => f in fields) ??
      Object.keys(fields)[0];
    const code = field === "code" ? "bad_code" : "invalid_input";
    return { ok: false, error: new VoteError(code, fields[field], field), fields };
  }
  const out = parsed.output as { name?: string; voterId: string; code?: string; party: string };
  if (!partyIds.includes(out.party)) {
    const error = new VoteError("unknown_party", sayIn(words, "unknown_party"), "party");
    return { ok: false, error, fields: { party: error.message } };
  }
  const ballot: Ballot = {
    name: out.name ?? "",
    age: 0,
    address: "",
    voterId: out.voterId,
    party: out.party,
  };
  if (mode === "roll") return { ok: true, ballot, nameKey: nameKey(ballot.name) };
  const code = normaliseCode(out.code ?? "");
  if (!isCodeShaped(code)) {
    const error = new VoteError("bad_code", sayIn(words, CODE_MESSAGE), "code");
    return { ok: false, error, fields: { code: error.message } };
  }
  return { ok: true, ballot, code };
}
