/**
 * The page chrome shared by every page (booth, results, admin): document
 * head, style sheets, the scripts of the islands the page uses, the site
 * header and footer. `renderPage()` is what routes call. Which island scripts
 * a page loads is the islands runtime's business (`runtime/page.tsx`).
 */
import type { ComponentChildren } from "preact";
import { renderToString } from "preact-render-to-string";
import type { BuildManifest } from "../runtime/manifest.ts";
import { islandScripts, renderContent } from "../runtime/page.tsx";
import { adminSay, translate } from "../lib/i18n/catalogue.ts";
import type { Locale } from "../lib/i18n/format.ts";

/** How a page is rendered. */
export interface PageOptions {
  /** The page's own title; " · Matdaan" is added. */
  title: string;
  /** The current build (null renders pages without scripts or built styles, as in unit tests). */
  assets: BuildManifest | null;
  /** Style sheets from `static/css/` by name (default `["app"]`). */
  styles?: string[];
  /** Further style sheet URLs served by the app (e.g. `/parties.css`). */
  stylesheets?: string[];
  /** A class on `<body>` for page-specific styling, e.g. `"page-booth"`. */
  bodyClass?: string;
  /**
   * The current path, to mark the active link in the header and to switch
   * language on; it may carry a query the switch keeps (`/check?code=…`).
   */
  path?: string;
  /** A query the language switch keeps (`"kiosk"`: a shared booth stays one in the other language). */
  keepQuery?: string;
  /** The page's language (default English). */
  locale?: Locale;
  /** Show the administrator's link (only on the administrator's pages; voters never see it). */
  adminNav?: boolean;
  /** The page reports errors: its title starts with "Error:" so screen readers say so first. */
  hasErrors?: boolean;
  /** Go to this address after `seconds` (a meta refresh, so it works without JavaScript). */
  refresh?: { seconds: number; url: string };
  /** Leave out the site header and footer (the projector view fills the screen). */
  bare?: boolean;
}

const NAV = [
  { href: "/", label: "nav_vote" },
  { href: "/results", label: "nav_results" },
  { href: "/check", label: "nav_check" },
] as const;

/** The other language's name, written in itself. */
const LANGUAGE_NAMES: Record<Locale, string> = { en: "English", hi: "हिन्दी" };

function LanguageSwitch(
  { path, keepQuery, locale }: { path?: string; keepQuery?: string; locale: Locale },
) {
  const other: Locale = locale === "en" ? "hi" : "en";
  return (
    <a
      class="language-switch"
      href={`${path ?? "/"}?${keepQuery ? `${keepQuery}&` : ""}lang=${other}`}
      hreflang={other}
      lang={other}
      data-language-switch
    >
      {LANGUAGE_NAMES[other]}
    </a>
  );
}

function Header(
  { path, keepQuery, locale, adminNav }: {
    path?: string;
    keepQuery?: string;
    locale: Locale;
    adminNav?: boolean;
  },
) {
  const nav = adminNav ? [...NAV, { href: "/admin", label: null }] : NAV;
  return (
    <header class="site-header">
      <a class="brand" href="/">
        <svg class="brand-mark" viewBox="0 0 32 32" aria-hidden="true" width="32" height="32">
          <rect x="4" y="10" width="24" height="18" rx="3" />
          <path d="M10 10 L16 3 L22 10" />
          <path d="M11 17 l4 4 l7 -8" class="tick" />
        </svg>
        <span>{translate(locale, "brand")}</span>
      </a>
      {/* Before the navigation, where it is drawn: the keyboard meets it in the order seen. */}
      <LanguageSwitch path={path} keepQuery={keepQuery} locale={locale} />
      <nav aria-label={translate(locale, "nav_label")}>
        <ul>
          {nav.map((link) => (
            <li key={link.href}>
              <a
                href={link.href}
                aria-current={path?.split("?")[0] === link.href ? "page" : undefined}
              >
                {link.label ? translate(locale, link.label) : adminSay(locale, "admin_nav")}
              </a>
            </li>
          ))}
        </ul>
      </nav>
    </header>
  );
}

/** Props of `Layout`: the already rendered main content and the page options. */
interface LayoutProps extends PageOptions {
  /** The main content's HTML. */
  body: string;
  /** The module scripts of the islands in it. */
  scripts: string[];
}

function Layout(
  {
    title,
    assets,
    styles = ["app"],
    stylesheets = [],
    bodyClass,
    path,
    keepQuery,
    body,
    scripts,
    locale = "en",
    adminNav,
    hasErrors,
    refresh,
    bare,
  }: LayoutProps,
) {
  const fullTitle = `${title} · ${translate(locale, "brand")}`;
  return (
    <html lang={locale}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        {refresh && <meta http-equiv="refresh" content={`${refresh.seconds};url=${refresh.url}`} />}
        <title>
          {hasErrors ? translate(locale, "error_title", { title: fullTitle }) : fullTitle}
        </title>
        <link rel="icon" href="/static/favicon.svg" type="image/svg+xml" />
        {["fonts", ...styles].map((name) =>
          assets?.css[name] && <link key={name} rel="stylesheet" href={assets.css[name]} />
        )}
        {stylesheets.map((href) => <link key={href} rel="stylesheet" href={href} />)}
        {scripts.map((src) => <script key={src} type="module" src={src} />)}
      </head>
      <body class={bodyClass}>
        {!bare && <a class="skip-link" href="#main">{translate(locale, "skip_link")}</a>}
        {!bare && <Header path={path} keepQuery={keepQuery} locale={locale} adminNav={adminNav} />}
        {bare && (
          <nav class="bare-language" aria-label={translate(locale, "language_label")}>
            <LanguageSwitch path={path} keepQuery={keepQuery} locale={locale} />
          </nav>
        )}
        <main id="main" dangerouslySetInnerHTML={{ __html: body }} />
        {!bare && (
          <footer class="site-footer">
            <p>{translate(locale, "footer")}</p>
          </footer>
        )}
      </body>
    </html>
  );
}

/**
 * Renders a whole HTML document around `content`, with the scripts of exactly
 * the islands `content` rendered (none when it has no island).
 */
export function renderPage(content: ComponentChildren, options: PageOptions): string {
  const { html, islands } = renderContent(content);
  const scripts = islandScripts(options.assets, islands);
  return "<!DOCTYPE html>" + renderToString(<Layout {...options} body={html} scripts={scripts} />);
}
