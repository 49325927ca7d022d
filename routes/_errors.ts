/** The one place that maps domain error codes to HTTP statuses and bodies. */
import type { Context } from "hono";
import { HTTPException } from "hono/http-exception";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { type ErrorCode, messages, VoteError } from "../lib/election/errors.ts";

/** The HTTP status for each error code, as the contract fixes them. */
export const STATUS: Record<ErrorCode, ContentfulStatusCode> = {
  invalid_input: 400,
  underage: 403,
  not_on_roll: 403,
  bad_code: 403,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  too_many_requests: 429,
  already_voted: 409,
  voting_closed: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  unknown_party: 422,
  unavailable: 503,
};

/** The JSON error body: `{"error": {"code", "message", "field"?}}`. */
export function errorBody(error: VoteError) {
  return {
    error: {
      code: error.code,
      message: error.message,
      ...(error.field ? { field: error.field } : {}),
    },
  };
}

/** Answers a `VoteError` as JSON with its status. */
export function errorJson(c: Context, error: VoteError): Response {
  return c.json(errorBody(error), STATUS[error.code]);
}

/** `app.onError`: domain errors with their status; anything else is logged and answered 500. */
export function onError(err: Error, c: Context): Response {
  if (err instanceof VoteError) return errorJson(c, err);
  if (err instanceof HTTPException) {
    const code = (Object.keys(STATUS) as ErrorCode[]).find((k) => STATUS[k] === err.status) ??
      "invalid_input";
    return c.json(
      { error: { code, message: err.message || messages[code] } },
      err.status as ContentfulStatusCode,
    );
  }
  console.error(`Unexpected error on ${c.req.method} ${c.req.path}:`, err);
  return c.json({ error: { code: "internal", message: "Something went wrong on our side." } }, 500);
}
