/** The addresses to print at start, so voters on the LAN can be told where to go. */

/** A network interface as `Deno.networkInterfaces()` describes it. */
export interface NetInterface {
  /** The address family. */
  family: "IPv4" | "IPv6";
  /** The address, e.g. `"192.168.1.5"`. */
  address: string;
}

/**
 * Lists the base URLs a server bound to `host` can be reached at. A server
 * bound to every interface is listed as localhost and each IPv4 address.
 *
 * @param host The address the server listens on.
 * @param port The port.
 * @param interfaces The machine's interfaces.
 * @returns Base URLs without a trailing slash.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { serverUrls } from "./server_urls.ts";
 * assert.deepEqual(
 *   serverUrls("0.0.0.0", 8000, [{ family: "IPv4", address: "192.168.1.5" }]),
 *   ["http://localhost:8000", "http://192.168.1.5:8000"],
 * );
 * ```
 */
export function serverUrls(
  host: string,
  port: number,
  interfaces: readonly NetInterface[],
  options: { secure?: boolean } = {},
): string[] {
  const scheme = options.secure ? "https" : "http";
  const wildcard = host === "0.0.0.0" || host === "::";
  if (!wildcard) return [`${scheme}://${host.includes(":") ? `[${host}]` : host}:${port}`];
  const addresses = interfaces
    .filter((i) => i.family === "IPv4" && !i.address.startsWith("127."))
    .map((i) => i.address);
  return [...new Set(["localhost", ...addresses])].map((a) => `${scheme}://${a}:${port}`);
}
