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
import { localeOf } from "./_locale.ts";

/** Whether the request is a browser's page load (it accepts HTML) outside the API. */
export function wantsHtml(c: Context): boolean {
  if (/^\/(api|ws)(\/|$)/.test(c.req.path)) return false;
  return (c.req.header("accept") ?? "").includes("text/html");
}

/** The 404 page's HTML, in the voter's language. */
export function notFoundPage(c: Context, assets: BuildManifest | null): string {
  const locale = localeOf(c);
  const t = (key: Parameters<typeof translate>[1]) => translate(locale, key);
  c.header("Cache-Control", "no-store");
  return renderPage(
    <section class="not-found card" aria-labelledby="not-found-title">
      <h1 id="not-found-title">{t("not_found_title")}</h1>
      <p>{t("not_found_text")}</p>
      <ul class="receipt-links">
        <li>
          <a href="/">{t("not_found_home")}</a>
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
      title: t("not_found_title"),
      assets,
      locale,
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
