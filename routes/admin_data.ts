/** The administrator's data: exports and the live register socket. All behind the session. */
import { Hono } from "hono";
import type { AdminAuth } from "../lib/admin/admin_auth.ts";
import type { AuditTrail } from "../lib/admin/audit_log.ts";
import { csvRow } from "../lib/admin/csv.ts";
import { BOM } from "../lib/admin/result_export.ts";
import { auditView } from "../lib/admin/audit_view.ts";
import { RESULT_FILES, resultFile } from "./_result_files.ts";
import {
  type ElectionStore,
  parseRegisterCursor,
  type RegisterCursor,
} from "../lib/store/store.ts";
import type { ConnectionLimits } from "../lib/server/connection_limits.ts";
import type { TurnoutFeed } from "../lib/live/turnout_feed.ts";
import { clientAddress, requireAdmin, sessionOf } from "./_admin_session.ts";
import type { SessionSockets } from "../lib/admin/session_sockets.ts";
import { acceptSocket } from "./_websocket.ts";

/** What the data routes need. */
export interface AdminDataDeps {
  store: ElectionStore;
  auth: AdminAuth;
  audit: AuditTrail;
  turnoutFeed: TurnoutFeed;
  /** The per-client cap on open sockets. */
  sockets: ConnectionLimits;
  /** The open admin sockets, closed when their session ends. */
  sessionSockets: SessionSockets;
  /** The election's time zone: the exports' times are ISO 8601 with its offset. */
  timeZone: string;
}

/**
 * Streams the whole register as CSV (with a byte-order mark, times with the
 * election's offset), a page at a time, so memory stays flat.
 */
function turnoutCsv(store: ElectionStore): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  let after: RegisterCursor | undefined;
  let started = false;
  return new ReadableStream({
    async pull(controller) {
      if (!started) {
        started = true;
        controller.enqueue(
          encoder.encode(BOM + csvRow(["step", "voter_id", "name", "age", "address"])),
        );
      }
      const page = await store.turnout({ after, limit: 1000 });
      if (page.length === 0) return controller.close();
      after = { step: page.at(-1)!.step, voterId: page.at(-1)!.voterId };
      controller.enqueue(encoder.encode(
        page.map((e) => csvRow([e.step, e.voterId, e.name, e.age, e.address])).join(""),
      ));
    },
  });
}

/** Streams the voters on the roll who have not voted yet as CSV, a page at a time. */
function notVotedCsv(store: ElectionStore): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  let afterVoterId: string | undefined;
  let started = false;
  return new ReadableStream({
    async pull(controller) {
      if (!started) {
        started = true;
        controller.enqueue(encoder.encode(BOM + csvRow(["voter_id", "name", "age", "address"])));
      }
      const page = await store.notVoted({ afterVoterId, limit: 1000 });
      if (page.length === 0) return controller.close();
      afterVoterId = page.at(-1)!.voterId;
      controller.enqueue(encoder.encode(
        page.map((e) => csvRow([e.voterId, e.name, e.age, e.address])).join(""),
      ));
    },
  });
}

/** `/admin/export/*` and `/ws/admin` (mounted at `/`). */
export function adminData(
  { store, auth, audit, turnoutFeed, timeZone, sockets, sessionSockets }: AdminDataDeps,
): Hono {
  const exported = (c: Parameters<typeof clientAddress>[0], what: string) =>
    audit.append({ actor: "admin", address: clientAddress(c), event: "export", detail: { what } });
  const attachment = (name: string) => ({
    "Content-Disposition": `attachment; filename="${name}"`,
  });

  return new Hono()
    .use("/admin/export/*", requireAdmin(auth))
    .get("/admin/audit.json", requireAdmin(auth), (c) => {
      c.header("Cache-Control", "no-store");
      return c.json(auditView(audit));
    })
    .get("/admin/export/:file{result\\.csv|result\\.json|summary\\.csv}", (c) => {
      const file = RESULT_FILES.find((f) => f === c.req.param("file"))!;
      exported(c, file);
      return resultFile(c, file, store.snapshot(), timeZone);
    })
    .get("/admin/export/turnout.csv", (c) => {
      exported(c, "turnout.csv");
      return c.body(turnoutCsv(store), 200, {
        "Content-Type": "text/csv; charset=utf-8",
        ...attachment("turnout.csv"),
      });
    })
    .get("/admin/export/not-voted.csv", (c) => {
      exported(c, "not-voted.csv");
      return c.body(notVotedCsv(store), 200, {
        "Content-Type": "text/csv; charset=utf-8",
        ...attachment("not-voted.csv"),
      });
    })
    .get("/ws/admin", requireAdmin(auth), (c) => {
      const after = parseRegisterCursor(c.req.query("after"));
      const session = sessionOf(c)!; // read now: the request is gone once upgraded
      return acceptSocket(c, sockets, {
        open: (socket) => {
          turnoutFeed.add(socket, after);
          sessionSockets.add(socket, session);
        },
        close: (socket) => {
          turnoutFeed.remove(socket);
          sessionSockets.remove(socket);
        },
      });
    });
}
