/**
 * The one schema for a voter's input, used by the server and by the booth
 * island before it sends. Age under 18 is `underage`, not `invalid_input`.
 */
import * as v from "valibot";
import { VoteError, voteError } from "./errors.ts";
import type { Ballot } from "./types.ts";
import { isValidEpic, normaliseVoterId } from "./voter_id.ts";

/** The voting age, in years. */
export const MIN_AGE = 18;
/** The oldest age accepted, in years (anything above is a typing mistake). */
export const MAX_AGE = 120;
/** The longest name accepted, in characters. */
export const NAME_MAX = 100;
/** The longest address accepted, in characters. */
export const ADDRESS_MAX = 200;

/** Bidirectional overrides and isolates can make text display as something else. */
const BIDI_CONTROLS = /[\u202A-\u202E\u2066-\u2069\u200E\u200F\u061C]/;
/** Letters and marks of any script, with joiners, spaces and . ' - between. */
const NAME = /^[\p{L}\p{M}](?:[\p{L}\p{M}\u200C\u200D .'-]*[\p{L}\p{M}.])?$/u;

function text(label: string, max: number) {
  return v.pipe(
    v.string(`${label} must be text.`),
    v.check((s) => s.isWellFormed(), `${label} contains broken characters.`),
    v.transform((s) => s.normalize("NFC").replace(/\s+/g, " ").trim()),
    v.nonEmpty(`Please enter your ${label.toLowerCase()}.`),
    v.maxLength(max, `${label} must be at most ${max} characters.`),
    v.check(
      (s) => !/\p{Cc}/u.test(s) && !BIDI_CONTROLS.test(s),
      `${label} contains control characters.`,
    ),
  );
}

/** The schema of the vote body; unknown keys are dropped. */
export const VoteSchema = v.object({
  name: v.pipe(
    text("Name", NAME_MAX),
    v.regex(
      NAME,
      "Name may contain only letters, spaces, dots, apostrophes and hyphens.",
    ),
  ),
  age: v.pipe(
    v.number("Age must be a number."),
    v.integer("Age must be a whole number of years."),
    v.minValue(0, "Age cannot be negative."),
    v.maxValue(MAX_AGE, `Age must be at most ${MAX_AGE}.`),
  ),
  address: text("Address", ADDRESS_MAX),
  voterId: v.pipe(
    v.string("Voter ID must be text."),
    v.maxLength(40, "Voter ID is too long."),
    v.transform(normaliseVoterId),
    v.nonEmpty("Please enter your voter ID."),
    v.check(
      isValidEpic,
      "Voter ID must be three letters and seven digits with a correct check digit, like WKH1186253.",
    ),
  ),
  party: v.pipe(
    v.string("Choose a party."),
    v.nonEmpty("Choose a party."),
    v.maxLength(64, "Choose a party."),
  ),
});

/** The outcome of checking a vote: the ballot, or the first error and every field's message. */
export type BallotCheck =
  | { ok: true; ballot: Ballot }
  | { ok: false; error: VoteError; fields: Record<string, string> };

const FIELD_ORDER = ["name", "age", "address", "voterId", "party"];

/**
 * Checks and normalises a vote. Errors come in a fixed order of precedence:
 * malformed input, then age under 18, then a party not on the ballot.
 *
 * @param input The decoded body (any value).
 * @param partyIds The ids on the ballot.
 * @returns The normalised ballot, or the error to report.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { checkBallot } from "./vote_schema.ts";
 * const vote = { name: "अनन्या पिल्लई", age: 30, address: "12 MG Road", voterId: "wkh 1186253", party: "aap" };
 * const r = checkBallot(vote, ["bjp", "aap"]);
 * assert.ok(r.ok);
 * assert.equal(r.ballot.voterId, "WKH1186253");
 * const young = checkBallot({ ...vote, age: 17 }, ["bjp", "aap"]);
 * assert.ok(!young.ok);
 * assert.equal(young.error.code, "underage");
 * assert.equal(young.error.field, "age");
 * ```
 */
export function checkBallot(
  input: unknown,
  partyIds: readonly string[],
): BallotCheck {
  if (typeof input !== "object" || input === null || Array.isArray(input)) {
    const error = new VoteError(
      "invalid_input",
      "The vote must be an object with name, age, address, voterId and party.",
    );
    return { ok: false, error, fields: {} };
  }
  const parsed = v.safeParse(VoteSchema, input);
  if (!parsed.success) {
    const fields: Record<string, string> = {};
    for (const issue of parsed.issues) {
      const key = String(issue.path?.[0]?.key ?? "");
      if (!(key in fields)) fields[key] = issue.message;
    }
    const field = FIELD_ORDER.find((f) => f in fields) ??
      Object.keys(fields)[0];
    return {
      ok: false,
      error: new VoteError("invalid_input", fields[field], field),
      fields,
    };
  }
  const ballot = parsed.output;
  if (ballot.age < MIN_AGE) {
    const error = voteError("underage", "age");
    return { ok: false, error, fields: { age: error.message } };
  }
  if (!partyIds.includes(ballot.party)) {
    const error = voteError("unknown_party", "party");
    return { ok: false, error, fields: { party: error.message } };
  }
  return { ok: true, ballot };
}

/**
 * Turns the booth's form fields (all strings) into the shape the schema
 * checks: the age becomes a number only when it is written as digits.
 *
 * @param form The submitted fields.
 * @returns An object for `checkBallot`.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { ballotFromForm } from "./vote_schema.ts";
 * assert.equal(ballotFromForm({ age: " 42 " }).age, 42);
 * // Anything else is left for the schema to refuse with its own message.
 * assert.equal(ballotFromForm({ age: "4.2" }).age, "4.2");
 * ```
 */
export function ballotFromForm(
  form: Record<string, unknown>,
): Record<string, unknown> {
  const age = typeof form.age === "string" && /^\s*\d{1,3}\s*$/.test(form.age)
    ? Number(form.age)
    : form.age;
  return { ...form, age };
}
