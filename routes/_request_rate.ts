/**
 * Each client's request budget (`lib/server/request_rate.ts`): a page costs
 * `PAGE_COST` points (rendering one takes about a millisecond and a half);
 * static files, votes, the tally, the health check and socket upgrades
 * (capped on their own) cost one. Past it: 429 `too_many_requests` with
 * `Retry-After`, in the client's language, before any other work: a page
 * load (`Accept: text/html`, outside `/api/` and `/ws/`) gets the designed
 * page (`BusyPages`, rendered at start), anyone else the contract's JSON.
 *
 * The guarded server checks a direct client's budget itself, before the app
 * (`guardBudget`); the middleware checks the rest: clients behind a trusted
 * proxy (known by the forwarded address) and every client of `Deno.serve`.
 */
import type { MiddlewareHandler } from "hono";
import type { RequestRate } from "../lib/server/request_rate.ts";
import { chooseLocale } from "../lib/i18n/locale.ts";
import { translate } from "../lib/i18n/catalogue.ts";
import type { Locale } from "../lib/i18n/format.ts";
import type { RequestBudget, ServeEnv } from "../serve.ts";
import { clientAddress } from "./_client.ts";
import { HttpError } from "./_errors.ts";
import { localeOf } from "./_locale.ts";
import type { BusyPages } from "./_busy_page.ts";
import { isPageLoad } from "./not_found.tsx";
import { CONTENT_SECURITY_POLICY } from "./_security.ts";

/** The points a rendered page or an export costs. */
export const PAGE_COST = 10;

const CHEAP_PREFIXES = ["/build/", "/static/", "/fonts/", "/ws/"];
const CHEAP_PATHS = new Set(["/healthz", "/api/tally", "/api/votes", "/parties.css"]);

/**
 * What a request costs: cheap answers 1, anything else `PAGE_COST`.
 *
 * @param target The request target as sent (path and query, or an absolute
 * URL). Dot segments are resolved as the guarded server resolves them before
 * routing: `/static/../results` is the results page, a page's cost.
 * @param accept The `Accept` header: a page load (`text/html`) under a cheap
 * prefix renders the 404 page (about 380 µs) when there is no such file, so
 * it costs a page; browsers ask for their files with other types.
 * @returns The points.
 */
export function costOf(target: string, accept?: string): number {
  let path = target;
  if (target[0] !== "/" || /[.%\\#]/.test(target)) {
    try {
      path = new URL(target, "http://h").pathname;
    } catch {
      return PAGE_COST; // the server refuses it (400); nothing cheap
    }
  }
  const query = path.indexOf("?");
  if (query >= 0) path = path.slice(0, query);
  if (CHEAP_PATHS.has(path)) return 1;
  const page = accept?.includes("text/html") ?? false;
  for (const prefix of CHEAP_PREFIXES) {
    if (path.startsWith(prefix)) return page && prefix !== "/ws/" ? PAGE_COST : 1;
  }
  return PAGE_COST;
}

/**
 * The middleware: a request the guarded server has not checked spends its cost here.
 *
 * @param rate The budget.
 * @param pages The page a refused page load gets (JSON for everyone without it).
 */
export function requestRate(rate: RequestRate, pages?: BusyPages): MiddlewareHandler {
  return async function requestRate(c, next) {
    if (!(c.env as Partial<ServeEnv> | undefined)?.budgeted) {
      const accept = c.req.header("accept");
      const wait = rate.take(clientAddress(c), costOf(c.req.path, accept));
      if (wait > 0) {
        c.header("Retry-After", String(wait));
        if (pages && isPageLoad(c.req.path, accept)) {
          c.header("Cache-Control", "no-store");
          c.header("Vary", "Accept, Accept-Language, Cookie");
          return c.html(pages.page(localeOf(c), wait), 429);
        }
        throw new HttpError("too_many_requests");
      }
    }
    await next();
  };
}

const JSON_HEADERS = { "content-type": "application/json; charset=utf-8" } as const;
const HTML_HEADERS = {
  "content-type": "text/html; charset=utf-8",
  "cache-control": "no-store",
  "content-security-policy": CONTENT_SECURITY_POLICY,
  "x-content-type-options": "nosniff",
} as const;

/** The path of a request target (`/a?b`, or an absolute URL). */
function pathOf(url: string): string {
  if (url[0] !== "/") {
    try {
      return new URL(url).pathname;
    } catch {
      return "/";
    }
  }
  const query = url.indexOf("?");
  return query < 0 ? url : url.slice(0, query);
}

/**
 * The budget as the guarded server checks it: the contract's 429 body in the
 * client's language, or for a page load the designed page.
 *
 * @param rate The budget.
 * @param pages The page a refused page load gets (JSON for everyone without it).
 */
export function guardBudget(rate: RequestRate, pages?: BusyPages): RequestBudget {
  const refusals = new Map<Locale, string>();
  return {
    take: (address, url, accept) => rate.take(address, costOf(url, accept)),
    refusal(hints) {
      const locale = chooseLocale({
        asked: hints.url.match(/[?&]lang=([a-z-]+)/i)?.[1],
        remembered: hints.cookie?.match(/(?:^|;\s*)lang=([a-z-]+)/i)?.[1],
        acceptLanguage: hints.acceptLanguage,
      });
      if (pages && isPageLoad(pathOf(hints.url), hints.accept)) {
        return { body: pages.page(locale, hints.wait), headers: HTML_HEADERS };
      }
      let body = refusals.get(locale);
      if (body === undefined) {
        const message = translate(locale, "too_many_requests");
        body = JSON.stringify({ error: { code: "too_many_requests", message } });
        refusals.set(locale, body);
      }
      return { body, headers: JSON_HEADERS };
    },
  };
}
