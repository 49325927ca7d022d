/**
 * The answer for an address that is not there, or that does not take the
 * request's method (405 with `Allow`): a designed page for browsers, the
 * contract's JSON error for `/api/`, `/ws/` and clients that do not ask for
 * HTML.
 */
import type { Context, Hono } from "hono";
import { renderPage } from "../components/Layout.tsx";
import { errorJson, HttpError } from "./_errors.ts";
import { adminWords, translate } from "../lib/i18n/catalogue.ts";
import type { BuildManifest } from "../runtime/manifest.ts";
import type { Locale } from "../lib/i18n/format.ts";
import { localeOf } from "./_locale.ts";
import { isKiosk } from "./_kiosk.ts";

/** Whether the request is a browser's page load (it accepts HTML) outside the API. */
export function wantsHtml(c: Context): boolean {
  return isPageLoad(c.req.path, c.req.header("accept"));
}

/**
 * Whether a request for `path` with this `Accept` header is a browser's page
 * load: it accepts HTML, and is not for `/api/` or `/ws/`.
 */
export function isPageLoad(path: string, accept: string | undefined): boolean {
  if (/^\/(api|ws)(\/|$)/.test(path)) return false;
  return (accept ?? "").includes("text/html");
}

type Key = Parameters<typeof translate>[1];

/** Which of the two answers a page gives. */
type Missing = "not_found" | "method_not_allowed";

const PAGE_WORDS = {
  not_found: { title: "not_found_title", text: "not_found_text" },
  method_not_allowed: { title: "method_not_allowed_title", text: "method_not_allowed_text" },
} as const;

/**
 * The 404 (or 405) page's HTML, in the reader's language; `reason` says why
 * instead of the page's general text.
 */
export function notFoundPage(
  c: Context,
  assets: BuildManifest | null,
  kind: Missing = "not_found",
  reason?: Key,
): string {
  const words = PAGE_WORDS[kind];
  return problemPage(c, assets, reason ? { ...words, text: reason } : words);
}

/**
 * The page for a voter's form post that the HTTP layer refused before the booth saw it (a body
 * over the limit): what happened, in the voter's language, and the way back.
 */
export function refusedFormPage(c: Context, assets: BuildManifest | null): string {
  return problemPage(c, assets, {
    title: "payload_too_large",
    text: "too_large_text",
    error: true,
  });
}

function problemPage(
  c: Context,
  assets: BuildManifest | null,
  { title, text, error = false }: { title: Key; text: Key; error?: boolean },
): string {
  const locale = localeOf(c);
  c.header("Cache-Control", "no-store");
  // A shared booth (`?kiosk`) stays one: its way back and its language switch keep the mark.
  const kiosk = isKiosk(c);
  // Only someone already at an administrator's address is shown the way back to the panel.
  const admin = c.req.path.startsWith("/admin/");
  return problemHtml(locale, assets, {
    title,
    text: [translate(locale, text)],
    error,
    kiosk,
    admin,
  });
}

/**
 * A page that says what went wrong, in `locale`, with the ways back (the
 * booth, the results, the receipt check); `error` makes it an error page
 * ("Error: …" in its title, the first paragraph announced), `admin` a link
 * back to the panel first.
 */
export function problemHtml(
  locale: Locale,
  assets: BuildManifest | null,
  { title, text, error = false, kiosk = false, admin = false }: {
    title: Key;
    text: string[];
    error?: boolean;
    kiosk?: boolean;
    admin?: boolean;
  },
): string {
  const t = (key: Key) => translate(locale, key);
  return renderPage(
    <section class="not-found card" aria-labelledby="not-found-title">
      <h1 id="not-found-title">{t(title)}</h1>
      {text.map((line, i) => <p key={i} role={error && i === 0 ? "alert" : undefined}>{line}</p>)}
      <ul class="receipt-links">
        {admin && (
          <li>
            <a href="/admin">{adminWords(locale).back_to_panel}</a>
          </li>
        )}
        <li>
          <a href={kiosk ? "/?kiosk" : "/"}>{t("not_found_home")}</a>
        </li>
        <li>
          <a href="/results">{t("results_link")}</a>
        </li>
        <li>
          <a href="/check">{t("check_link")}</a>
        </li>
      </ul>
    </section>,
    {
      styles: ["app", "booth"],
      bodyClass: "page-booth",
      title: t(title),
      assets,
      keepQuery: kiosk ? "kiosk" : undefined,
      locale,
      hasErrors: error,
    },
  );
}

/** The methods a route may be registered for; HEAD is served by GET's routes. */
const METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"] as const;

/**
 * The methods some route of `app` takes at `path`, in the order the `Allow`
 * header lists them (HEAD beside GET). Middleware (registered for every
 * method) does not count: it serves no address by itself.
 *
 * @param app The whole app, its routes all added.
 * @param path The request's path.
 * @returns e.g. `["GET", "HEAD"]`, or `[]` when no route has the path.
 */
export function allowedMethods(app: Hono, path: string): string[] {
  return METHODS
    .filter((method) =>
      app.router.match(method, path)[0].some(([[, route]]) => route.method === method)
    )
    .flatMap((method) => method === "GET" ? ["GET", "HEAD"] : [method]);
}

/**
 * `app.notFound`: 405 with `Allow` when the address takes other methods
 * (RFC 9110, section 15.5.6), else 404; the page for browsers, the JSON
 * error for everyone else.
 *
 * @param assets The built style sheets for the page.
 * @param app The app whose routes say which addresses take which methods.
 */
export function notFound(assets: BuildManifest | null, app?: Hono) {
  return function notFound(c: Context): Response {
    const method = c.req.method === "HEAD" ? "GET" : c.req.method;
    const allow = app ? allowedMethods(app, c.req.path) : [];
    const kind: Missing = allow.length > 0 && !allow.includes(method)
      ? "method_not_allowed"
      : "not_found";
    if (kind === "method_not_allowed") c.header("Allow", allow.join(", "));
    if (wantsHtml(c)) {
      return c.html(notFoundPage(c, assets, kind), kind === "not_found" ? 404 : 405);
    }
    return errorJson(c, new HttpError(kind));
  };
}
