/**
 * Caps on open connections: in all, and per client address. One client
 * holding thousands of idle sockets must not use up the process's file
 * descriptors and stop everyone else from voting.
 */

import { clientKey } from "./client_key.ts";

/** How many connections to allow, in all and from one address (an IPv6 /64 counts as one). */
export interface ConnectionCaps {
  /** Open connections in all; past it new ones are closed at once. */
  total: number;
  /** Open connections from one address. */
  perClient: number;
  /** Addresses without a per-client cap (trusted proxies speak for many clients). */
  exempt?: { has(address: string): boolean };
}

/**
 * Counts open connections by address and says whether one more may open.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { ConnectionLimits } from "./connection_limits.ts";
 * const limits = new ConnectionLimits({ total: 3, perClient: 2 });
 * assert.equal(limits.admit("10.0.0.1"), true);
 * assert.equal(limits.admit("10.0.0.1"), true);
 * assert.equal(limits.admit("10.0.0.1"), false); // this client's cap
 * assert.equal(limits.admit("10.0.0.2"), true);
 * assert.equal(limits.admit("10.0.0.3"), false); // the total cap
 * limits.release("10.0.0.1");
 * assert.equal(limits.admit("10.0.0.3"), true);
 * ```
 */
export class ConnectionLimits {
  /** The caps in force. */
  readonly caps: Readonly<ConnectionCaps>;
  readonly #byAddress = new Map<string, number>();
  readonly #exempt: { has(address: string): boolean };
  /** Keys of the exempt addresses seen (never asked to give up a connection). */
  readonly #exemptKeys = new Set<string>();
  #open = 0;

  /**
   * Makes the limits with no connection open.
   *
   * @param caps The caps to enforce.
   */
  constructor(caps: ConnectionCaps) {
    this.caps = caps;
    this.#exempt = caps.exempt ?? new Set();
  }

  /** Counts a new connection from `address` if the caps allow it; false means refuse it. */
  admit(address: string): boolean {
    if (this.#open >= this.caps.total) return false;
    const key = clientKey(address);
    const count = this.#byAddress.get(key) ?? 0;
    const exempt = this.#exempt.has(address);
    if (count >= this.caps.perClient && !exempt) return false;
    if (exempt) this.#exemptKeys.add(key);
    this.#byAddress.set(key, count + 1);
    this.#open++;
    return true;
  }

  /** Whether the cap on connections in all is reached. */
  get full(): boolean {
    return this.#open >= this.caps.total;
  }

  /**
   * The client to take a connection from so that `newcomer` may have one,
   * when the server is full: the one holding the most, if that is at least
   * two more than the newcomer holds (a trusted proxy never). A handful of
   * addresses can otherwise fill the server and shut every new voter out.
   *
   * @param newcomer The address of the connection that found the server full.
   * @returns The client's key (as `clientKey` gives it), or null.
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { ConnectionLimits } from "./connection_limits.ts";
   * const limits = new ConnectionLimits({ total: 4, perClient: 3 });
   * for (const a of ["10.0.0.1", "10.0.0.1", "10.0.0.1", "10.0.0.2"]) limits.admit(a);
   * assert.equal(limits.fullest("10.0.0.3"), "10.0.0.1");
   * assert.equal(limits.fullest("10.0.0.2"), "10.0.0.1");
   * limits.release("10.0.0.1");
   * limits.admit("10.0.0.3");
   * assert.equal(limits.fullest("10.0.0.2"), null); // 2 against 1: no one holds more than a fair share
   * ```
   */
  fullest(newcomer: string): string | null {
    const own = this.#byAddress.get(clientKey(newcomer)) ?? 0;
    let best: string | null = null;
    let most = own + 1;
    for (const [key, count] of this.#byAddress) {
      if (count > most && !this.#exemptKeys.has(key)) {
        best = key;
        most = count;
      }
    }
    return best;
  }

  /** Forgets a connection that `admit` counted. */
  release(address: string): void {
    const key = clientKey(address);
    const count = this.#byAddress.get(key);
    if (!count) return;
    if (count === 1) {
      this.#byAddress.delete(key);
      this.#exemptKeys.delete(key);
    } else this.#byAddress.set(key, count - 1);
    this.#open--;
  }

  /** Open connections now. */
  get open(): number {
    return this.#open;
  }
}

/**
 * The soft limit on open files from the text of `/proc/self/limits`, or null
 * when it says none or cannot be read.
 *
 * @param limitsText The file's text.
 * @returns The limit.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { openFilesLimit } from "./connection_limits.ts";
 * const text = "Limit  Soft Limit  Hard Limit  Units\nMax open files  1024  4096  files\n";
 * assert.equal(openFilesLimit(text), 1024);
 * assert.equal(openFilesLimit("Max open files  unlimited  unlimited  files"), null);
 * ```
 */
export function openFilesLimit(limitsText: string): number | null {
  const match = limitsText.match(/^Max open files\s+(\d+)/m);
  return match ? Number(match[1]) : null;
}

/**
 * The default cap on open connections: three quarters of the open-files
 * limit, at most 10,000 (memory, not descriptors, bounds a busy server
 * beyond that). The rest is for the databases, the logos, and the
 * connections accepted past the cap before they are closed: the listener
 * of node:net (and node:http) in Deno stops accepting for good, without a
 * word, once an accept fails for want of a descriptor.
 *
 * @param limit The process's open-files limit, or null when unknown.
 * @returns The cap.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { defaultConnectionCap } from "./connection_limits.ts";
 * assert.equal(defaultConnectionCap(1024), 768);
 * assert.equal(defaultConnectionCap(20_000), 10_000);
 * assert.equal(defaultConnectionCap(null), 10_000);
 * ```
 */
export function defaultConnectionCap(limit: number | null): number {
  if (limit === null) return 10_000;
  return Math.max(16, Math.min(10_000, Math.floor(limit * 0.75)));
}

/**
 * The default cap on connections from one address: an eighth of the cap in
 * all, at most 1,024 and at least 4, so that no single address (a trusted
 * proxy aside) can fill the server by itself.
 *
 * @param total The cap on connections in all.
 * @returns The cap per address.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { defaultPerClientCap } from "./connection_limits.ts";
 * assert.equal(defaultPerClientCap(10_000), 1_024);
 * assert.equal(defaultPerClientCap(384), 48);
 * assert.equal(defaultPerClientCap(16), 4);
 * ```
 */
export function defaultPerClientCap(total: number): number {
  return Math.max(4, Math.min(1_024, Math.floor(total / 8)));
}
