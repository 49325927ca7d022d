/**
 * The voter's language on every request: `?lang=hi` switches and is
 * remembered in a `lang` cookie for a year; otherwise the cookie, else the
 * browser's `Accept-Language`. Pages vary on both, so caches keep them apart.
 */
import type { Context, MiddlewareHandler } from "hono";
import { getCookie, setCookie } from "hono/cookie";
import { parse } from "hono/utils/cookie";
import { chooseLocale } from "../lib/i18n/locale.ts";
import type { Locale } from "../lib/i18n/format.ts";

/** The language of this request. */
export function localeOf(c: Context): Locale {
  return chooseLocale({
    asked: c.req.url.includes("lang=") ? c.req.query("lang") : undefined,
    remembered: getCookie(c, "lang"),
    acceptLanguage: c.req.header("accept-language"),
  });
}

/**
 * The language of a request without `?lang=`, from its `Cookie` and
 * `Accept-Language` headers (as `localeOf` would choose it).
 */
export function localeOfHeaders(cookie: string | undefined, acceptLanguage: string | undefined) {
  return chooseLocale({
    remembered: cookie === undefined ? undefined : parse(cookie, "lang").lang,
    acceptLanguage,
  });
}

/** What every answer varies by, its language being chosen from them. */
export const VARY_LANGUAGE = "Accept-Language, Cookie";

/** Remembers a language chosen with `?lang=` and marks the answer as varying by language. */
export function rememberLocale(): MiddlewareHandler {
  return async function rememberLocale(c, next) {
    // Most requests (every vote) carry no ?lang=: skip parsing the query for them.
    const asked = c.req.url.includes("lang=") ? c.req.query("lang") : undefined;
    await next();
    if (asked === "en" || asked === "hi") {
      setCookie(c, "lang", asked, { path: "/", maxAge: 365 * 24 * 3600, sameSite: "Lax" });
    }
    // Set on the response itself: Hono's c.header() after next() costs a copy per request.
    c.res.headers.append("Vary", VARY_LANGUAGE);
  };
}
