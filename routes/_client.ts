/** Who is asking: the client's address and scheme, as the connection or a trusted proxy says. */
import type { Context, MiddlewareHandler } from "hono";
import { getConnInfo } from "hono/deno";
import { type AddressMatcher, type ClientInfo, clientInfo } from "../lib/server/trusted_proxy.ts";

/** The context variable that holds the request's `ClientInfo`. */
const CLIENT = "matdaanClient" as never;

function peerAddress(c: Context): string {
  try {
    return getConnInfo(c).remote.address ?? "unknown";
  } catch {
    return "unknown"; // app.request() in tests has no connection
  }
}

/** Works out each request's client once, believing forwarding headers only from `trusted`. */
export function client(options: { trusted: AddressMatcher; tls: boolean }): MiddlewareHandler {
  return async function client(c, next) {
    // Kept on the context: later middleware may replace the Request object.
    c.set(CLIENT, clientInfo(peerAddress(c), c.req.raw.headers, options) as never);
    await next();
  };
}

function infoOf(c: Context): ClientInfo {
  return (c.get(CLIENT) as ClientInfo | undefined) ??
    { address: peerAddress(c), secure: false, host: null };
}

/** The caller's address, for caps, throttling and the audit log. */
export function clientAddress(c: Context): string {
  return infoOf(c).address;
}

/** Whether the client reached us over HTTPS (here, or at a trusted proxy). */
export function isSecure(c: Context): boolean {
  return infoOf(c).secure;
}

/** The host the client asked for: a trusted proxy's `X-Forwarded-Host`, else `Host`. */
export function requestHost(c: Context): string {
  return infoOf(c).host ?? new URL(c.req.url).host;
}
