/** `POST /admin/roll/reissue`: a new voting code for one voter who lost theirs (behind the session). */
import { Hono } from "hono";
import { renderPage } from "../components/Layout.tsx";
import type { AuditTrail } from "../lib/admin/audit_log.ts";
import type { AdminAuth } from "../lib/admin/admin_auth.ts";
import { VoteError } from "../lib/election/errors.ts";
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

const PAGE = { styles: ["app", "admin"], bodyClass: "page-admin", path: "/admin" };

/** The roll's admin routes (mounted at `/admin/roll`). */
export function adminRoll({ store, auth, audit, assets, codesKey }: AdminRollDeps): Hono {
  return new Hono().post("/reissue", requireAdmin(auth), async (c) => {
    const form = await c.req.parseBody().catch(() => ({} as Record<string, unknown>));
    const raw = typeof form.voterId === "string" ? form.voterId : "";
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
          <h1 id="reissued-title">New voting code</h1>
          <p>
            The new one-time code for voter ID <strong>{voterId}</strong> is{" "}
            <strong class="code" data-code>{code}</strong>. It is shown only now: hand it to the
            voter. Their old code no longer works.
          </p>
          <p>
            <a href="/admin">Back to the panel</a>
          </p>
        </section>,
        { ...PAGE, title: "New voting code", assets },
      ));
    } catch (e) {
      if (!(e instanceof VoteError)) throw e;
      return c.html(
        renderPage(
          <section class="card" aria-labelledby="reissue-error-title">
            <h1 id="reissue-error-title">No new code</h1>
            <p class="field-error" role="alert">{e.message}</p>
            <p>
              <a href="/admin">Back to the panel</a>
            </p>
          </section>,
          { ...PAGE, title: "No new code", assets },
        ),
        statusOf(e),
      );
    }
  });
}
