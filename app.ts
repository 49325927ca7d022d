/** Builds the Hono app from its dependencies, so tests can call `app.request()`. */
import { Hono } from "hono";
import type { BuildManifest } from "./runtime/manifest.ts";
import type { LogoUrls } from "./lib/logos/party_views.ts";
import type { ElectionStore } from "./lib/store/store.ts";
import { TallyFeed } from "./lib/live/tally_feed.ts";
import { HttpError, onError } from "./routes/_errors.ts";
import { limitBody } from "./routes/_body.ts";
import { rememberLocale } from "./routes/_locale.ts";
import { notFound, notFoundPage, refusedFormPage, wantsHtml } from "./routes/not_found.tsx";
import { receipts } from "./routes/receipt.tsx";
import { fonts } from "./routes/fonts.ts";
import { apiTally } from "./routes/api_tally.ts";
import { apiVotes, voteLane } from "./routes/api_votes.ts";
import { booth } from "./routes/booth.tsx";
import { results } from "./routes/results.tsx";
import { resultDownload } from "./routes/result_download.ts";
import { present } from "./routes/present.tsx";
import { staticFiles } from "./routes/static.ts";
import { wsTally } from "./routes/ws_tally.ts";
import { AdminAuth, randomPassword } from "./lib/admin/admin_auth.ts";
import { auditLimitClose, AuditLog, type AuditTrail } from "./lib/admin/audit_log.ts";
import { FailedSignIns } from "./lib/admin/failed_sign_ins.ts";
import { SessionSockets } from "./lib/admin/session_sockets.ts";
import { TurnoutFeed } from "./lib/live/turnout_feed.ts";
import { sameSiteWrites, securityHeaders } from "./routes/_security.ts";
import { client } from "./routes/_client.ts";
import { requestRate } from "./routes/_request_rate.ts";
import { BusyPages } from "./routes/_busy_page.ts";
import type { RequestRate } from "./lib/server/request_rate.ts";
import { admin, THROTTLED_HOLD_MS } from "./routes/admin.tsx";
import { adminData } from "./routes/admin_data.ts";
import { ConnectionLimits } from "./lib/server/connection_limits.ts";
import { TrustedProxies } from "./lib/server/trusted_proxy.ts";
import { systemTimers, type Timers } from "./lib/timers.ts";
import type { ExpressRoute } from "./serve.ts";

/** Open WebSockets one client address may hold (a household or an office shares one). */
export const SOCKETS_PER_CLIENT = 32;
import { CodeThrottle } from "./lib/election/code_throttle.ts";
import type { VotingDeps } from "./lib/election/cast_vote.ts";
import { adminRoll } from "./routes/admin_roll.tsx";
import { adminRollImport, ROLL_UPLOAD_PATH } from "./routes/admin_roll_import.tsx";
import type { RollUploads } from "./lib/admin/roll_uploads.ts";
import { resolveTimeZone } from "./lib/election/local_time.ts";
import { VotingSchedule } from "./lib/admin/voting_schedule.ts";

/** What the app is built from. */
export interface AppDeps {
  store: ElectionStore;
  /** The live tally feed; one is made from the store when omitted. */
  feed?: TallyFeed;
  /** The built island bundles and style sheets; pages render without them when omitted. */
  assets?: BuildManifest | null;
  /** Rendered party logos by id and size; pages show names only when omitted. */
  logos?: LogoUrls;
  /**
   * The administrator's password and sessions, and the audit log. When
   * omitted (in tests), nobody can sign in and the log is kept in memory.
   * `throttledHoldMs`: how long a throttled guess is held before its 429
   * (default `THROTTLED_HOLD_MS`; 0: answered at once), on `timers`.
   */
  admin?: {
    auth: AdminAuth;
    audit: AuditTrail;
    failedSignIns?: FailedSignIns;
    throttledHoldMs?: number;
    timers?: Timers;
  };
  /** The administrator's live register feed; one is made from the store when omitted. */
  turnoutFeed?: TurnoutFeed;
  /** Whether the app is served over TLS (cookies are Secure, HSTS is sent). */
  tls?: boolean;
  /**
   * Reverse proxies whose forwarding headers (`X-Forwarded-For`, `-Proto`,
   * `-Host`) are believed; from anyone else they are ignored.
   */
  trustProxy?: readonly string[];
  /** The cap on open WebSockets per client (default `SOCKETS_PER_CLIENT`). */
  socketsPerClient?: number;
  /**
   * Each client's request budget (`routes/_request_rate.ts` says what a
   * request costs); no budget when omitted (tests; `main.ts` makes one from
   * `--requests-per-client`).
   */
  requestRate?: RequestRate;
  /** The key voting codes are hashed with, when the election uses codes. */
  codesKey?: Uint8Array;
  /** Throttles code guesses; a default one is made when omitted. */
  codeThrottle?: CodeThrottle;
  /** The election's time zone for the times shown (default the machine's). */
  timeZone?: string;
  /** The booth URL voters are given (the LAN address); null until known, then the request's own. */
  joinUrl?: () => string | null;
  /** The clock and timeouts of the voting schedule (`--opens-at`, `--closes-at`); the system's by default. */
  timers?: Timers;
  /** Where the voting schedule says what the organiser should know (default: the console). */
  notice?: (text: string) => void;
  /** Importing the roll from the admin panel (its staging folder and size limit); off when omitted. */
  rollUploads?: RollUploads;
  /** The booth's address printed on voter slips (`--public-url`); else the join URL. */
  publicUrl?: string;
}

/**
 * Builds the application.
 *
 * @param deps The store (and optionally the feed) to serve.
 * @returns The Hono app.
 */
export function createApp(deps: AppDeps): Hono {
  return createServing(deps).app;
}

/** The app, and the routes the guarded server answers without it (`ExpressRoute`). */
export interface Serving {
  app: Hono;
  /** `POST /api/votes` for direct clients (`routes/api_votes.ts`'s `voteLane`). */
  express: ExpressRoute;
}

/**
 * Builds the application and its express lane, over the same dependencies.
 *
 * @param deps The store (and optionally the feed) to serve.
 * @returns Both.
 */
export function createServing(deps: AppDeps): Serving {
  const { store } = deps;
  const feed = deps.feed ?? new TallyFeed(store);
  const { auth, audit } = deps.admin ??
    { auth: new AdminAuth(randomPassword()), audit: new AuditLog(":memory:") };
  const failedSignIns = deps.admin?.failedSignIns ?? new FailedSignIns(audit);
  const sessionSockets = new SessionSockets((session) => auth.isValid(session));
  const tls = deps.tls ?? false;
  if (store.roll?.codes && !deps.codesKey) {
    throw new TypeError("This election uses voting codes: createApp needs their key (codesKey).");
  }
  const schedule = new VotingSchedule(store, audit, { timers: deps.timers, notice: deps.notice });
  const voting: VotingDeps = {
    store,
    codesKey: deps.codesKey,
    throttle: deps.codeThrottle ?? new CodeThrottle(),
    schedule,
  };
  const timeZone = deps.timeZone ?? resolveTimeZone(undefined);
  auditLimitClose(store, audit);
  schedule.start();
  const sockets = new ConnectionLimits({
    total: Infinity, // the server caps connections in all
    perClient: deps.socketsPerClient ?? SOCKETS_PER_CLIENT,
  });
  const app = new Hono();
  app.onError((err, c) => {
    // The booth's form without JavaScript: a page in the voter's language, not the JSON error.
    const boothForm = c.req.method === "POST" && c.req.path === "/vote" && wantsHtml(c);
    if (boothForm && err instanceof HttpError && err.code === "payload_too_large") {
      return c.html(refusedFormPage(c, deps.assets ?? null), 413);
    }
    // A page load that finds nothing (the result files before the close, say): a page saying why.
    if (wantsHtml(c) && err instanceof HttpError && err.code === "not_found") {
      return c.html(notFoundPage(c, deps.assets ?? null, "not_found", err.reason), 404);
    }
    return onError(err, c);
  });
  app.use(client({ trusted: new TrustedProxies(deps.trustProxy ?? []), tls }));
  // First after the client is known: a refused request costs as little as it can.
  if (deps.requestRate) {
    app.use(requestRate(deps.requestRate, new BusyPages(deps.assets ?? null)));
  }
  app.use(securityHeaders());
  app.use(rememberLocale());
  app.use(sameSiteWrites());
  // One body limit for every route, before any handler can read a body.
  app.use(limitBody({
    exempt: (c) => c.req.method === "POST" && c.req.path === ROLL_UPLOAD_PATH && !!deps.rollUploads,
  }));
  app.notFound(notFound(deps.assets ?? null, app));
  app.get("/healthz", (c) => c.json({ ok: true, status: store.snapshot().status }));
  app.route("/api/votes", apiVotes(voting, timeZone));
  app.route("/api", apiTally(store, audit));
  app.route("/ws/tally", wsTally(feed, sockets));
  app.route("/", staticFiles());
  app.route("/fonts", fonts());
  const pages = { store, assets: deps.assets ?? null, logos: deps.logos, timeZone };
  app.route("/", booth({ ...pages, voting }));
  app.route("/", receipts(pages));
  app.route("/results", results({ ...pages, audit }));
  app.route("/results", resultDownload(store, timeZone));
  app.route("/present", present({ ...pages, joinUrl: deps.joinUrl ?? (() => null) }));
  app.route(
    "/admin/roll",
    adminRoll({ store, auth, audit, assets: pages.assets, codesKey: () => voting.codesKey }),
  );
  if (deps.rollUploads) {
    app.route(
      "/admin/roll",
      adminRollImport({
        store,
        auth,
        audit,
        assets: pages.assets,
        uploads: deps.rollUploads,
        boothUrl: (c) => deps.publicUrl ?? deps.joinUrl?.() ?? new URL("/", c.req.url).href,
        // A panel import's new key serves the codes from the moment its roll is committed.
        useKey: (key) => voting.codesKey = key,
      }),
    );
  }
  app.route(
    "/admin",
    admin({
      store,
      auth,
      audit,
      assets: pages.assets,
      timeZone,
      failedSignIns,
      sessionSockets,
      throttledHold: {
        ms: deps.admin?.throttledHoldMs ?? THROTTLED_HOLD_MS,
        timers: deps.admin?.timers ?? systemTimers,
      },
      rollImport: !!deps.rollUploads,
    }),
  );
  const turnoutFeed = deps.turnoutFeed ?? new TurnoutFeed(store);
  app.route(
    "/",
    adminData({ store, auth, audit, turnoutFeed, timeZone, sockets, sessionSockets }),
  );
  return { app, express: voteLane(voting, timeZone) };
}
