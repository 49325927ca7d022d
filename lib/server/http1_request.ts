/**
 * A parsed HTTP/1 request head, and the fetch `Request` the app gets for it.
 */

/** A request's line and headers, as llhttp gave them. */
export interface RequestHead {
  /** Upper case, as sent (llhttp knows the method). */
  method: string;
  /** The request target as sent: `/path?query`, or an absolute URL. */
  target: string;
  /** Names (as sent) and values, flat: `[name, value, name, value, …]`. */
  headers: string[];
  /** 1 for HTTP/1.1, 0 for HTTP/1.0. */
  versionMinor: number;
  /** Whether the client lets the connection stay open after the answer. */
  keepAlive: boolean;
}

/**
 * The first value of a header, by its name in lower case.
 *
 * @param head The request head.
 * @param name The header's name, in lower case.
 * @returns Its first value, or undefined.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { headerOf } from "./http1_request.ts";
 * const head = {
 *   method: "GET",
 *   target: "/",
 *   headers: ["Host", "x", "Accept", "text/html"],
 *   versionMinor: 1,
 *   keepAlive: true,
 * };
 * assert.equal(headerOf(head, "accept"), "text/html");
 * assert.equal(headerOf(head, "cookie"), undefined);
 * ```
 */
export function headerOf(head: RequestHead, name: string): string | undefined {
  const { headers } = head;
  for (let i = 0; i < headers.length; i += 2) {
    const key = headers[i];
    if (key.length === name.length && (key === name || key.toLowerCase() === name)) {
      return headers[i + 1];
    }
  }
  return undefined;
}

/**
 * The headers as Node's `IncomingMessage.headers` has them (names in lower
 * case, repeated values joined with ", "): what npm `ws` reads.
 *
 * @param head The request head.
 * @returns The headers by lower-case name.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { nodeHeaders } from "./http1_request.ts";
 * const head = {
 *   method: "GET",
 *   target: "/",
 *   headers: ["Upgrade", "websocket", "X-A", "1", "x-a", "2"],
 *   versionMinor: 1,
 *   keepAlive: true,
 * };
 * assert.deepEqual(nodeHeaders(head), { upgrade: "websocket", "x-a": "1, 2" });
 * ```
 */
export function nodeHeaders(head: RequestHead): Record<string, string> {
  const out: Record<string, string> = {};
  const { headers } = head;
  for (let i = 0; i < headers.length; i += 2) {
    const name = headers[i].toLowerCase();
    out[name] = name in out ? `${out[name]}, ${headers[i + 1]}` : headers[i + 1];
  }
  return out;
}

// A host and a path that need no second look (as @hono/node-server's adapter
// tells them): anything else is parsed, and refused if the URL it makes does
// not name that host or keeps a backslash in the path.
const PLAIN_HOST = /^[a-z0-9.-]+(?::\d{1,5})?$/;
const PLAIN_PATH = /^\/[!#$&-;=?-\[\]_a-z~]*$/;
const DOT_SEGMENT = /\/\.\.?(?:[/?#]|$)/;

/** The request's URL, or null when its target or `Host` cannot make a safe one. */
function urlOf(head: RequestHead): string | null {
  const { target } = head;
  if (target.startsWith("http://") || target.startsWith("https://")) {
    return URL.canParse(target) && !backslashInPath(target) ? target : null;
  }
  // HTTP/1.1 requires a Host; an HTTP/1.0 client (a script) may leave it out.
  const host = headerOf(head, "host") ?? (head.versionMinor === 0 ? "localhost" : undefined);
  if (host === undefined || target.charCodeAt(0) !== 47 /* / */) return null;
  const url = `http://${host}${target}`;
  if (PLAIN_HOST.test(host) && PLAIN_PATH.test(target) && !DOT_SEGMENT.test(target)) return url;
  if (backslashInPath(target) || !URL.canParse(url)) return null;
  const name = host.replace(/:\d+$/, "").toLowerCase();
  return new URL(url).hostname === name ? url : null;
}

function backslashInPath(target: string): boolean {
  const backslash = target.indexOf("\\");
  if (backslash === -1) return false;
  const query = target.indexOf("?");
  return query === -1 || backslash < query;
}

/**
 * The fetch `Request` for a parsed request: its URL from the target and
 * `Host`, its headers as sent, its body (none for GET and HEAD).
 *
 * @param head The request head.
 * @param body The body, whole or as it streams in.
 * @returns The request, or null for one that makes no valid URL (a 400).
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { toRequest } from "./http1_request.ts";
 * const head = {
 *   method: "POST",
 *   target: "/api/votes",
 *   headers: ["Host", "127.0.0.1:8000", "Content-Type", "application/json"],
 *   versionMinor: 1,
 *   keepAlive: true,
 * };
 * const request = toRequest(head, new TextEncoder().encode("{}"))!;
 * assert.equal(request.url, "http://127.0.0.1:8000/api/votes");
 * assert.equal(request.headers.get("content-type"), "application/json");
 * assert.equal(await request.text(), "{}");
 * assert.equal(toRequest({ ...head, headers: ["Host", "evil.example/x?"] }, null), null);
 * assert.equal(toRequest({ ...head, target: "*" }, null), null);
 * ```
 */
export function toRequest(
  head: RequestHead,
  body: Uint8Array | ReadableStream<Uint8Array> | null,
): Request | null {
  const url = urlOf(head);
  if (url === null) return null;
  const { method } = head;
  try {
    const headers = new Headers();
    const list = head.headers;
    for (let i = 0; i < list.length; i += 2) headers.append(list[i], list[i + 1]);
    return new Request(url, {
      method,
      headers,
      // A Node Buffer is a Uint8Array over an ArrayBufferLike, as fetch takes it.
      body: method === "GET" || method === "HEAD" ? null : body as BodyInit | null,
    });
  } catch {
    return null; // a header or method fetch refuses
  }
}
