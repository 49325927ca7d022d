/** Security middleware for every request: refusing cross-site writes, and the headers. */
import type { MiddlewareHandler } from "hono";
import { HttpError } from "./_errors.ts";
import { isSecure, requestHost } from "./_client.ts";

/** No inline scripts or styles anywhere: islands load from files, props are JSON. */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "object-src 'none'",
].join("; ");

/** The headers every answer carries (`HSTS` too over HTTPS). */
export const SECURITY_HEADERS: readonly (readonly [string, string])[] = [
  ["Content-Security-Policy", CONTENT_SECURITY_POLICY],
  ["X-Content-Type-Options", "nosniff"],
  // same-origin, not no-referrer: with no-referrer Chromium sends "Origin: null"
  // on form posts, and the cross-site check could not tell them apart.
  ["Referrer-Policy", "same-origin"],
  ["X-Frame-Options", "DENY"],
];

/** HTTP Strict Transport Security (RFC 6797) for a year, sent over HTTPS only. */
export const HSTS: readonly [string, string] = ["Strict-Transport-Security", "max-age=31536000"];

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/** The host of an Origin header; "null" and malformed origins have none. */
function hostOf(origin: string): string | null {
  try {
    return new URL(origin).host || null;
  } catch {
    return null;
  }
}

/**
 * Throws 403 for a request from another origin: an `Origin` naming another
 * host, or `Sec-Fetch-Site` saying `cross-site` or `same-site` (a sibling
 * subdomain is another origin too).
 */
export function refuseOtherOrigins(
  origin: string | undefined,
  site: string | undefined,
  host: string,
) {
  const crossOrigin = origin !== undefined && hostOf(origin) !== host;
  if (crossOrigin || site === "cross-site" || site === "same-site") {
    throw new HttpError("forbidden", { reason: "cross_site" });
  }
}

/**
 * Sets the security headers on every answer, refusals included; HSTS only
 * over HTTPS (here, or at a trusted proxy).
 */
export function securityHeaders(): MiddlewareHandler {
  return async function securityHeaders(c, next) {
    await next();
    // A WebSocket upgrade's response cannot take new headers, and needs none.
    if (c.res.status === 101) return;
    const all = isSecure(c) ? [...SECURITY_HEADERS, HSTS] : SECURITY_HEADERS;
    // Set on the response itself: Hono's c.header() after next() copies the
    // whole response once per header, which cost a fifth of the vote path.
    try {
      for (const [name, value] of all) c.res.headers.set(name, value);
    } catch {
      c.res = new Response(c.res.body, c.res); // a response with immutable headers
      for (const [name, value] of all) c.res.headers.set(name, value);
    }
  };
}

/**
 * Refuses a state-changing request from another site with 403: one whose
 * `Origin` names another host, or that the browser marks `Sec-Fetch-Site`
 * cross-site or same-site; WebSocket upgrades are checked the same way.
 * Requests with neither header (curl, scripts) pass. Hosts are compared, not
 * schemes, so a proxy that ends TLS and forwards `Host` works. It comes after
 * `securityHeaders` and the language, so that its 403 has both.
 */
export function sameSiteWrites(): MiddlewareHandler {
  return async function sameSiteWrites(c, next) {
    // WebSocket upgrades too: a socket carries the session cookie like a write.
    if (!SAFE_METHODS.has(c.req.method) || c.req.header("upgrade")?.toLowerCase() === "websocket") {
      refuseOtherOrigins(c.req.header("origin"), c.req.header("sec-fetch-site"), requestHost(c));
    }
    await next();
  };
}
