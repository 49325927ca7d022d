/** Who counts as one client when connections and guesses are counted. */
import ipaddr from "ipaddr.js";

/**
 * The key a client is counted under (sign-in guesses, voting-code and name
 * guesses, connections, WebSockets): an IPv4 address as it is, an IPv6
 * address by its /64 network. One subscriber, or one rented server,
 * is given a whole /64: counted by address, it had 2^64 fresh addresses,
 * each with its free guesses (1,700 wrong passwords a second were checked
 * from one /64 through a trusted proxy).
 *
 * @param address The client's IP address (anything else is its own key).
 * @returns The key.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { clientKey } from "./client_key.ts";
 * assert.equal(clientKey("2001:db8:1:2::7"), "2001:db8:1:2::/64");
 * assert.equal(clientKey("2001:db8:1:2:ffff::1"), "2001:db8:1:2::/64");
 * assert.equal(clientKey("::ffff:10.0.0.1"), "10.0.0.1");
 * assert.equal(clientKey("10.0.0.1"), "10.0.0.1");
 * assert.notEqual(clientKey("2001:db8:7:9::1"), clientKey("2001:db8:7:a::1"));
 * assert.equal(clientKey("unknown"), "unknown");
 * ```
 */
export function clientKey(address: string): string {
  if (!address.includes(":") || !ipaddr.IPv6.isValid(address)) return address;
  const ip = ipaddr.IPv6.parse(address);
  if (ip.isIPv4MappedAddress()) return ip.toIPv4Address().toString();
  const parts = ip.toNormalizedString().split(":").slice(0, 4).map((p) => parseInt(p, 16));
  return `${
    ipaddr.fromByteArray(
      parts.flatMap((p) => [p >> 8, p & 255]).concat(new Array(8).fill(0)),
    ).toString()
  }/64`;
}
