/**
 * The answer for an address that is not there: a designed page for browsers,
 * the contract's JSON error for `/api/`, `/ws/` and clients that do not ask
 * for HTML.
 */
import type { Context } from "hono";
import { renderPage } from "../components/Layout.tsx";
import { HttpError } from "./_errors.ts";
import { translate } from "../lib/i18n/catalogue.ts";
import type { BuildManifest } from "../runtime/manifest.ts";
import type { Locale } from "../lib/i18n/format.ts";
import { localeOf } from "./_locale.ts";

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

/** The 404 page's HTML, in the voter's language. */
export function notFoundPage(c: Context, assets: BuildManifest | null): string {
  return problemPage(c, assets, { title: "not_found_title", text: "not_found_text" });
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
  const kiosk = c.req.query("kiosk") !== undefined;
  return problemHtml(locale, assets, { title, text: [translate(locale, text)], error, kiosk });
}

/**
 * A page that says what went wrong, in `locale`, with the ways back (the
 * booth, the results, the receipt check); `error` makes it an error page
 * ("Error: …" in its title, the first paragraph announced).
 */
export function problemHtml(
  locale: Locale,
  assets: BuildManifest | null,
  { title, text, error = false, kiosk = false }: {
    title: Key;
    text: string[];
    error?: boolean;
    kiosk?: boolean;
  },
): string {
  const t = (key: Key) => translate(locale, key);
  return renderPage(
    <section class="not-found card" aria-labelledby="not-found-title">
      <h1 id="not-found-title">{t(title)}</h1>
      {text.map((line, i) => <p key={i} role={error && i === 0 ? "alert" : undefined}>{line}</p>)}
      <ul class="receipt-links">
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

/** `app.notFound`: the page for browsers, the JSON error for everyone else. */
export function notFound(assets: BuildManifest | null) {
  return function notFound(c: Context): Response {
    if (wantsHtml(c)) return c.html(notFoundPage(c, assets), 404);
    throw new HttpError("not_found");
  };
}
