/**
 * Domain errors. Each has a stable `code`; `routes/_errors.ts` is the one
 * place that maps codes to HTTP statuses.
 */

/** Codes a caller is meant to handle. */
export type ErrorCode =
  | "invalid_input"
  | "underage"
  | "unknown_party"
  | "already_voted"
  | "voting_closed"
  | "payload_too_large"
  | "unsupported_media_type"
  | "unavailable"
  | "not_found"
  | "unauthorized"
  | "forbidden"
  | "too_many_requests";

/** Base class of every error a voter or client may be shown. */
export class VoteError extends Error {
  readonly code: ErrorCode;
  /** The input field the error is about, where there is one. */
  readonly field?: string;

  constructor(code: ErrorCode, message: string, field?: string) {
    super(message);
    this.name = "VoteError";
    this.code = code;
    this.field = field;
  }
}

/** The friendly message for each code a store can return without detail. */
export const messages: Record<ErrorCode, string> = {
  invalid_input: "Some of the details are not valid.",
  underage: "You must be 18 or older to vote.",
  unknown_party: "That party is not on the ballot.",
  already_voted: "This voter ID has already been used to vote.",
  voting_closed: "Voting has ended; no more votes are accepted.",
  payload_too_large: "The request is too large.",
  unsupported_media_type: "Send the vote as JSON (Content-Type: application/json).",
  unavailable: "The vote could not be recorded just now. Please try again.",
  not_found: "There is nothing at this address.",
  unauthorized: "Please sign in as the administrator first.",
  forbidden: "This request came from another site and was refused.",
  too_many_requests: "Too many failed attempts; please wait before trying again.",
};

/**
 * Makes the error for a code with its standard message.
 *
 * @param code The error code.
 * @returns A `VoteError` carrying that code.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { voteError } from "./errors.ts";
 * const error = voteError("already_voted");
 * assert.equal(error.code, "already_voted");
 * assert.equal(error.message, "This voter ID has already been used to vote.");
 * ```
 */
export function voteError(code: ErrorCode): VoteError {
  return new VoteError(code, messages[code]);
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
 * assert.equal(errorField({ code: "voting_closed" }), "form");
 * assert.equal(errorField({ code: "invalid_input", field: "age" }), "age");
 * ```
 */
export function errorField(error: { code: string; field?: string }): string {
  if (error.code === "already_voted") return "voterId";
  return error.field ?? "form";
}
