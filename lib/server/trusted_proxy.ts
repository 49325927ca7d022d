/**
 * Who the client is when a reverse proxy stands between: the forwarding
 * headers are believed only when the connection comes from a proxy the
 * operator named (`--trust-proxy`, addresses or CIDR ranges), never from
 * anyone else.
 */
import ipaddr from "ipaddr.js";

/** What is known about a request's client. */
export interface ClientInfo {
  /** The client's address: the peer's, or the one a trusted proxy forwarded. */
  address: string;
  /** Whether the client reached us over HTTPS (directly, or at a trusted proxy). */
  secure: boolean;
  /** The host the client asked for, when a trusted proxy forwarded it. */
  host: string | null;
}

/** Something that says whether an address is a trusted proxy's (a `Set` of addresses will do). */
export interface AddressMatcher {
  /** Whether the address (as the socket gives it) is trusted. */
  has(address: string): boolean;
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
 * @param options `trusted`: the proxies (a `TrustedProxies`, or a `Set` of addresses); `tls`: whether the connection itself is TLS.
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
  options: { trusted: AddressMatcher; tls: boolean },
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

/** An IPv4 address in four decimal parts, or any IPv6 address; null otherwise. */
function parseAddress(text: string): ipaddr.IPv4 | ipaddr.IPv6 | null {
  if (ipaddr.IPv4.isValidFourPartDecimal(text)) return ipaddr.IPv4.parse(text);
  return text.includes(":") && ipaddr.IPv6.isValid(text) ? ipaddr.IPv6.parse(text) : null;
}

/** An address or a CIDR range (`10.0.0.0/8`, `fd00::/8`) as a range; null when malformed. */
function parseRange(text: string): [ipaddr.IPv4 | ipaddr.IPv6, number] | null {
  const [address, bits, ...rest] = plainAddress(text).split("/");
  const ip = parseAddress(address);
  if (ip === null || rest.length > 0) return null;
  const max = ip.kind() === "ipv4" ? 32 : 128;
  if (bits === undefined) return [ip, max];
  if (!/^\d{1,3}$/.test(bits) || Number(bits) > max) return null;
  return [ip, Number(bits)];
}

/**
 * The trusted proxies: single addresses and CIDR ranges, IPv4 and IPv6.
 * An IPv4-mapped IPv6 address (`::ffff:10.0.0.1`) counts as the IPv4 one.
 * Anything that is not an address (say, a client's junk in
 * `X-Forwarded-For`) is no proxy.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { TrustedProxies } from "./trusted_proxy.ts";
 * const proxies = new TrustedProxies(["10.0.0.0/8", "fd00::/8", "192.0.2.1"]);
 * assert.equal(proxies.has("10.20.30.40"), true);
 * assert.equal(proxies.has("::ffff:10.20.30.40"), true);
 * assert.equal(proxies.has("fd00::1"), true);
 * assert.equal(proxies.has("192.0.2.1"), true);
 * assert.equal(proxies.has("192.0.2.2"), false);
 * assert.equal(proxies.has("not an address"), false);
 * ```
 */
export class TrustedProxies implements AddressMatcher {
  /** Single addresses, as written and normalised: checked first, without parsing. */
  readonly #addresses = new Set<string>();
  readonly #ranges: [ipaddr.IPv4 | ipaddr.IPv6, number][] = [];

  /**
   * Parses the trusted addresses and ranges.
   *
   * @param entries Addresses and CIDR ranges, as `parseTrustedProxies` returns them.
   * @throws {RangeError} When an entry is neither.
   */
  constructor(entries: Iterable<string>) {
    for (const entry of entries) {
      const range = parseRange(entry);
      if (range === null) {
        throw new RangeError(`Expected an IP address or CIDR range, found "${entry}".`);
      }
      const [ip, bits] = range;
      if (bits === (ip.kind() === "ipv4" ? 32 : 128)) {
        this.#addresses.add(plainAddress(entry));
        this.#addresses.add(ip.toNormalizedString());
      } else this.#ranges.push(range);
    }
  }

  /** Whether `address` is one of the proxies or inside one of their ranges. */
  has(address: string): boolean {
    if (this.#ranges.length === 0 && this.#addresses.size === 0) return false;
    const plain = plainAddress(address);
    if (this.#addresses.has(plain)) return true;
    const parsed = parseAddress(plain);
    if (parsed === null) return false;
    const ip = parsed.kind() === "ipv6" && (parsed as ipaddr.IPv6).isIPv4MappedAddress()
      ? (parsed as ipaddr.IPv6).toIPv4Address()
      : parsed;
    if (this.#addresses.has(ip.toNormalizedString())) return true;
    return this.#ranges.some(([net, bits]) => net.kind() === ip.kind() && ip.match(net, bits));
  }
}

/**
 * Parses `--trust-proxy`'s value: addresses and CIDR ranges separated by commas.
 *
 * @param value The option's text.
 * @returns The entries, or null when one is neither an IP address nor a CIDR range.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseTrustedProxies } from "./trusted_proxy.ts";
 * assert.deepEqual(parseTrustedProxies("127.0.0.1, ::1"), ["127.0.0.1", "::1"]);
 * assert.deepEqual(parseTrustedProxies("10.0.0.0/8,fd00::/8"), ["10.0.0.0/8", "fd00::/8"]);
 * assert.equal(parseTrustedProxies("nginx.local"), null);
 * assert.equal(parseTrustedProxies("10.0.0.0/33"), null);
 * ```
 */
export function parseTrustedProxies(value: string): string[] | null {
  const entries = value.split(",").map(plainAddress).filter((a) => a !== "");
  return entries.length > 0 && entries.every((e) => parseRange(e) !== null) ? entries : null;
}
