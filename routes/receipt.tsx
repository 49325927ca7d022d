/**
 * `GET /receipt/:code` (where the no-JavaScript vote ends, and where the
 * island moves a personal device's receipt) and `GET /check` (a receipt
 * check, HTML without JavaScript). Neither ever shows a party, except the
 * slip right after a vote: the booth sets a one-use `slip` cookie naming the
 * receipt and its party, which the first view of that receipt shows for
 * seven seconds and clears, so a reload, Back, or anyone opening the address
 * later sees the receipt alone.
 */
import { Hono } from "hono";
import type { Context } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import { Island } from "../runtime/Island.tsx";
import { renderPage } from "../components/Layout.tsx";
import { boothWords } from "../components/booth_words.ts";
import { Receipt } from "../components/Receipt.tsx";
import ReceiptActions from "../islands/ReceiptActions.tsx";
import type { BuildManifest } from "../runtime/manifest.ts";
import { readReceipt } from "../lib/election/receipt.ts";
import { type LogoUrls, partyViews } from "../lib/logos/party_views.ts";
import type { ElectionStore } from "../lib/store/store.ts";
import { translate } from "../lib/i18n/catalogue.ts";
import { localeOf } from "./_locale.ts";
import { notFoundPage } from "./not_found.tsx";
import { isKiosk } from "./_kiosk.ts";

/** The cookie that lets the first view of a receipt show its party (the slip). */
export const SLIP_COOKIE = "slip";
/** How long the slip shows before the page reloads as the receipt alone (as the VVPAT). */
const SLIP_SECONDS = 7;

/** On a kiosk, the receipt whose slip is on screen (for `SLIP_SECONDS`). */
const KIOSK_SLIP_COOKIE = "kiosk_slip";
const PAGE = { styles: ["app", "booth"], stylesheets: ["/parties.css"], bodyClass: "page-booth" };

/** What the receipt pages need. */
export interface ReceiptDeps {
  store: ElectionStore;
  assets: BuildManifest | null;
  logos?: LogoUrls;
}

/** The receipt and check routes. */
export function receipts({ store, assets, logos }: ReceiptDeps): Hono {
  const views = {
    en: partyViews(store.parties, logos, "en"),
    hi: partyViews(store.parties, logos, "hi"),
  };

  function slipParty(c: Context, code: string, locale: "en" | "hi") {
    const slip = getCookie(c, SLIP_COOKIE);
    if (!slip) return null;
    deleteCookie(c, SLIP_COOKIE, { path: "/receipt/" });
    const [receipt, party] = slip.split(".");
    return receipt === code ? views[locale].find((p) => p.id === party) ?? null : null;
  }

  return new Hono()
    .get("/receipt/:code", async (c) => {
      const locale = localeOf(c);
      const code = readReceipt(c.req.param("code"));
      c.header("Cache-Control", "no-store");
      if (!code || !(await store.hasReceipt(code))) return c.html(notFoundPage(c, assets), 404);
      const kiosk = isKiosk(c);
      const party = slipParty(c, code, locale);
      // A kiosk shows a receipt only while its voter's slip lasts (a language switched
      // meanwhile keeps it); Back to it afterwards leads to the booth, never to the code.
      if (kiosk) {
        const during = getCookie(c, KIOSK_SLIP_COOKIE) === code;
        if (!party && !during) return c.redirect("/?kiosk", 303);
        if (party) {
          setCookie(c, KIOSK_SLIP_COOKIE, code, {
            path: "/receipt/",
            httpOnly: true,
            sameSite: "Strict",
            maxAge: SLIP_SECONDS,
          });
        }
      }
      const words = boothWords(locale);
      const actions = kiosk ? null : (
        <Island
          of={ReceiptActions}
          props={{
            receipt: code,
            words: { copy: words.copy, copied: words.copied, print: words.print },
          }}
        />
      );
      // A kiosk never keeps a receipt on screen for the next voter, even one reloaded in the other language.
      const refresh = kiosk
        ? { seconds: SLIP_SECONDS, url: "/?kiosk" }
        : party
        ? { seconds: SLIP_SECONDS, url: `/receipt/${code}` }
        : undefined;
      return c.html(renderPage(
        <Receipt
          receipt={code}
          party={party}
          words={words}
          locale={locale}
          kiosk={kiosk && !!party}
          actions={actions}
          asPage
        />,
        {
          ...PAGE,
          title: translate(locale, "receipt_title"),
          assets,
          locale,
          refresh,
          path: `/receipt/${code}`,
          keepQuery: kiosk ? "kiosk" : undefined,
        },
      ));
    })
    .get("/check", async (c) => {
      const locale = localeOf(c);
      const typed = c.req.query("code");
      const code = typed === undefined ? null : readReceipt(typed);
      const counted = code ? await store.hasReceipt(code) : false;
      const t = (key: Parameters<typeof translate>[1], params?: Record<string, string>) =>
        translate(locale, key, params);
      const answer = typed === undefined
        ? null
        : !code
        ? { ok: false, text: t("check_malformed") }
        : counted
        ? { ok: true, text: t("check_counted", { code }) }
        : { ok: false, text: t("check_not_found", { code }) };
      c.header("Cache-Control", "no-store");
      return c.html(
        renderPage(
          <section class="check card" aria-labelledby="check-title">
            <h1 id="check-title">{t("check_title")}</h1>
            <p>{t("check_intro")}</p>
            {answer && (
              <p
                class={answer.ok ? "check-answer counted" : "check-answer field-error"}
                role="status"
                data-counted={String(answer.ok)}
              >
                {answer.text}
              </p>
            )}
            <form method="get" action="/check" class="check-form">
              <div class="field">
                <label for="code">{t("check_label")}</label>
                <p class="hint" id="code-hint">{t("check_hint")}</p>
                <input
                  id="code"
                  name="code"
                  type="text"
                  autocomplete="off"
                  spellcheck={false}
                  value={typed ?? ""}
                  aria-describedby="code-hint"
                  aria-invalid={answer && !answer.ok ? "true" : undefined}
                />
              </div>
              <button type="submit" class="button-primary">{t("check_button")}</button>
            </form>
          </section>,
          {
            ...PAGE,
            title: t("check_title"),
            assets,
            locale,
            path: "/check",
            // Switching language shows the same answer in the other language.
            keepQuery: typed === undefined ? undefined : `code=${encodeURIComponent(typed)}`,
            hasErrors: answer !== null && !answer.ok,
          },
        ),
        answer && !answer.ok && !code ? 400 : 200,
      );
    });
}
