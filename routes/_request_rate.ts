/**
 * Refuses a client's requests past its budget a second (429 with
 * `Retry-After`), before any work is done for them. A page costs
 * `PAGE_COST` points (rendering one takes about a millisecond and a half);
 * static files, votes, the tally, the health check and socket upgrades
 * (capped on their own) cost one.
 */
import type { MiddlewareHandler } from "hono";
import type { RequestRate } from "../lib/server/request_rate.ts";
import { clientAddress } from "./_client.ts";
import { HttpError } from "./_errors.ts";

/** The points a rendered page or an export costs. */
export const PAGE_COST = 10;

const CHEAP_PREFIXES = ["/build/", "/static/", "/fonts/", "/ws/"];
const CHEAP_PATHS = new Set(["/healthz", "/api/tally", "/api/votes", "/parties.css"]);

/** What a request costs: cheap answers 1, anything else (pages, exports) `PAGE_COST`. */
export function costOf(path: string): number {
  if (CHEAP_PATHS.has(path)) return 1;
  for (const prefix of CHEAP_PREFIXES) if (path.startsWith(prefix)) return 1;
  return PAGE_COST;
}

/** The middleware: each request spends its cost from its client's budget. */
export function requestRate(rate: RequestRate): MiddlewareHandler {
  return async function requestRate(c, next) {
    const wait = await rate.take(clientAddress(c), costOf(c.req.path));
    if (wait > 0) {
      c.header("Retry-After", String(wait));
      throw new HttpError("too_many_requests");
    }
    await next();
  };
}
