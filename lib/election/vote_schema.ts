/**
 * The one schema for a voter's input, used by the server and by the booth
 * island before it sends. Age under 18 is `underage`, not `invalid_input`.
 * The schema's messages are catalogue keys (`lib/i18n/en.ts`), turned into
 * the voter's language by `checkBallot`; the schema library's own wording
 * never reaches anyone.
 */
import * as v from "valibot";
import { VoteError } from "./errors.ts";
import type { Ballot } from "./types.ts";
import { asciiDigits, isValidEpic, isVoterIdText, normaliseVoterId } from "./voter_id.ts";
import type { MessageKey } from "../i18n/en.ts";
import { fill, type Locale } from "../i18n/format.ts";

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
/**
 * Letters and marks of any script, with joiners, spaces, dots, apostrophes
 * (straight, curly as phones type them, and the modifier letter) and hyphens
 * (the ASCII one, and Unicode's hyphen and non-breaking hyphen that text pasted from a
 * document brings) between; the Devanagari abbreviation sign `॰` (as in `डॉ॰`) counts as a dot.
 */
const NAME =
  /^[\p{L}\p{M}](?:[\p{L}\p{M}\u200C\u200D .'\u2019\u02BC\u0970\u2010\u2011-]*[\p{L}\p{M}.\u0970])?$/u;

/** The fields' messages that take a placeholder, and its value. */
export const FIELD_PARAMS: Partial<Record<MessageKey, Record<string, number>>> = {
  name_too_long: { max: NAME_MAX },
  address_too_long: { max: ADDRESS_MAX },
  age_max: { max: MAX_AGE },
};

function text(field: "name" | "address", max: number) {
  const broken = `${field}_broken` as const;
  return v.pipe(
    v.string(`${field}_required` as const),
    v.check((s) => s.isWellFormed(), broken),
    v.transform((s) => s.normalize("NFC").replace(/\s+/g, " ").trim()),
    v.nonEmpty(`${field}_required` as const),
    v.maxLength(max, `${field}_too_long` as const),
    v.check((s) => !/\p{Cc}/u.test(s) && !BIDI_CONTROLS.test(s), broken),
  );
}

/** The schema of the vote body; unknown keys are dropped. Messages are catalogue keys. */
export const VoteSchema = v.object({
  name: v.pipe(text("name", NAME_MAX), v.regex(NAME, "name_chars")),
  age: v.pipe(
    v.number("age_number"),
    v.integer("age_number"),
    v.minValue(0, "age_number"),
    v.maxValue(MAX_AGE, "age_max"),
  ),
  address: text("address", ADDRESS_MAX),
  voterId: v.pipe(
    v.string("voterId_required"),
    v.maxLength(40, "voterId_too_long"),
    v.transform(normaliseVoterId),
    v.nonEmpty("voterId_required"),
    v.check(isVoterIdText, "voterId_chars"),
    v.check(isValidEpic, "voterId_epic"),
  ),
  party: v.pipe(
    v.string("party_required"),
    v.nonEmpty("party_required"),
    v.maxLength(64, "party_required"),
  ),
});

/** The outcome of checking a vote: the ballot, or the first error and every field's message. */
export type BallotCheck =
  | { ok: true; ballot: Ballot }
  | { ok: false; error: VoteError; fields: Record<string, string> };

/** The words `checkBallot` speaks: a language and its messages (the island gets them as props). */
export interface BallotWords {
  /** The language the messages are in. */
  locale: Locale;
  /** The messages by catalogue key (an island gets only those it needs). */
  messages: Readonly<Record<MessageKey, string>> | Readonly<Partial<Record<MessageKey, string>>>;
}

/**
 * Every message `checkBallot` and `checkRollVote` may say: the schemas'
 * keys, and the whole form's. An island must be given each of them (`BOOTH_KEYS`).
 */
export const BALLOT_KEYS = [
  "name_required",
  "name_broken",
  "name_too_long",
  "name_chars",
  "age_required",
  "age_number",
  "age_max",
  "address_required",
  "address_broken",
  "address_too_long",
  "voterId_required",
  "voterId_too_long",
  "voterId_chars",
  "voterId_epic",
  "party_required",
  "form_invalid",
  "invalid_input",
  "underage",
  "unknown_party",
  // An election with a roll (`roll_vote.ts`).
  "code_required",
  "form_invalid_roll",
  "form_invalid_codes",
] as const satisfies readonly MessageKey[];

const KNOWN = new Set<string>(BALLOT_KEYS);

const FIELD_ORDER = ["name", "age", "address", "voterId", "party"];

/**
 * A catalogue message in the language of `words`, its placeholders filled.
 *
 * @param words The language and its messages.
 * @param key The message.
 * @returns The text to show.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { sayIn } from "./vote_schema.ts";
 * import { ENGLISH } from "../i18n/en.ts";
 * assert.equal(sayIn(ENGLISH, "age_max"), "Please check your age: it must be at most 120.");
 * ```
 */
export function sayIn(words: BallotWords, key: MessageKey): string {
  // Every caller passes a whole catalogue, or an island the words it needs (BALLOT_KEYS).
  return fill(words.locale, words.messages[key] ?? key, FIELD_PARAMS[key]);
}

/**
 * The message for a schema issue: "required" when the field is missing, else
 * its key when it is one of ours.
 *
 * @param field The field the issue is about.
 * @param issue The schema library's issue.
 * @returns The catalogue key to show.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { issueKey } from "./vote_schema.ts";
 * assert.equal(issueKey("name", { input: undefined, message: "x" } as never), "name_required");
 * ```
 */
export function issueKey(field: string, issue: v.BaseIssue<unknown>): MessageKey {
  const required = `${field}_required`;
  const known = (key: string): key is MessageKey => KNOWN.has(key);
  if (issue.input === undefined && known(required)) return required;
  if (known(issue.message)) return issue.message;
  return field === "age" ? "age_number" : known(required) ? required : "invalid_input";
}

/**
 * Checks and normalises a vote. Errors come in a fixed order of precedence:
 * malformed input, then age under 18, then a party not on the ballot. Every
 * message is from the catalogue, in the language of `words`.
 *
 * @param input The decoded body (any value).
 * @param partyIds The ids on the ballot.
 * @param words The language to answer in, e.g. `ENGLISH` (`lib/i18n/en.ts`).
 * @returns The normalised ballot, or the error to report.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { checkBallot } from "./vote_schema.ts";
 * import { ENGLISH } from "../i18n/en.ts";
 * import { HI } from "../i18n/hi.ts";
 * const vote = { name: "अनन्या पिल्लई", age: 30, address: "12 MG Road", voterId: "wkh 1186253", party: "aap" };
 * const r = checkBallot(vote, ["bjp", "aap"], ENGLISH);
 * assert.ok(r.ok);
 * assert.equal(r.ballot.voterId, "WKH1186253");
 * const young = checkBallot({ ...vote, age: 17 }, ["bjp", "aap"], ENGLISH);
 * assert.ok(!young.ok);
 * assert.equal(young.error.code, "underage");
 * assert.equal(young.error.field, "age");
 * // A missing field is asked for in the voter's words, never the schema library's.
 * const { address: _, ...noAddress } = vote;
 * const missing = checkBallot(noAddress, ["bjp", "aap"], { locale: "hi", messages: HI });
 * assert.ok(!missing.ok);
 * assert.equal(missing.error.message, "कृपया अपना पता लिखें।");
 * ```
 */
export function checkBallot(
  input: unknown,
  partyIds: readonly string[],
  words: BallotWords,
): BallotCheck {
  const say = (key: MessageKey) => sayIn(words, key);
  if (typeof input !== "object" || input === null || Array.isArray(input)) {
    return { ok: false, error: new VoteError("invalid_input", say("form_invalid")), fields: {} };
  }
  const parsed = v.safeParse(VoteSchema, input);
  if (!parsed.success) {
    const fields: Record<string, string> = {};
    for (const issue of parsed.issues) {
      const key = String(issue.path?.[0]?.key ?? "");
      if (FIELD_ORDER.includes(key) && !(key in fields)) fields[key] = say(issueKey(key, issue));
    }
    const field = FIELD_ORDER.find((f) => f in fields);
    const message = field ? fields[field] : say("invalid_input");
    return { ok: false, error: new VoteError("invalid_input", message, field), fields };
  }
  const ballot = parsed.output;
  if (ballot.age < MIN_AGE) {
    const error = new VoteError("underage", say("underage"), "age");
    return { ok: false, error, fields: { age: error.message } };
  }
  if (!partyIds.includes(ballot.party)) {
    const error = new VoteError("unknown_party", say("unknown_party"), "party");
    return { ok: false, error, fields: { party: error.message } };
  }
  return { ok: true, ballot };
}

/**
 * Turns the booth's form fields (all strings) into the shape the schema
 * checks: the age becomes a number when it is written in decimal digits of
 * any script (`34`, `३४`, `৩৪`, `３４`).
 *
 * @param form The submitted fields.
 * @returns An object for `checkBallot`.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { ballotFromForm } from "./vote_schema.ts";
 * assert.equal(ballotFromForm({ age: " 42 " }).age, 42);
 * assert.equal(ballotFromForm({ age: "३४" }).age, 34);
 * // Anything else is left for the schema to refuse with its own message.
 * assert.equal(ballotFromForm({ age: "4.2" }).age, "4.2");
 * assert.equal(ballotFromForm({ age: "" }).age, undefined);
 * ```
 */
export function ballotFromForm(
  form: Record<string, unknown>,
): Record<string, unknown> {
  let age = form.age;
  if (typeof age === "string") {
    const trimmed = age.trim();
    if (trimmed === "") age = undefined;
    else if (/^\p{Nd}{1,3}$/u.test(trimmed)) age = Number(asciiDigits(trimmed));
  }
  return { ...form, age };
}
