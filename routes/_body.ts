/** Reading request bodies within a size limit, with the contract's errors. */
import type { Context, MiddlewareHandler } from "hono";
import { bodyLimit } from "hono/body-limit";
import { VoteError } from "../lib/election/errors.ts";
import { HttpError, REASONS } from "./_errors.ts";

/** The largest body any route accepts; a real vote is a few hundred bytes. */
export const MAX_BODY_BYTES = 16 * 1024;

/**
 * Refuses bodies over `MAX_BODY_BYTES` with 413 before any handler reads
 * them: at once when the `Content-Length` says so, else as soon as the
 * streamed body passes the limit (only that much is ever held). The app uses
 * it once, for every route but those `exempt` says have a limit of their own
 * (the roll upload).
 */
export function limitBody(options: { exempt?: (c: Context) => boolean } = {}): MiddlewareHandler {
  const limit = bodyLimit({
    maxSize: MAX_BODY_BYTES,
    onError: () => {
      throw new HttpError(
        "payload_too_large",
        `The request body is larger than ${MAX_BODY_BYTES / 1024} KiB.`,
      );
    },
  });
  const exempt = options.exempt;
  if (!exempt) return limit;
  return async function limitBody(c, next) {
    if (exempt(c)) return await next();
    return await limit(c, next);
  };
}

/** Reads a JSON body: 415 for another content type, 400 for malformed JSON. */
export async function readJson(c: Context): Promise<unknown> {
  const type = c.req.header("content-type")?.split(";")[0].trim().toLowerCase();
  if (type !== "application/json") throw new HttpError("unsupported_media_type", REASONS.notJson);
  const text = await c.req.text();
  try {
    return JSON.parse(text);
  } catch {
    throw new VoteError("invalid_input", "The request body is not valid JSON.");
  }
}
