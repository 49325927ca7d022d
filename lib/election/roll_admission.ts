/**
 * The roll's decision on one voter, inside the cast's transaction, the same
 * in every store. Server-only (it compares code hashes with `node:crypto`).
 */
import { voteError } from "./errors.ts";
import type { RollProof } from "./roll.ts";
import type { Ballot } from "./types.ts";
import { MIN_AGE } from "./vote_schema.ts";
import { sameCodeHash } from "./code_hash.ts";

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
  row:
    | { name: string; name_key: string; age: number; address: string; code_hash: string | null }
    | undefined,
  codes: boolean,
): Ballot {
  // With codes an unlisted ID answers as a wrong code does: the roll is no oracle.
  if (!row) throw voteError(codes ? "bad_code" : "not_on_roll");
  if (codes) {
    if (!proof?.codeHash || !row.code_hash || !sameCodeHash(proof.codeHash, row.code_hash)) {
      throw voteError("bad_code");
    }
  } else if (proof?.nameKey !== row.name_key) throw voteError("not_on_roll");
  if (row.age < MIN_AGE) throw voteError("underage");
  return { ...ballot, name: row.name, age: row.age, address: row.address };
}
