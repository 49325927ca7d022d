/**
 * `/admin`: the login page and the administrator's panel; `POST /admin/login`,
 * `/admin/logout` and `/admin/close`. Only the administrator ends the vote.
 */
import { NotVoted } from "../components/NotVoted.tsx";
import { RollImportCard } from "../components/RollImport.tsx";
import { localeOf } from "./_locale.ts";
import { Hono } from "hono";
import type { Context } from "hono";
import { Island } from "../runtime/Island.tsx";
import { renderPage } from "../components/Layout.tsx";
import AdminPanel, { RegisterTable } from "../islands/AdminPanel.tsx";
import { fillNodes } from "../components/fill_nodes.tsx";
import { boardWords } from "../components/board_words.ts";
import { panelWords } from "../components/admin_words.ts";
import { adminSay, adminWords, translate } from "../lib/i18n/catalogue.ts";
import type { Locale } from "../lib/i18n/format.ts";
import AuditList from "../islands/AuditList.tsx";
import { AUDIT_WORDS_HI } from "../lib/i18n/admin_hi.ts";
import { auditView } from "../lib/admin/audit_view.ts";
import type { AdminAuth } from "../lib/admin/admin_auth.ts";
import { type AuditTrail, closeDetail } from "../lib/admin/audit_log.ts";
import type { FailedSignIns } from "../lib/admin/failed_sign_ins.ts";
import type { SessionSockets } from "../lib/admin/session_sockets.ts";
import type { Timers } from "../lib/timers.ts";
import type { BuildManifest } from "../runtime/manifest.ts";
import { VoteError, voteError } from "../lib/election/errors.ts";
import { type ElectionStore, parseRegisterCursor } from "../lib/store/store.ts";
import {
  clientAddress,
  deviceOf,
  endSession,
  hasSession,
  rememberDevice,
  requireAdmin,
  startSession,
} from "./_admin_session.ts";
import { statusOf } from "./_errors.ts";
import { electionDay } from "./admin_day.ts";

/** What the admin pages need. */
export interface AdminDeps {
  store: ElectionStore;
  auth: AdminAuth;
  audit: AuditTrail;
  assets: BuildManifest | null;
  /** Where failed sign-ins are counted for the audit log. */
  failedSignIns: FailedSignIns;
  /** The open admin sockets, closed when their session ends. */
  sessionSockets: SessionSockets;
  /** The election's time zone, for every time the panel shows. */
  timeZone: string;
  /** How long a throttled guess waits for its answer, at most (`THROTTLED_HOLD_MS`), on `timers`. */
  throttledHold: { ms: number; timers: Timers };
  /** Whether the roll can be imported from the panel (`admin_roll_import.tsx`). */
  rollImport?: boolean;
}

/**
 * How long a throttled sign-in guess is held before its 429, at most (the
 * wait it is told, if shorter). A client flooding guesses then gets one
 * answer a second per connection instead of thousands, so the flood costs
 * the votes beside it little (bench/sign_in_flood.ts); its connections are
 * capped per client by the server. Nobody the throttle admits waits.
 */
export const THROTTLED_HOLD_MS = 1_000;

const PAGE = {
  styles: ["app", "admin"],
  bodyClass: "page-admin",
  path: "/admin",
  adminNav: true,
};

function LoginForm({ message, locale }: { message?: string; locale: Locale }) {
  const say = adminWords(locale);
  return (
    <section class="card admin-login" aria-labelledby="login-title">
      <h1 id="login-title">{say.signin_heading}</h1>
      <p class="hint">
        {fillNodes(say.signin_hint, {
          file: <code>--admin-password-file</code>,
          env: <code>ADMIN_PASSWORD</code>,
          command: <code>deno task admin-password</code>,
        })}
      </p>
      <form method="post" action="/admin/login">
        <label for="password">{say.signin_password}</label>
        <input
          id="password"
          name="password"
          type="password"
          autocomplete="current-password"
          required
        />
        {message && <p class="field-error" role="alert">{message}</p>}
        <button type="submit">{say.signin_button}</button>
      </form>
    </section>
  );
}

function waitText(locale: Locale, seconds: number): string {
  return seconds < 120
    ? adminSay(locale, "wait_seconds", { n: seconds })
    : adminSay(locale, "wait_minutes", { n: Math.ceil(seconds / 60) });
}

function isFormPost(c: Context): boolean {
  const type = c.req.header("content-type") ?? "";
  return type.startsWith("application/x-www-form-urlencoded") ||
    type.startsWith("multipart/form-data");
}

/** The admin routes (mounted at `/admin`). */
export function admin(deps: AdminDeps): Hono {
  const { store, auth, audit, assets, timeZone, failedSignIns, sessionSockets } = deps;
  const { throttledHold } = deps;
  const hold = (ms: number) =>
    ms > 0 ? new Promise<void>((done) => throttledHold.timers.setTimeout(done, ms)) : undefined;

  async function panel(c: Context, closeError?: string) {
    const locale = localeOf(c);
    const say = adminWords(locale);
    const search = c.req.query("search")?.trim() ?? "";
    const after = parseRegisterCursor(c.req.query("after"));
    const latest = await store.turnout({ newestFirst: true, limit: 50 });
    const found = search || after ? await store.turnout({ search, after, limit: 50 }) : null;
    const last = found?.at(-1);
    const pending = c.req.query("pending")?.trim() ?? "";
    const notVoted = store.roll
      ? await store.notVoted({
        search: pending,
        afterVoterId: c.req.query("pendingAfter") || undefined,
        limit: 50,
      })
      : null;
    c.header("Cache-Control", "no-store");
    return renderPage(
      <>
        <div class="admin-head">
          <h1>{say.admin_heading}</h1>
          <form method="post" action="/admin/logout">
            <button type="submit" class="secondary">{say.sign_out}</button>
          </form>
          <form method="post" action="/admin/logout-everywhere">
            <button type="submit" class="secondary">{say.sign_out_everywhere}</button>
          </form>
        </div>
        <Island
          of={AdminPanel}
          props={{
            tally: store.snapshot(),
            latest,
            closeError: closeError ?? "",
            timeZone,
            rollVoters: store.roll?.voters ?? null,
            locale,
            words: panelWords(locale, { roll: store.roll !== null }),
            board: boardWords(locale),
          }}
        />
        <section class="card" aria-labelledby="search-title">
          <h2 id="search-title">{say.search_title}</h2>
          <form method="get" action="/admin" class="register-search" role="search">
            <label for="search">{say.search_label}</label>
            <input id="search" name="search" type="search" value={search} />
            <button type="submit">{say.search_button}</button>
          </form>
          {found && (
            <RegisterTable
              entries={found}
              words={say}
              label={say.search_title}
              empty={after ? say.search_no_more : adminSay(locale, "search_none", { search })}
            />
          )}
          {found && found.length === 50 && (
            <p>
              <a
                href={`/admin?${new URLSearchParams({
                  search,
                  after: `${last!.step}:${last!.voterId}`,
                })}`}
              >
                {adminSay(locale, "next_page", { count: 50 })}
              </a>
            </p>
          )}
        </section>
        {deps.rollImport && !store.roll && store.snapshot().status === "open" && (
          <RollImportCard locale={localeOf(c)} />
        )}
        {notVoted && store.roll && (
          <NotVoted
            search={pending}
            voters={notVoted}
            rollVoters={store.roll.voters}
            codes={store.roll.codes}
            locale={locale}
          />
        )}
        <p class="hint">
          {fillNodes(say.present_hint, { link: <a href="/present">{say.present_link}</a> })}
        </p>
        <section class="card" aria-labelledby="export-title">
          <h2 id="export-title">{say.exports_title}</h2>
          <ul class="exports">
            <li>
              <a href="/admin/export/result.csv" download>{say.export_result_csv}</a>
            </li>
            <li>
              <a href="/admin/export/result.json" download>{say.export_result_json}</a>
            </li>
            <li>
              <a href="/admin/export/summary.csv" download>{say.export_summary}</a>
            </li>
            <li>
              <a href="/admin/export/turnout.csv" download>{say.export_turnout}</a>
            </li>
            {store.roll && (
              <li>
                <a href="/admin/export/not-voted.csv" download>{say.export_not_voted}</a>
              </li>
            )}
          </ul>
        </section>
        <section class="card" aria-labelledby="audit-title">
          <h2 id="audit-title">{say.audit_title}</h2>
          <Island
            of={AuditList}
            props={{
              ...auditView(audit),
              timeZone,
              locale,
              words: {
                summary: say.audit_summary,
                entry: say.audit_entry,
                ...(locale === "hi" ? AUDIT_WORDS_HI : {}),
              },
            }}
          />
        </section>
      </>,
      { ...PAGE, title: say.admin_title, assets, locale },
    );
  }

  // Rendered once per language and wait ("3 second(s)", "7 minute(s)": a few hundred at most).
  const throttledPages = new Map<string, string>();
  function throttledPage(locale: Locale, seconds: number) {
    const wait = waitText(locale, seconds);
    let page = throttledPages.get(`${locale} ${wait}`);
    if (!page) {
      page = loginPage(locale, adminSay(locale, "signin_locked", { wait }));
      throttledPages.set(`${locale} ${wait}`, page);
    }
    return page;
  }

  function loginPage(locale: Locale, message?: string) {
    return renderPage(<LoginForm message={message} locale={locale} />, {
      ...PAGE,
      title: adminSay(locale, "signin_title"),
      assets,
      locale,
    });
  }

  /** A refusal of the close in the administrator's language (the election's codes are translated). */
  function closeMessage(c: Context, e: VoteError): string {
    return e.message === voteError(e.code).message ? translate(localeOf(c), e.code) : e.message;
  }

  return new Hono()
    .route("/", electionDay({ store, auth, audit, panel: (c, e) => panel(c, closeMessage(c, e)) }))
    .get(
      "/",
      async (c) =>
        await hasSession(c, auth) ? c.html(await panel(c)) : c.html(loginPage(localeOf(c))),
    )
    // For the panel, when its socket closed: is the session still live?
    .get("/session", async (c) => {
      c.header("Cache-Control", "no-store");
      return await hasSession(c, auth)
        ? c.json({ signedIn: true })
        : c.json({ signedIn: false }, 401);
    })
    .post("/login", async (c) => {
      const address = clientAddress(c);
      // The body is read only once the throttle admits the guess: a flood of
      // throttled guesses costs little more than routing.
      const result = await auth.login(
        async () => {
          const form = await c.req.parseBody().catch(() => ({} as Record<string, unknown>));
          return typeof form.password === "string" ? form.password : "";
        },
        address,
        deviceOf(c),
      );
      if (result.ok) {
        audit.append({ actor: "admin", address, event: "login" });
        startSession(c, result.session, result.expires);
        rememberDevice(c, result.device, result.deviceExpires);
        return c.redirect("/admin", 303);
      }
      failedSignIns.record(address, result.reason);
      if (result.reason === "throttled") {
        await hold(Math.min(result.retryAfterMs, throttledHold.ms));
        const seconds = Math.ceil(result.retryAfterMs / 1000);
        c.header("Retry-After", String(seconds));
        return c.html(throttledPage(localeOf(c), seconds), 429);
      }
      const locale = localeOf(c);
      return c.html(loginPage(locale, adminSay(locale, "signin_wrong")), 401);
    })
    .post("/logout", requireAdmin(auth), async (c) => {
      audit.append({ actor: "admin", address: clientAddress(c), event: "logout" });
      await endSession(c, auth, sessionSockets);
      return c.redirect("/admin", 303);
    })
    .post("/logout-everywhere", requireAdmin(auth), async (c) => {
      audit.append({ actor: "admin", address: clientAddress(c), event: "logout-everywhere" });
      await auth.logoutEverywhere();
      sessionSockets.endAll(); // here at once; other instances within their next check
      await endSession(c, auth, sessionSockets);
      return c.redirect("/admin", 303);
    })
    .post("/close", requireAdmin(auth), async (c) => {
      const form = isFormPost(c);
      // A body that is not a form (a broken multipart one) leaves the box unticked.
      const confirmed = form &&
        (await c.req.parseBody().catch(() => ({} as Record<string, unknown>))).confirm === "yes";
      if (form && !confirmed) {
        return c.html(await panel(c, adminSay(localeOf(c), "close_tick")), 400);
      }
      try {
        const tally = await store.close("admin");
        audit.append({
          actor: "admin",
          address: clientAddress(c),
          event: "close",
          detail: await closeDetail(store, "admin"),
        });
        return form ? c.redirect("/admin", 303) : c.json(tally);
      } catch (e) {
        if (!(e instanceof VoteError) || !form) throw e;
        return c.html(await panel(c, closeMessage(c, e)), statusOf(e));
      }
    });
}
