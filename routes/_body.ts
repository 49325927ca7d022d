/** Reading request bodies within a size limit, with the contract's errors. */
import type { Context, MiddlewareHandler } from "hono";
import { bodyLimit } from "hono/body-limit";
import { VoteError, voteError } from "../lib/election/errors.ts";

/** The largest vote body accepted; a real vote is a few hundred bytes. */
export const MAX_BODY_BYTES = 16 * 1024;

/** Refuses bodies over `MAX_BODY_BYTES` with 413, whether or not they say their length. */
export function limitBody(): MiddlewareHandler {
  return bodyLimit({
    maxSize: MAX_BODY_BYTES,
    onError: () => {
      throw new VoteError(
        "payload_too_large",
        `The request body is larger than ${MAX_BODY_BYTES} bytes.`,
      );
    },
  });
}

/** Reads a JSON body: 415 for another content type, 400 for malformed JSON. */
export async function readJson(c: Context): Promise<unknown> {
  const type = c.req.header("content-type")?.split(";")[0].trim().toLowerCase();
  if (type !== "application/json") throw voteError("unsupported_media_type");
  const text = await c.req.text();
  try {
    return JSON.parse(text);
  } catch {
    throw new VoteError("invalid_input", "The request body is not valid JSON.");
  }
}
