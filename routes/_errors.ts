/**
 * The error contract: one table from every code to its HTTP status and the
 * message a person reads, the HTTP layer's own errors, and `app.onError`.
 * Errors are mapped by code, never by status: an `HTTPException` thrown by
 * Hono's middleware keeps its own status and gets an HTTP code, never one of
 * the election's codes.
 */
import type { Context } from "hono";
import { HTTPException } from "hono/http-exception";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { type ErrorCode, messages, VoteError } from "../lib/election/errors.ts";
import { type MessageKey, translate } from "../lib/i18n/catalogue.ts";
import { EN } from "../lib/i18n/en.ts";
import { localeOf } from "./_locale.ts";
import type { Locale } from "../lib/i18n/format.ts";

/** Codes of the HTTP layer: requests refused before (or beside) the election's rules. */
export type HttpErrorCode =
  | "bad_request"
  | "unauthorized"
  | "forbidden"
  | "not_found"
  | "method_not_allowed"
  | "conflict"
  | "payload_too_large"
  | "unsupported_media_type"
  | "too_many_requests"
  | "internal";

/** Every code an error body may carry. `http_error` names a status without a code of its own. */
export type Code = ErrorCode | HttpErrorCode | "http_error";

/** An error of the HTTP layer: its status comes from `ERRORS`. */
export class HttpError extends Error {
  /** What went wrong, as a stable code. */
  readonly code: HttpErrorCode;
  /** The catalogue's message saying why, given in the reader's language when answered. */
  readonly reason?: MessageKey;

  /**
   * Makes an HTTP error.
   *
   * @param code What went wrong.
   * @param detail Why, where there is more to say than the table's message: a
   * catalogue key (`{ reason: "cross_site" }`), or a message already written
   * in the reader's language.
   */
  constructor(code: HttpErrorCode, detail?: string | { reason: MessageKey }) {
    const reason = typeof detail === "object" ? detail.reason : undefined;
    super(typeof detail === "string" ? detail : reason ? EN[reason] : ERRORS[code].message);
    this.name = "HttpError";
    this.code = code;
    this.reason = reason;
  }
}

/** A code's HTTP status and the message a person reads. */
export interface ErrorEntry {
  status: ContentfulStatusCode;
  message: string;
}

/**
 * The one table: each code's status (as the contract fixes them) and message.
 * An HTTP-layer message is general, since Hono's middleware raises the same
 * status for other reasons; a route that knows the reason says it with
 * `new HttpError(code, { reason })`, a key of the catalogue.
 */
export const ERRORS: Readonly<Record<ErrorCode | HttpErrorCode, ErrorEntry>> = {
  // The election's errors; their messages are the domain's.
  invalid_input: { status: 400, message: messages.invalid_input },
  underage: { status: 403, message: messages.underage },
  not_on_roll: { status: 403, message: messages.not_on_roll },
  bad_code: { status: 403, message: messages.bad_code },
  already_voted: { status: 409, message: messages.already_voted },
  voting_closed: { status: 409, message: messages.voting_closed },
  voting_not_open: { status: 409, message: messages.voting_not_open },
  voting_open: { status: 409, message: messages.voting_open },
  mock_poll_uncleared: { status: 409, message: messages.mock_poll_uncleared },
  mock_poll_over: { status: 409, message: messages.mock_poll_over },
  unknown_party: { status: 422, message: messages.unknown_party },
  unavailable: { status: 503, message: messages.unavailable },
  // The HTTP layer's, worded in the catalogue (`lib/i18n`) like every message a person reads.
  bad_request: { status: 400, message: EN.bad_request },
  unauthorized: { status: 401, message: EN.unauthorized },
  forbidden: { status: 403, message: EN.forbidden },
  not_found: { status: 404, message: EN.not_found },
  method_not_allowed: { status: 405, message: EN.method_not_allowed },
  conflict: { status: 409, message: EN.conflict },
  payload_too_large: { status: 413, message: EN.payload_too_large },
  unsupported_media_type: { status: 415, message: EN.unsupported_media_type },
  too_many_requests: { status: 429, message: EN.too_many_requests },
  internal: { status: 500, message: EN.internal },
};

/** The HTTP layer's code for each status it names (one code per status). */
const HTTP_CODE_BY_STATUS = new Map<number, HttpErrorCode>(
  (Object.keys(ERRORS) as (ErrorCode | HttpErrorCode)[])
    .filter((code): code is HttpErrorCode => !Object.hasOwn(messages, code))
    .map((code) => [ERRORS[code].status, code]),
);

/** The JSON error body: `{"error": {"code", "message", "field"?}}`. */
export function errorBody(error: VoteError | HttpError) {
  const field = error instanceof VoteError ? error.field : undefined;
  return { error: { code: error.code, message: error.message, ...(field ? { field } : {}) } };
}

/** The HTTP status of an election or HTTP error. */
export function statusOf(error: VoteError | HttpError): ContentfulStatusCode {
  return ERRORS[error.code].status;
}

/**
 * Answers an election or HTTP error as JSON with its status. A standard
 * message or a reason is given in the request's language (`lib/i18n`); a
 * message written for this error (a field's, already in the voter's
 * language) is kept.
 */
export function errorJson(c: Context, error: VoteError | HttpError): Response {
  return c.json(errorIn(localeOf(c), error), statusOf(error));
}

/**
 * The JSON error body of `errorJson`, in `locale` (for answers written
 * without a Hono context: the vote's express lane).
 */
export function errorIn(
  locale: Locale,
  error: VoteError | HttpError,
): ReturnType<typeof errorBody> {
  const body = errorBody(error);
  const reason = error instanceof HttpError ? error.reason : undefined;
  if (reason) body.error.message = translate(locale, reason);
  else if (error.message === ERRORS[error.code].message) {
    body.error.message = translate(locale, error.code);
  }
  return body;
}

/**
 * Answers an `HTTPException` (from Hono or its middleware) with its own
 * status, the HTTP code of that status (`http_error` when it has none), the
 * catalogue's message in the request's language (an exception's message is
 * written for developers), and the headers of the exception's own response
 * (`Retry-After`, `WWW-Authenticate`, …).
 */
function exceptionJson(c: Context, err: HTTPException): Response {
  const status = err.status;
  const code: Code = HTTP_CODE_BY_STATUS.get(status) ?? "http_error";
  const message = translate(
    localeOf(c),
    code === "http_error" && status >= 500 ? "internal" : code,
  );
  if (status >= 500) console.error(`HTTP ${status} on ${c.req.method} ${c.req.path}:`, err);
  const res = c.json({ error: { code, message } }, status);
  err.res?.headers.forEach((value, name) => {
    if (!/^content-(type|length)$/i.test(name)) res.headers.set(name, value);
  });
  return res;
}

/** `app.onError`: each error by its code; anything unexpected is logged and answered 500. */
export function onError(err: Error, c: Context): Response {
  if (err instanceof VoteError || err instanceof HttpError) return errorJson(c, err);
  if (err instanceof HTTPException) return exceptionJson(c, err);
  // The client went away before its body arrived: nobody reads the answer,
  // and a stack trace per abort would let anyone fill the log.
  if ((err as { code?: string }).code === "ECONNRESET" && err.message === "aborted") {
    return errorJson(c, new HttpError("bad_request"));
  }
  console.error(`Unexpected error on ${c.req.method} ${c.req.path}:`, err);
  return errorJson(c, new HttpError("internal"));
}
