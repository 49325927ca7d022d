/**
 * Importing the electoral roll from the admin panel (behind the session):
 * `GET /admin/roll/import` (the form), `POST /admin/roll/upload` (a
 * multipart form, streamed to disk within its own size limit; answers the
 * preview), `POST /admin/roll/confirm`, `POST /admin/roll/discard`, and
 * `GET /admin/roll/download/:id` (codes and slips, once each).
 */
import { type Context, Hono } from "hono";
import { renderPage } from "../components/Layout.tsx";
import {
  RollDoneView,
  RollImportForm,
  RollMessage,
  RollPreviewView,
  sizeText,
} from "../components/RollImport.tsx";
import type { AuditTrail } from "../lib/admin/audit_log.ts";
import type { AdminAuth } from "../lib/admin/admin_auth.ts";
import { RollUploadError } from "../lib/admin/roll_upload_stream.ts";
import { RollUploadGone, type RollUploads } from "../lib/admin/roll_uploads.ts";
import { RollImportRefused, type RollRefusal } from "../lib/election/roll.ts";
import type { ElectionStore } from "../lib/store/store.ts";
import type { BuildManifest } from "../runtime/manifest.ts";
import { clientAddress, requireAdmin } from "./_admin_session.ts";
import { localeOf } from "./_locale.ts";
import { rollText, type RollWordKey } from "../lib/i18n/roll_words.ts";

/** The upload's address: the app's 16 KiB body limit leaves it to this route's own. */
export const ROLL_UPLOAD_PATH = "/admin/roll/upload";

/**
 * How long the guarded server waits for a whole roll upload: 30 s plus the
 * largest file at 1 Mbit/s (64 MiB: about 9½ minutes), where every other
 * request has 30 s. Only a signed-in administrator's upload is read at all;
 * any other is answered at once and its connection cut soon after.
 */
export function rollUploadTimeouts(limitMiB: number): ReadonlyMap<string, number> {
  return new Map([[
    `POST ${ROLL_UPLOAD_PATH}`,
    30_000 + Math.ceil(limitMiB * 1024 * 1024 * 8 / 1000),
  ]]);
}

/** What the import needs. */
export interface AdminRollImportDeps {
  store: ElectionStore;
  auth: AdminAuth;
  audit: AuditTrail;
  assets: BuildManifest | null;
  uploads: RollUploads;
  /** The booth address printed on slips and in their QR codes, for this request. */
  boothUrl: (c: Context) => string;
  /** Takes the new codes' key, before the roll that needs it is committed. */
  useKey: (key: Uint8Array) => void;
}

/** Why the running election would refuse a roll now, as far as this instance knows. */
function refusal(store: ElectionStore): RollRefusal | null {
  if (store.roll) return "roll_stored";
  const tally = store.snapshot();
  if (tally.status === "closed") return "voting_closed";
  return tally.total !== null && tally.total > 0 ? "votes_cast" : null;
}

/** The roll import's routes (mounted at `/admin/roll`). */
export function adminRollImport(deps: AdminRollImportDeps): Hono {
  const { store, auth, audit, assets, uploads } = deps;
  const page = (c: Context, title: RollWordKey) => ({
    styles: ["app", "admin"],
    bodyClass: "page-admin",
    path: "/admin",
    adminNav: true,
    locale: localeOf(c),
    title: rollText(localeOf(c), title),
    assets,
  });
  function refused(c: Context, reason: RollRefusal) {
    const locale = localeOf(c);
    c.header("Cache-Control", "no-store");
    return c.html(
      renderPage(
        <RollMessage
          locale={locale}
          title="roll_import_refused_title"
          message={`roll_refused_${reason}`}
        />,
        { ...page(c, "roll_import_refused_title"), hasErrors: true },
      ),
      409,
    );
  }

  return new Hono()
    .use(requireAdmin(auth))
    .get("/import", (c) => {
      const why = refusal(store);
      if (why) return refused(c, why);
      c.header("Cache-Control", "no-store");
      return c.html(renderPage(
        <RollImportForm locale={localeOf(c)} maxBytes={uploads.maxBytes} />,
        page(c, "roll_import_title"),
      ));
    })
    .post("/upload", async (c) => {
      const locale = localeOf(c);
      const why = refusal(store);
      if (why) {
        await c.req.raw.body?.cancel();
        return refused(c, why);
      }
      c.header("Cache-Control", "no-store");
      const length = Number(c.req.header("content-length") ?? 0);
      try {
        // The form's fields and boundaries take a few hundred bytes besides the file.
        if (length > uploads.maxBytes + 64 * 1024) throw new RollUploadError("too_large");
        const body = c.req.raw.body ?? new Blob([]).stream();
        const preview = await uploads.upload(body, c.req.header("content-type") ?? "");
        return c.html(
          renderPage(<RollPreviewView locale={locale} preview={preview} />, {
            ...page(c, preview.ok ? "roll_preview_title" : "roll_problems_title"),
            hasErrors: !preview.ok,
          }),
          preview.ok ? 200 : 422,
        );
      } catch (e) {
        if (!(e instanceof RollUploadError)) throw e;
        await c.req.raw.body?.cancel().catch(() => {});
        const status = e.reason === "too_large" ? 413 : 400;
        if (status === 413) c.header("Connection", "close");
        return c.html(
          renderPage(
            <RollMessage
              locale={locale}
              title="roll_import_title"
              message={`roll_upload_${e.reason}`}
              params={{ size: sizeText(locale, uploads.maxBytes) }}
            />,
            { ...page(c, "roll_import_title"), hasErrors: true },
          ),
          status,
        );
      }
    })
    .post("/confirm", async (c) => {
      const locale = localeOf(c);
      const form = await c.req.parseBody().catch(() => ({} as Record<string, unknown>));
      const token = typeof form.token === "string" ? form.token : "";
      c.header("Cache-Control", "no-store");
      try {
        const { info, downloads } = await uploads.confirm(token, store, {
          boothUrl: deps.boothUrl(c),
          title: "Matdaan",
          useKey: deps.useKey,
        });
        audit.append({
          actor: "admin",
          address: clientAddress(c),
          event: "roll-import",
          detail: { voters: info.voters, codes: info.codes, fingerprint: info.fingerprint },
        });
        return c.html(renderPage(
          <RollDoneView locale={locale} voters={info.voters} downloads={downloads} />,
          page(c, "roll_done_title"),
        ));
      } catch (e) {
        if (e instanceof RollImportRefused) {
          audit.append({
            actor: "admin",
            address: clientAddress(c),
            event: "roll-import-refused",
            detail: { reason: e.reason },
          });
          return refused(c, e.reason);
        }
        if (!(e instanceof RollUploadGone)) throw e;
        return c.html(
          renderPage(
            <RollMessage locale={locale} title="roll_import_title" message="roll_gone" />,
            { ...page(c, "roll_import_title"), hasErrors: true },
          ),
          409,
        );
      }
    })
    .post("/discard", async (c) => {
      const form = await c.req.parseBody().catch(() => ({} as Record<string, unknown>));
      await uploads.discard(typeof form.token === "string" ? form.token : "");
      return c.redirect("/admin", 303);
    })
    .get("/download/:id", async (c) => {
      c.header("Cache-Control", "no-store");
      const download = await uploads.take(c.req.param("id"));
      if (!download) {
        return c.html(
          renderPage(
            <RollMessage
              locale={localeOf(c)}
              title="roll_import_title"
              message="roll_download_gone"
            />,
            { ...page(c, "roll_import_title"), hasErrors: true },
          ),
          404,
        );
      }
      audit.append({
        actor: "admin",
        address: clientAddress(c),
        event: "roll-download",
        detail: { file: download.kind },
      });
      c.header("Content-Type", download.type);
      c.header("Content-Disposition", `attachment; filename="${download.name}"`);
      return c.body(download.body);
    });
}
