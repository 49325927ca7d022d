/**
 * The election's own errors: what can go wrong with a vote or a close,
 * whatever carries it (HTTP, a worker, a test). Each has a stable `code` and
 * a message a voter reads. Errors of the HTTP layer (no session, a body too
 * large, an unknown path) are not here: they live in `routes/_errors.ts`,
 * which is also the one place that maps every code to an HTTP status.
 */

/** The codes of the election's errors, which a caller is meant to handle. */
export type ErrorCode =
  | "invalid_input"
  | "underage"
  | "not_on_roll"
  | "bad_code"
  | "unknown_party"
  | "already_voted"
  | "voting_closed"
  | "voting_not_open"
  | "voting_open"
  | "mock_poll_uncleared"
  | "mock_poll_over"
  | "unavailable";

/** An election error a voter or client may be shown. */
export class VoteError extends Error {
  /** What went wrong, as a stable code (see `ErrorCode`). */
  readonly code: ErrorCode;
  /** The input field the error is about (`age`, `voterId`, …), where there is one. */
  readonly field?: string;

  /**
   * Makes an election error.
   *
   * @param code What went wrong.
   * @param message What a voter reads; `messages[code]` unless there is more to say.
   * @param field The input field it is about, if any.
   */
  constructor(code: ErrorCode, message: string, field?: string) {
    super(message);
    this.name = "VoteError";
    this.code = code;
    this.field = field;
  }
}

/** The message a voter reads for each code, in plain words. */
export const messages: Readonly<Record<ErrorCode, string>> = {
  invalid_input: "Some of the details are not valid.",
  underage: "You must be 18 or older to vote.",
  not_on_roll: "This voter ID is not on the electoral roll.",
  bad_code: "This voter ID and voting code do not match. Check both on your voter slip.",
  unknown_party: "That party is not on the ballot.",
  already_voted: "This voter ID has already been used to vote.",
  voting_closed: "Voting has ended; no more votes are accepted.",
  voting_not_open: "Voting has not opened yet.",
  voting_open: "Voting is open already.",
  mock_poll_uncleared:
    "The mock poll still holds votes: clear it first (its result goes to the audit log).",
  mock_poll_over: "The mock poll has ended; voting is now open. Please vote again.",
  unavailable: "The vote could not be recorded just now. Please try again.",
};

/**
 * Makes the error for a code with its message from `messages`.
 *
 * @param code The error code.
 * @param field The input field it is about, if any.
 * @returns A `VoteError` carrying that code and message.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { messages, voteError } from "./errors.ts";
 * const error = voteError("already_voted");
 * assert.equal(error.code, "already_voted");
 * assert.equal(error.message, "This voter ID has already been used to vote.");
 * assert.equal(error.message, messages.already_voted);
 * assert.equal(voteError("underage", "age").field, "age");
 * ```
 */
export function voteError(code: ErrorCode, field?: string): VoteError {
  return new VoteError(code, messages[code], field);
}

/**
 * Tells which booth field an error belongs beside; `"form"` means the form as a whole.
 *
 * @param error An error code and, where known, its field.
 * @returns The field name, or `"form"`.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { errorField } from "./errors.ts";
 * assert.equal(errorField({ code: "already_voted" }), "voterId");
 * assert.equal(errorField({ code: "underage", field: "age" }), "age");
 * assert.equal(errorField({ code: "voting_closed" }), "form");
 * ```
 */
export function errorField(error: { code: string; field?: string }): string {
  if (error.code === "already_voted" || error.code === "not_on_roll") return "voterId";
  if (error.code === "bad_code") return "code";
  return error.field ?? "form";
}
