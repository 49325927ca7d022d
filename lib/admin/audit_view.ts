/** The audit log as the admin panel shows it: the head and the newest entries, without details. */
import type { AuditTrail } from "./audit_log.ts";

/**
 * Reads the head and the newest entries (newest first) for the panel.
 *
 * @param audit The open audit log.
 * @param count How many entries (default 20).
 * @returns Plain data for the panel and `/admin/audit.json`.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { AuditLog } from "./audit_log.ts";
 * import { auditView } from "./audit_view.ts";
 * const audit = new AuditLog(":memory:");
 * audit.append({ actor: "system", address: "-", event: "start" });
 * audit.append({ actor: "admin", address: "10.0.0.2", event: "close" });
 * const view = auditView(audit);
 * assert.equal(view.head.seq, 2);
 * assert.deepEqual(view.entries.map((e) => e.event), ["close", "start"]);
 * audit.close();
 * ```
 */
export function auditView(audit: AuditTrail, count = 20): {
  head: { seq: number; hash: string };
  entries: { seq: number; time: string; actor: string; address: string; event: string }[];
} {
  return {
    head: audit.head,
    entries: audit.recent(count).map(({ seq, time, actor, address, event }) => ({
      seq,
      time,
      actor,
      address,
      event,
    })),
  };
}
