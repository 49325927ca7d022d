/** The administrator's session cookie, and the middleware that requires it. */
import type { Context, MiddlewareHandler } from "hono";
import { getConnInfo } from "hono/deno";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import type { AdminAuth } from "../lib/admin/admin_auth.ts";
import { HttpError } from "./_errors.ts";

/** The name of the administrator's session cookie. */
export const SESSION_COOKIE = "matdaan_admin";

/** The caller's address, for throttling and the audit log. */
export function clientAddress(c: Context): string {
  try {
    return getConnInfo(c).remote.address ?? "unknown";
  } catch {
    return "unknown"; // app.request() in tests has no connection
  }
}

/** Whether the request carries a valid session. */
export function hasSession(c: Context, auth: AdminAuth): boolean {
  return auth.isValid(getCookie(c, SESSION_COOKIE));
}

/**
 * Sets the session cookie: HttpOnly, SameSite=Strict, Secure under TLS.
 *
 * @param session The session id from `AdminAuth.login` (64 hex digits).
 * @param expires When the cookie ends, in epoch milliseconds (`LoginResult.expires`).
 * @param tls Whether the server speaks HTTPS, so the cookie may be sent only over it.
 */
export function startSession(c: Context, session: string, expires: number, tls: boolean) {
  setCookie(c, SESSION_COOKIE, session, {
    httpOnly: true,
    sameSite: "Strict",
    secure: tls,
    path: "/",
    expires: new Date(expires),
  });
}

/** Ends the session and clears the cookie. */
export function endSession(c: Context, auth: AdminAuth) {
  auth.logout(getCookie(c, SESSION_COOKIE));
  deleteCookie(c, SESSION_COOKIE, { path: "/" });
}

/** Lets only the administrator through: 401, or a redirect to the login page for a browser. */
export function requireAdmin(auth: AdminAuth): MiddlewareHandler {
  return async function requireAdmin(c, next) {
    if (hasSession(c, auth)) return await next();
    const wantsPage = c.req.method === "GET" &&
      (c.req.header("accept") ?? "").includes("text/html");
    if (wantsPage) return c.redirect("/admin", 303);
    throw new HttpError("unauthorized");
  };
}
