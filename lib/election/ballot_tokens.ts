/**
 * One-time tokens for the booth's no-JavaScript confirm step. The confirm
 * page carries a fresh token; the first confirm with it casts the vote and
 * remembers its receipt code, so pressing "Confirm vote" again (after Back,
 * or twice) leads to the same receipt instead of "already voted". Only the
 * receipt code is kept, never the party, and only in memory, for the most
 * recent `capacity` votes.
 */

/** Remembers which receipt each confirm token led to. */
export class BallotTokens {
  #receipts = new Map<string, string>();
  readonly #capacity: number;

  /**
   * Makes an empty memory of tokens.
   *
   * @param capacity How many recent tokens to remember (the oldest are forgotten first).
   */
  constructor(capacity = 10_000) {
    this.#capacity = capacity;
  }

  /**
   * A fresh token for a confirm page: 128 random bits, hex.
   *
   * @returns The token.
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { BallotTokens } from "./ballot_tokens.ts";
   * const tokens = new BallotTokens();
   * assert.match(tokens.issue(), /^[0-9a-f]{32}$/);
   * assert.notEqual(tokens.issue(), tokens.issue());
   * ```
   */
  issue(): string {
    const bytes = crypto.getRandomValues(new Uint8Array(16));
    return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
  }

  /**
   * Records that a token cast the ballot with this receipt.
   *
   * @param token The confirm page's token.
   * @param receipt The receipt code the cast returned.
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { BallotTokens } from "./ballot_tokens.ts";
   * const tokens = new BallotTokens(2);
   * tokens.remember("a", "K7QH-2M9D-X4TP");
   * tokens.remember("b", "DAYA-5YPC-PR9H");
   * tokens.remember("c", "ABCD-EFGH-JKMN");
   * assert.equal(tokens.receiptOf("a"), null); // forgotten: the oldest beyond the capacity
   * assert.equal(tokens.receiptOf("c"), "ABCD-EFGH-JKMN");
   * ```
   */
  remember(token: string, receipt: string): void {
    this.#receipts.set(token, receipt);
    if (this.#receipts.size > this.#capacity) {
      this.#receipts.delete(this.#receipts.keys().next().value!);
    }
  }

  /**
   * The receipt a token already led to.
   *
   * @param token A confirm page's token (any string).
   * @returns The receipt code, or null when the token has not cast a vote.
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { BallotTokens } from "./ballot_tokens.ts";
   * const tokens = new BallotTokens();
   * assert.equal(tokens.receiptOf("never issued"), null);
   * ```
   */
  receiptOf(token: string): string | null {
    return this.#receipts.get(token) ?? null;
  }
}
