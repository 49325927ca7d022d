/**
 * The roll's decision on one voter, inside the cast's transaction, the same
 * in every store. Server-only (it compares code hashes with `node:crypto`).
 */
import { voteError } from "./errors.ts";
import type { RollProof } from "./roll.ts";
import type { Ballot } from "./types.ts";
import { MIN_AGE } from "./vote_schema.ts";
import { sameCodeHash } from "./code_hash.ts";

/** The roll's answer for one voter: admitted, or the refusal's code. */
export type Admission = "admitted" | "not_on_roll" | "bad_code" | "underage";

/** A voter's roll row, as the stores read it. */
export type RollRow = {
  name: string;
  name_key: string;
  age: number;
  address: string;
  code_hash: string | null;
};

/**
 * The roll's answer for one voter, without casting anything: what the booth
 * asks at its first step, and what a cast checks inside its transaction.
 *
 * @param proof The name key or code hash the voter brought.
 * @param row The voter's roll row, or undefined.
 * @param codes Whether the election uses codes.
 * @returns `admitted`, or `not_on_roll`, `bad_code` or `underage`. With codes
 *   an unlisted ID answers `bad_code`, as a wrong code does: the roll is no oracle.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { admission } from "./roll_admission.ts";
 * const row = { name: "Asha Rao", name_key: "asharao", age: 34, address: "Pune", code_hash: null };
 * assert.equal(admission({ nameKey: "asharao" }, row, false), "admitted");
 * assert.equal(admission({ nameKey: "asharao" }, undefined, false), "not_on_roll");
 * assert.equal(admission({ codeHash: "00" }, undefined, true), "bad_code");
 * assert.equal(admission({ nameKey: "asharao" }, { ...row, age: 17 }, false), "underage");
 * ```
 */
export function admission(
  proof: RollProof | undefined,
  row: RollRow | undefined,
  codes: boolean,
): Admission {
  if (!row) return codes ? "bad_code" : "not_on_roll";
  if (codes) {
    if (!proof?.codeHash || !row.code_hash || !sameCodeHash(proof.codeHash, row.code_hash)) {
      return "bad_code";
    }
  } else if (proof?.nameKey !== row.name_key) return "not_on_roll";
  return row.age < MIN_AGE ? "underage" : "admitted";
}

/**
 * The roll's decision for one voter, the same in every store.
 *
 * @param ballot The ballot as checked by the schema.
 * @param proof The name key or code hash the voter brought.
 * @param row The voter's roll row, or undefined.
 * @param codes Whether the election uses codes.
 * @returns The ballot with the roll's name, age and address.
 * @throws {VoteError} `not_on_roll`, `bad_code` or `underage`.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { admitVoter } from "./roll_admission.ts";
 * const ballot = { name: "asha rao", age: 0, address: "", voterId: "WKH1186253", party: "aap" };
 * const row = { name: "Asha Rao", name_key: "asharao", age: 34, address: "Pune", code_hash: null };
 * assert.equal(admitVoter(ballot, { nameKey: "asharao" }, row, false).address, "Pune");
 * assert.throws(() => admitVoter(ballot, { nameKey: "ashar" }, row, false), /not on the electoral roll/);
 * ```
 */
export function admitVoter(
  ballot: Ballot,
  proof: RollProof | undefined,
  row: RollRow | undefined,
  codes: boolean,
): Ballot {
  const said = admission(proof, row, codes);
  if (said !== "admitted") throw voteError(said);
  return { ...ballot, name: row!.name, age: row!.age, address: row!.address };
}
