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

/**
 * The request's URL, normalised as `new URL` does it (`/static/../results`
 * is `/results`, the path the app routes), or null when its target or
 * `Host` cannot make a safe one.
 */
function urlOf(head: RequestHead): string | null {
  const { target } = head;
  // Two Hosts: a 400 (RFC 9112 §3.2), as nginx gives; a proxy and this server could read either.
  if (hostCount(head) > 1) return null;
  if (target.startsWith("http://") || target.startsWith("https://")) {
    return URL.canParse(target) && !backslashInPath(target) ? new URL(target).href : null;
  }
  // HTTP/1.1 requires a Host; an HTTP/1.0 client (a script) may leave it out.
  const host = headerOf(head, "host") ?? (head.versionMinor === 0 ? "localhost" : undefined);
  if (host === undefined || target.charCodeAt(0) !== 47 /* / */) return null;
  const url = `http://${host}${target}`;
  if (PLAIN_HOST.test(host) && PLAIN_PATH.test(target) && !DOT_SEGMENT.test(target)) return url;
  if (backslashInPath(target) || !URL.canParse(url)) return null;
  const parsed = new URL(url);
  const name = host.replace(/:\d+$/, "").toLowerCase();
  return parsed.hostname === name ? parsed.href : null;
}

function hostCount(head: RequestHead): number {
  let count = 0;
  const { headers } = head;
  for (let i = 0; i < headers.length; i += 2) {
    if (headers[i].length === 4 && headers[i].toLowerCase() === "host") count++;
  }
  return count;
}

function backslashInPath(target: string): boolean {
  const backslash = target.indexOf("\\");
  if (backslash === -1) return false;
  const query = target.indexOf("?");
  return query === -1 || backslash < query;
}

const decoder = new TextDecoder();

/**
 * The app's `Request` for a parsed request, made of what the app reads: its
 * method, URL and headers, and a body that was read whole (a vote) is given
 * as text or JSON straight from its bytes. Anything else (a streamed body,
 * `formData()`, `clone()`, `signal`…) makes a native `Request` once and
 * answers from it. A native `Request` for every request cost 5 to 6 µs, as
 * much as the rest of the server's work on a trivial one; `Deno.serve` makes
 * its own lazily too. (@hono/node-server's lightweight request, which the
 * app ran on before, works the same way.)
 */
class LightRequest {
  readonly #head: RequestHead;
  readonly #url: string;
  readonly #body: Uint8Array | ReadableStream<Uint8Array> | null;
  #headers: Headers | null = null;
  #native: Request | null = null;
  #used = false;

  constructor(
    head: RequestHead,
    url: string,
    body: Uint8Array | ReadableStream<Uint8Array> | null,
  ) {
    this.#head = head;
    this.#url = url;
    this.#body = head.method === "GET" || head.method === "HEAD" ? null : body;
  }

  get method(): string {
    return this.#head.method;
  }

  get url(): string {
    return this.#url;
  }

  get headers(): Headers {
    if (this.#native !== null) return this.#native.headers;
    if (this.#headers === null) {
      this.#headers = new Headers();
      fill(this.#headers, this.#head.headers);
    }
    return this.#headers;
  }

  /** The native request, made once. */
  native(): Request {
    if (this.#native !== null) return this.#native;
    const request = new Request(this.#url, {
      method: this.#head.method,
      // A Node Buffer is a Uint8Array over an ArrayBufferLike, as fetch takes it.
      body: this.#body as BodyInit | null,
    });
    // Added to the request's own headers: a `Headers` given to the
    // constructor is copied through its iterator, twice the cost of the rest.
    if (this.#headers === null) fill(request.headers, this.#head.headers);
    else this.#headers.forEach((value, name) => request.headers.append(name, value));
    this.#native = request;
    return request;
  }

  /** The body's bytes if it was read whole and is not used yet, else null (ask the native request). */
  #whole(): Uint8Array | null {
    if (this.#native !== null || this.#body instanceof ReadableStream) return null;
    if (this.#used) throw new TypeError("The request's body was read already.");
    this.#used = true;
    return this.#body ?? new Uint8Array(0);
  }

  get bodyUsed(): boolean {
    return this.#native?.bodyUsed ?? this.#used;
  }

  text(): Promise<string> {
    try {
      const bytes = this.#whole();
      return bytes === null ? this.native().text() : Promise.resolve(decoder.decode(bytes));
    } catch (e) {
      return Promise.reject(e);
    }
  }

  json(): Promise<unknown> {
    return this.text().then((text) => JSON.parse(text));
  }

  arrayBuffer(): Promise<ArrayBuffer> {
    return this.bytes().then((bytes) => bytes.buffer as ArrayBuffer);
  }

  bytes(): Promise<Uint8Array> {
    try {
      const bytes = this.#whole();
      return bytes === null ? this.native().bytes() : Promise.resolve(bytes.slice());
    } catch (e) {
      return Promise.reject(e);
    }
  }
}

function fill(headers: Headers, list: string[]) {
  for (let i = 0; i < list.length; i += 2) headers.append(list[i], list[i + 1]);
}

// It is a Request to anyone who asks (Hono, `instanceof`); what it does not
// answer itself, the native request does.
Object.setPrototypeOf(LightRequest.prototype, Request.prototype);
for (
  const name of [
    "body",
    "cache",
    "credentials",
    "destination",
    "integrity",
    "keepalive",
    "mode",
    "redirect",
    "referrer",
    "referrerPolicy",
    "signal",
  ]
) {
  Object.defineProperty(LightRequest.prototype, name, {
    get(this: LightRequest) {
      return this.native()[name as keyof Request];
    },
  });
}
for (const name of ["blob", "formData", "clone"]) {
  Object.defineProperty(LightRequest.prototype, name, {
    value(this: LightRequest) {
      return (this.native()[name as "blob"] as () => unknown).call(this.native());
    },
  });
}

/**
 * The fetch `Request` for a parsed request: its URL from the target and
 * `Host`, its headers as sent, its body (none for GET and HEAD). Its native
 * parts are made only if the app asks for them (see `LightRequest`).
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
 * const request = toRequest(head, new TextEncoder().encode('{"a":1}'))!;
 * assert.ok(request instanceof Request);
 * assert.equal(request.url, "http://127.0.0.1:8000/api/votes");
 * assert.equal(request.headers.get("content-type"), "application/json");
 * assert.deepEqual(await request.json(), { a: 1 });
 * await assert.rejects(request.text(), TypeError); // read once, as a native one
 * const stream = toRequest(head, new Blob(["ok"]).stream())!;
 * assert.equal(await stream.text(), "ok");
 * assert.equal(toRequest({ ...head, headers: ["Host", "evil.example/x?"] }, null), null);
 * assert.equal(toRequest({ ...head, target: "*" }, null), null);
 * const dots = toRequest({ ...head, method: "GET", target: "/static/%2e%2e/results" }, null)!;
 * assert.equal(dots.url, "http://127.0.0.1:8000/results");
 * ```
 */
export function toRequest(
  head: RequestHead,
  body: Uint8Array | ReadableStream<Uint8Array> | null,
): Request | null {
  const url = urlOf(head);
  if (url === null) return null;
  return new LightRequest(head, url, body) as unknown as Request;
}
