/**
 * The electoral roll: who may vote. One row per voter (EPIC number, name,
 * age, address), checked as the booth checks a voter's input. The roll joins
 * the turnout register, never the ballots.
 */
import * as v from "valibot";
import { VoteSchema } from "./vote_schema.ts";
import type { MessageKey } from "../i18n/en.ts";
import type { RollWordKey } from "../i18n/roll_words.ts";
import { isValidEpic, normaliseVoterId } from "./voter_id.ts";

/** A voter on the roll, normalised. */
export interface RollEntry {
  /** The EPIC number, normalised (`WKH1186253`). */
  voterId: string;
  /** The name as on the roll. */
  name: string;
  /** Age in whole years, at most `ROLL_MAX_AGE`. */
  age: number;
  /** The address as on the roll. */
  address: string;
}

/** What an election stores about its roll. */
export interface RollInfo {
  /** Voters on the roll. */
  voters: number;
  /** Whether each voter also needs a one-time voting code. */
  codes: boolean;
  /** SHA-256 of the roll file, so a resumed election can tell another roll from its own. */
  fingerprint: string;
}

/** How to look through the voters on the roll who have not voted yet. */
export interface NotVotedQuery {
  /** Only voter IDs after this one (for paging, in voter ID order). */
  afterVoterId?: string;
  /** At most this many (default 100, at most 1000). */
  limit?: number;
  /** Case-insensitive text to find in the voter ID, name or address. */
  search?: string;
}

/** A voter on the roll as stored: the code only as its keyed hash, or null without codes. */
export interface StoredRollEntry extends RollEntry {
  /** The name's key for comparing a typed name (`nameKey()`). */
  nameKey: string;
  /** The keyed hash of the voter's code (hex), or null without codes. */
  codeHash: string | null;
}

/**
 * What a vote brings to be checked against the roll: without codes the key
 * of the name typed (`nameKey`), with codes the keyed hash of the code typed.
 */
export interface RollProof {
  /** Without codes: the key of the name typed (`nameKey()`). */
  nameKey?: string;
  /** With codes: the keyed hash of the code typed (hex, `codeHash()`). */
  codeHash?: string;
}

/**
 * One problem with a roll row or file: a catalogue message (`roll_problem_…`)
 * and its placeholders, so the command line prints it in English and the
 * admin panel in the reader's language (`roll_problems.ts`).
 */
export interface RollProblem {
  /** The catalogue key of the message (`roll_problem_…`). */
  key: RollWordKey;
  /** The message's placeholders, by name. */
  params?: Record<string, string>;
  /** A field's own message (`name_chars`, …), filled into `{message}` in the same language. */
  field?: MessageKey;
}

/** The oldest age a roll may give (the booth's limit). */
export const ROLL_MAX_AGE = 120;

/** Cells a spreadsheet would run as a formula. */
const FORMULA = /^[=+\-@\t\r]/;

/**
 * The key a name is compared by: Unicode compatibility form, lower case,
 * and only letters, marks and digits (spaces and punctuation dropped), so
 * that "ASHA  RAO", "asha rao" and "Asha-Rao." all match "Asha Rao", and a
 * name typed in decomposed form matches the composed one.
 *
 * @param name A name as typed or as on the roll.
 * @returns The comparison key.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { nameKey } from "./roll.ts";
 * assert.equal(nameKey("  ASHA  Rao. "), nameKey("asha-rao"));
 * assert.equal(nameKey("Jose\u0301"), nameKey("José"));
 * assert.notEqual(nameKey("Asha Rao"), nameKey("Asha Ray"));
 * ```
 */
export function nameKey(name: string): string {
  return name.normalize("NFKC").toLowerCase().replace(/[^\p{L}\p{M}\p{N}]+/gu, "").normalize(
    "NFC",
  );
}

function fieldProblem(column: string, value: string): RollProblem | null {
  // Checked as it will be stored: trimmed, so " =1+1" is a formula too.
  if (FORMULA.test(value.trim())) {
    return { key: "roll_problem_formula", params: { column, value: value.slice(0, 20) } };
  }
  return null;
}

function schemaProblem(column: string, message: string): RollProblem {
  return { key: "roll_problem_field", params: { column }, field: message as MessageKey };
}

/**
 * Checks one row of a roll file (its cells by column name) and normalises it.
 *
 * @param cells The row's cells: `voter_id`, `name`, `age` and optionally `address`.
 * @returns The entry, or the problems found (catalogue messages, `roll_problems.ts` words them).
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { checkRollRow } from "./roll.ts";
 * const ok = checkRollRow({ voter_id: "wkh 1186253", name: "Asha Rao", age: "34", address: "" });
 * assert.deepEqual(ok, {
 *   ok: true,
 *   entry: { voterId: "WKH1186253", name: "Asha Rao", age: 34, address: "" },
 * });
 * const bad = checkRollRow({ voter_id: "WKH1186263", name: "=cmd()", age: "abc" });
 * assert.equal(bad.ok, false);
 * assert.equal(!bad.ok && bad.problems.length, 3);
 * ```
 */
export function checkRollRow(
  cells: Record<string, string | undefined>,
): { ok: true; entry: RollEntry } | { ok: false; problems: RollProblem[] } {
  const problems: RollProblem[] = [];
  const rawId = cells.voter_id ?? "";
  const voterId = normaliseVoterId(rawId.slice(0, 40));
  if (!isValidEpic(voterId)) {
    problems.push(
      rawId.trim() === ""
        ? { key: "roll_problem_voter_id_empty" }
        : { key: "roll_problem_voter_id", params: { value: rawId.slice(0, 20) } },
    );
  }
  const rawName = cells.name ?? "";
  const name = v.safeParse(VoteSchema.entries.name, rawName);
  const formula = fieldProblem("name", rawName);
  if (formula) problems.push(formula);
  else if (!name.success) problems.push(schemaProblem("name", name.issues[0].message));
  const rawAge = (cells.age ?? "").trim();
  const age = Number(rawAge);
  if (!/^\d{1,3}$/.test(rawAge) || age > ROLL_MAX_AGE) {
    problems.push({
      key: "roll_problem_age",
      params: { value: rawAge.slice(0, 20), max: String(ROLL_MAX_AGE) },
    });
  }
  const rawAddress = cells.address ?? "";
  let address = "";
  const addressFormula = fieldProblem("address", rawAddress);
  if (addressFormula) problems.push(addressFormula);
  else if (rawAddress.trim() !== "") {
    const parsed = v.safeParse(VoteSchema.entries.address, rawAddress);
    if (parsed.success) address = parsed.output;
    else problems.push(schemaProblem("address", parsed.issues[0].message));
  }
  if (problems.length > 0 || !name.success) return { ok: false, problems };
  return { ok: true, entry: { voterId, name: name.output, age, address } };
}

/** Fills a roll import's transaction: calls `insert` with each chunk, returns the roll's description. */
export type RollFill = (
  insert: (rows: StoredRollEntry[]) => Promise<void>,
) => Promise<RollInfo>;

/** Why a running election refuses a roll: one is stored, a vote was cast, or voting ended. */
export type RollRefusal = "roll_stored" | "votes_cast" | "voting_closed";

/**
 * A roll import into a running election that the election refuses (nothing
 * is stored): a roll is only ever imported once, before the first vote.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { RollImportRefused } from "./roll.ts";
 * const e = new RollImportRefused("votes_cast");
 * assert.equal(e.reason, "votes_cast");
 * assert.match(e.message, /first vote/);
 * ```
 */
export class RollImportRefused extends Error {
  /** Why the roll was refused. */
  readonly reason: RollRefusal;

  /**
   * Makes the error for a refused roll.
   *
   * @param reason Why it was refused.
   */
  constructor(reason: RollRefusal) {
    super(
      {
        roll_stored: "This election already has an electoral roll; it is never replaced.",
        votes_cast: "A roll can be imported only before the first vote, and a vote has been cast.",
        voting_closed: "Voting has ended: a roll can no longer be imported.",
      }[reason],
    );
    this.name = "RollImportRefused";
    this.reason = reason;
  }
}
