/** Reading request bodies within a size limit, with the contract's errors. */
import type { Context, MiddlewareHandler } from "hono";
import { VoteError } from "../lib/election/errors.ts";
import { translate } from "../lib/i18n/catalogue.ts";
import { localeOf } from "./_locale.ts";
import { HttpError } from "./_errors.ts";
import type { Locale } from "../lib/i18n/format.ts";

/** The largest body any route accepts; a real vote is a few hundred bytes. */
export const MAX_BODY_BYTES = 16 * 1024;

/** Methods `new Request` refuses ("Method is forbidden"). */
const UNREQUESTABLE = new Set(["CONNECT", "TRACE", "TRACK"]);

/**
 * Refuses bodies over `MAX_BODY_BYTES` with 413 before any handler reads
 * them: at once when the `Content-Length` says so, else as soon as the
 * streamed body passes the limit (only that much is ever held). The app uses
 * it once, for every route but those `exempt` says have a limit of their own
 * (the roll upload).
 *
 * A request with a `Content-Length` (and no `Transfer-Encoding`) is judged
 * by that header alone, as Hono's `bodyLimit` does, but without touching
 * `Request.body`: on the guarded server (`serve.ts`) the request is a light
 * one (lib/server/http1_request.ts), and its `body` builds a whole native
 * `Request` with a stream, most of a vote's cost there once. A body without
 * a length (chunked) is counted as it streams in, and the request is rebuilt
 * as a native one over the bytes read (Hono's `bodyLimit` does that with
 * `new Request(request)`, which throws on a light request: every chunked
 * POST got a 500).
 */
export function limitBody(options: { exempt?: (c: Context) => boolean } = {}): MiddlewareHandler {
  const exempt = options.exempt;
  return async function limitBody(c, next) {
    if (c.req.method === "GET" || c.req.method === "HEAD") return await next();
    // No route takes these, and a fetch Request cannot hold them: touching the
    // body would throw (a 500 for each); their body is never read.
    if (UNREQUESTABLE.has(c.req.method)) return await next();
    if (exempt?.(c)) return await next();
    const length = c.req.header("content-length");
    if (length !== undefined && c.req.header("transfer-encoding") === undefined) {
      if (parseInt(length, 10) > MAX_BODY_BYTES) tooLarge();
      return await next();
    }
    const body = c.req.raw.body;
    if (body === null) return await next();
    const chunks: Uint8Array[] = [];
    let size = 0;
    const reader = body.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > MAX_BODY_BYTES) {
        reader.cancel().catch(() => {});
        tooLarge();
      }
      chunks.push(value);
    }
    const bytes = new Uint8Array(size);
    let at = 0;
    for (const chunk of chunks) {
      bytes.set(chunk, at);
      at += chunk.byteLength;
    }
    // Headers copied one by one: a `Headers` given to `new Headers` or to
    // `new Request` is read through its iterator, which Deno makes quadratic
    // in the number of names (100 names: 1.7 ms against 0.04; 1,900: 570 ms).
    const request = new Request(c.req.url, { method: c.req.method, body: bytes });
    c.req.raw.headers.forEach((value, name) => {
      if (name !== "transfer-encoding") request.headers.append(name, value);
    });
    c.req.raw = request;
    return await next();
  };
}

function tooLarge(): never {
  // The table's message, so that it is given in the request's language.
  throw new HttpError("payload_too_large");
}

/** Reads a JSON body: 415 for another content type, 400 for malformed JSON. */
export async function readJson(c: Context): Promise<unknown> {
  checkJsonType(c.req.header("content-type"));
  return parseJson(await c.req.text(), localeOf(c));
}

/** Throws 415 unless `contentType` is JSON's (parameters such as `charset` aside). */
export function checkJsonType(contentType: string | undefined): void {
  const type = contentType?.split(";")[0].trim().toLowerCase();
  if (type !== "application/json") {
    throw new HttpError("unsupported_media_type", { reason: "send_json" });
  }
}

/** Parses a JSON body; malformed JSON is a 400 `invalid_input` worded in `locale`. */
export function parseJson(text: string, locale: Locale): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new VoteError("invalid_input", translate(locale, "body_not_json"));
  }
}
