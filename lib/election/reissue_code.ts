/**
 * Re-issuing one voter's lost code: a new random code replaces the stored
 * hash (the old code stops working), for a voter on the roll who has not
 * voted yet. The new code is shown once, to the administrator.
 */
import { codeHash } from "./code_hash.ts";
import { VoteError, voteError } from "./errors.ts";
import { newVotingCode } from "./voting_code.ts";
import { isValidEpic, normaliseVoterId } from "./voter_id.ts";
import type { ElectionStore } from "../store/store.ts";

/**
 * Makes and stores a new code for one voter.
 *
 * @param store The election (with a roll and codes).
 * @param key The codes' key.
 * @param rawVoterId The voter ID as typed.
 * @returns The normalised voter ID and the new code.
 * @throws {VoteError} `invalid_input` (no codes, or a malformed ID), `not_on_roll`, `already_voted`.
 * @example
 * ```ts ignore
 * // Illustrative: it needs a store with a roll and codes (tests/roll_test.ts runs it).
 * import { reissueCode } from "./reissue_code.ts";
 * const { code } = await reissueCode(store, key, "wkh 1186253");
 * ```
 */
export async function reissueCode(
  store: ElectionStore,
  key: Uint8Array | undefined,
  rawVoterId: string,
): Promise<{ voterId: string; code: string }> {
  if (!store.roll?.codes || !key) {
    throw new VoteError("invalid_input", "This election does not use voting codes.");
  }
  const voterId = normaliseVoterId(rawVoterId.slice(0, 40));
  if (!isValidEpic(voterId)) {
    throw new VoteError("invalid_input", "That is not a valid voter ID.", "voterId");
  }
  const code = newVotingCode();
  const outcome = await store.reissueCode(voterId, codeHash(key, voterId, code));
  if (outcome !== "reissued") throw voteError(outcome);
  return { voterId, code };
}
