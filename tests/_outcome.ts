/** What a store call came to, as a code a test can compare. */
import { VoteError } from "../lib/election/errors.ts";

/** `"ok"` when `promise` resolves, the `VoteError`'s code when it rejects with one; anything else is thrown. */
export async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
    return "ok";
  } catch (e) {
    if (e instanceof VoteError) return e.code;
    throw e;
  }
}
