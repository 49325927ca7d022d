/**
 * Who the client is when a reverse proxy stands between: the forwarding
 * headers are believed only when the connection comes from a proxy the
 * operator named (`--trust-proxy`), never from anyone else.
 */

/** What is known about a request's client. */
export interface ClientInfo {
  /** The client's address: the peer's, or the one a trusted proxy forwarded. */
  address: string;
  /** Whether the client reached us over HTTPS (directly, or at a trusted proxy). */
  secure: boolean;
  /** The host the client asked for, when a trusted proxy forwarded it. */
  host: string | null;
}

/** Strips an IPv4-mapped IPv6 prefix and brackets: `::ffff:10.0.0.1` → `10.0.0.1`. */
function plainAddress(address: string): string {
  return address.trim().replace(/^\[|\]$/g, "").replace(/^::ffff:(?=\d+\.)/i, "");
}

/** The last value of a comma-separated header, or null. */
function lastValue(value: string | null): string | null {
  const last = value?.split(",").at(-1)?.trim();
  return last ? last : null;
}

/**
 * Works out the client from the peer address and, when the peer is a
 * trusted proxy, its `X-Forwarded-For`, `X-Forwarded-Proto` and
 * `X-Forwarded-Host` headers. The client address is the right-most address
 * in `X-Forwarded-For` that is not itself a trusted proxy: entries further
 * left were written by the client and prove nothing.
 *
 * @param peer The address of the connection's other end.
 * @param headers The request's headers.
 * @param options `trusted`: the proxies' addresses; `tls`: whether the connection itself is TLS.
 * @returns The client's address, whether it used HTTPS, and the host it asked for.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { clientInfo } from "./trusted_proxy.ts";
 * const headers = new Headers({
 *   "x-forwarded-for": "6.6.6.6, 203.0.113.9",
 *   "x-forwarded-proto": "https",
 * });
 * const trusted = new Set(["10.0.0.2"]);
 * assert.deepEqual(clientInfo("10.0.0.2", headers, { trusted, tls: false }), {
 *   address: "203.0.113.9",
 *   secure: true,
 *   host: null,
 * });
 * // The same headers from anyone else are ignored.
 * assert.equal(clientInfo("198.51.100.7", headers, { trusted, tls: false }).address, "198.51.100.7");
 * ```
 */
export function clientInfo(
  peer: string,
  headers: Headers,
  options: { trusted: ReadonlySet<string>; tls: boolean },
): ClientInfo {
  const address = plainAddress(peer);
  if (!options.trusted.has(address)) return { address, secure: options.tls, host: null };
  const chain = (headers.get("x-forwarded-for") ?? "").split(",").map(plainAddress)
    .filter((a) => a !== "");
  let client = address;
  while (chain.length > 0) {
    client = chain.pop()!;
    if (!options.trusted.has(client)) break;
  }
  const proto = lastValue(headers.get("x-forwarded-proto"))?.toLowerCase();
  return {
    address: client,
    secure: proto === undefined || proto === null ? options.tls : proto === "https",
    host: lastValue(headers.get("x-forwarded-host")),
  };
}

/**
 * Parses `--trust-proxy`'s value: addresses separated by commas.
 *
 * @param value The option's text.
 * @returns The addresses, or null when one is not an IP address.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseTrustedProxies } from "./trusted_proxy.ts";
 * assert.deepEqual(parseTrustedProxies("127.0.0.1, ::1"), ["127.0.0.1", "::1"]);
 * assert.equal(parseTrustedProxies("nginx.local"), null);
 * ```
 */
export function parseTrustedProxies(value: string): string[] | null {
  const addresses = value.split(",").map(plainAddress).filter((a) => a !== "");
  const ip = /^(\d{1,3}(\.\d{1,3}){3}|[0-9a-f:]*:[0-9a-f:.]*)$/i;
  return addresses.length > 0 && addresses.every((a) => ip.test(a)) ? addresses : null;
}
