/**
 * A shared booth (a kiosk): asked for with `?kiosk`, then remembered by the
 * device in a cookie, so that a kiosk stays one after a voter follows a link
 * that does not carry the mark (the header's Results or Vote, say) and the
 * next voter never finds the last one's receipt kept on screen. `?kiosk=off`
 * makes the device personal again.
 */
import type { Context } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";

const KIOSK_COOKIE = "kiosk";

/** How long a device stays a kiosk without being asked again: an election day and more, in seconds. */
const KIOSK_SECONDS = 2 * 24 * 60 * 60;

/**
 * Whether this request comes from a kiosk; sets or clears the device's mark
 * when the address asks (`?kiosk`, `?kiosk=off`).
 *
 * @param c The request's context (its answer may get a `Set-Cookie`).
 * @returns True for a shared booth.
 */
export function isKiosk(c: Context): boolean {
  const asked = c.req.query("kiosk");
  if (asked === "off") {
    if (getCookie(c, KIOSK_COOKIE) !== undefined) deleteCookie(c, KIOSK_COOKIE, { path: "/" });
    return false;
  }
  if (asked !== undefined) {
    if (getCookie(c, KIOSK_COOKIE) !== "1") {
      setCookie(c, KIOSK_COOKIE, "1", {
        path: "/",
        httpOnly: true,
        sameSite: "Lax",
        maxAge: KIOSK_SECONDS,
      });
    }
    return true;
  }
  return getCookie(c, KIOSK_COOKIE) === "1";
}
