/**
 * Each client's request budget (`lib/server/request_rate.ts`): a page costs
 * `PAGE_COST` points (rendering one takes about a millisecond and a half);
 * static files, votes, the tally, the health check and socket upgrades
 * (capped on their own) cost one. Past it: 429 `too_many_requests` with
 * `Retry-After`, in the client's language, before any other work.
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

/** The points a rendered page or an export costs. */
export const PAGE_COST = 10;

const CHEAP_PREFIXES = ["/build/", "/static/", "/fonts/", "/ws/"];
const CHEAP_PATHS = new Set(["/healthz", "/api/tally", "/api/votes", "/parties.css"]);

/** What a request for `path` (query ignored) costs: cheap answers 1, anything else `PAGE_COST`. */
export function costOf(path: string): number {
  const query = path.indexOf("?");
  if (query >= 0) path = path.slice(0, query);
  if (CHEAP_PATHS.has(path)) return 1;
  for (const prefix of CHEAP_PREFIXES) if (path.startsWith(prefix)) return 1;
  return PAGE_COST;
}

/** The middleware: a request the guarded server has not checked spends its cost here. */
export function requestRate(rate: RequestRate): MiddlewareHandler {
  return async function requestRate(c, next) {
    if (!(c.env as Partial<ServeEnv> | undefined)?.budgeted) {
      const wait = rate.take(clientAddress(c), costOf(c.req.path));
      if (wait > 0) {
        c.header("Retry-After", String(wait));
        throw new HttpError("too_many_requests");
      }
    }
    await next();
  };
}

const refusals = new Map<Locale, string>();

/** The budget as the guarded server checks it, with the contract's 429 body in the client's language. */
export function guardBudget(rate: RequestRate): RequestBudget {
  return {
    take: (address, url) => rate.take(address, costOf(url)),
    refusal(hints) {
      const locale = chooseLocale({
        asked: hints.url.match(/[?&]lang=([a-z-]+)/i)?.[1],
        remembered: hints.cookie?.match(/(?:^|;\s*)lang=([a-z-]+)/i)?.[1],
        acceptLanguage: hints.acceptLanguage,
      });
      let body = refusals.get(locale);
      if (body === undefined) {
        const message = translate(locale, "too_many_requests");
        body = JSON.stringify({ error: { code: "too_many_requests", message } });
        refusals.set(locale, body);
      }
      return body;
    },
  };
}
