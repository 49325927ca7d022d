/** `POST /admin/roll/reissue`: a new voting code for one voter who lost theirs (behind the session). */
import { Hono } from "hono";
import { renderPage } from "../components/Layout.tsx";
import type { AuditTrail } from "../lib/admin/audit_log.ts";
import type { AdminAuth } from "../lib/admin/admin_auth.ts";
import { VoteError, voteError } from "../lib/election/errors.ts";
import { adminWords, translate } from "../lib/i18n/catalogue.ts";
import type { Locale } from "../lib/i18n/format.ts";
import { fillNodes } from "../components/fill_nodes.tsx";
import { localeOf } from "./_locale.ts";
import { reissueCode } from "../lib/election/reissue_code.ts";
import type { ElectionStore } from "../lib/store/store.ts";
import type { BuildManifest } from "../runtime/manifest.ts";
import { clientAddress, requireAdmin } from "./_admin_session.ts";
import { statusOf } from "./_errors.ts";

/** What re-issuing needs. */
export interface AdminRollDeps {
  store: ElectionStore;
  auth: AdminAuth;
  audit: AuditTrail;
  assets: BuildManifest | null;
  /** The codes' key as it is now (a panel import may make one). */
  codesKey: () => Uint8Array | undefined;
}

const PAGE = { styles: ["app", "admin"], bodyClass: "page-admin", path: "/admin", adminNav: true };

/** Why no code was issued, in the administrator's language. */
function refusal(locale: Locale, e: VoteError): string {
  if (e.code === "already_voted") return adminWords(locale).reissue_voted;
  if (e.field === "voterId") return translate(locale, "voterId_epic");
  // `reissueCode`'s one refusal about no field: the election has no codes to re-issue.
  if (e.code === "invalid_input") return adminWords(locale).reissue_no_codes;
  return e.message === voteError(e.code).message ? translate(locale, e.code) : e.message;
}

/** The roll's admin routes (mounted at `/admin/roll`). */
export function adminRoll({ store, auth, audit, assets, codesKey }: AdminRollDeps): Hono {
  return new Hono().post("/reissue", requireAdmin(auth), async (c) => {
    const form = await c.req.parseBody().catch(() => ({} as Record<string, unknown>));
    const raw = typeof form.voterId === "string" ? form.voterId : "";
    const locale = localeOf(c);
    const say = adminWords(locale);
    c.header("Cache-Control", "no-store");
    try {
      const { voterId, code } = await reissueCode(store, codesKey(), raw);
      audit.append({
        actor: "admin",
        address: clientAddress(c),
        event: "reissue-code",
        detail: { voterId },
      });
      return c.html(renderPage(
        <section class="card" aria-labelledby="reissued-title">
          <h1 id="reissued-title">{say.reissue_title}</h1>
          <p>
            {fillNodes(say.reissue_text, {
              voterId: <strong>{voterId}</strong>,
              code: <strong class="code" data-code>{code}</strong>,
            })}
          </p>
          <p>
            <a href="/admin">{say.back_to_panel}</a>
          </p>
        </section>,
        { ...PAGE, title: say.reissue_title, assets, locale },
      ));
    } catch (e) {
      if (!(e instanceof VoteError)) throw e;
      return c.html(
        renderPage(
          <section class="card" aria-labelledby="reissue-error-title">
            <h1 id="reissue-error-title">{say.reissue_failed}</h1>
            <p class="field-error" role="alert">{refusal(locale, e)}</p>
            <p>
              <a href="/admin">{say.back_to_panel}</a>
            </p>
          </section>,
          { ...PAGE, title: say.reissue_failed, assets, locale, hasErrors: true },
        ),
        statusOf(e),
      );
    }
  });
}
