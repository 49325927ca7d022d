/** The administrator's session cookie, and the middleware that requires it. */
import type { Context, MiddlewareHandler } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import type { AdminAuth } from "../lib/admin/admin_auth.ts";
import type { SessionSockets } from "../lib/admin/session_sockets.ts";
import { HttpError } from "./_errors.ts";

import { isSecure } from "./_client.ts";
export { clientAddress } from "./_client.ts";

/** The name of the administrator's session cookie. */
export const SESSION_COOKIE = "matdaan_admin";

/** The session id the request's cookie carries, if any. */
export function sessionOf(c: Context): string | undefined {
  return getCookie(c, SESSION_COOKIE);
}

/** Whether the request carries a valid session (asks the shared session store). */
export function hasSession(c: Context, auth: AdminAuth): Promise<boolean> {
  return auth.isValid(sessionOf(c));
}

/**
 * Sets the session cookie: HttpOnly, SameSite=Strict, Secure over HTTPS
 * (here, or at a trusted proxy).
 *
 * @param session The session id from `AdminAuth.login` (64 hex digits).
 * @param expires When the cookie ends, in epoch milliseconds (`LoginResult.expires`).
 */
export function startSession(c: Context, session: string, expires: number) {
  setCookie(c, SESSION_COOKIE, session, {
    httpOnly: true,
    sameSite: "Strict",
    secure: isSecure(c),
    path: "/",
    expires: new Date(expires),
  });
}

/** The cookie that marks a browser that has signed in before (`DEVICE_MS` in `admin_auth.ts`). */
export const DEVICE_COOKIE = "matdaan_device";

/** The device token from the request's cookie, if any. */
export function deviceOf(c: Context): string | undefined {
  return getCookie(c, DEVICE_COOKIE);
}

/**
 * Gives this browser a device token, sent back with sign-ins only: after a
 * restart its guesses are checked in a lane that a flood from new addresses
 * cannot fill. Sign-out keeps it (it opens nothing without the password).
 *
 * @param device The device token from `AdminAuth.login` (64 hex digits).
 * @param expires When the cookie ends, in epoch milliseconds (`LoginResult.deviceExpires`).
 */
export function rememberDevice(c: Context, device: string, expires: number) {
  setCookie(c, DEVICE_COOKIE, device, {
    httpOnly: true,
    sameSite: "Strict",
    secure: isSecure(c),
    path: "/admin/login",
    expires: new Date(expires),
  });
}

/** Ends the session everywhere, closes its admin sockets here, and clears the cookie. */
export async function endSession(c: Context, auth: AdminAuth, sockets: SessionSockets) {
  const session = sessionOf(c);
  await auth.logout(session);
  if (session) sockets.endSession(session);
  deleteCookie(c, SESSION_COOKIE, { path: "/" });
}

/** Lets only the administrator through: 401, or a redirect to the login page for a browser. */
export function requireAdmin(auth: AdminAuth): MiddlewareHandler {
  return async function requireAdmin(c, next) {
    if (await hasSession(c, auth)) return await next();
    const wantsPage = c.req.method === "GET" &&
      (c.req.header("accept") ?? "").includes("text/html");
    if (wantsPage) return c.redirect("/admin", 303);
    throw new HttpError("unauthorized");
  };
}
