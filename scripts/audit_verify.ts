/**
 * `deno task audit-verify [--db FILE | --database-url URL]`: checks the audit
 * log's keyed chain (the file beside a SQLite election, or the chain in a
 * PostgreSQL election's database). Exits 0 when intact, 1 when an entry was
 * edited, deleted or re-chained, 2 for a bad command line.
 */
import { existsSync } from "node:fs";
import { auditPathFor, type AuditVerdict, verifyAuditLog } from "../lib/admin/audit_log.ts";
import { verifyPgAuditLog } from "../lib/admin/pg_audit_log.ts";
import { auditKey } from "../lib/admin/audit_key.ts";
import { storeArgs } from "./_store_args.ts";

const { db, url } = storeArgs("audit-verify");
const where = url ? "in the PostgreSQL database" : auditPathFor(db);
if (!url && !existsSync(where)) {
  console.error(`audit-verify: there is no audit log at ${where}.`);
  Deno.exit(2);
}
let verdict: AuditVerdict;
try {
  verdict = url ? await verifyPgAuditLog(url, auditKey()) : verifyAuditLog(where);
} catch (e) {
  console.error(`audit-verify: cannot read the audit log ${where}: ${(e as Error).message}`);
  Deno.exit(1);
}
if (verdict.ok) {
  console.log(`Audit log ${where} is intact: ${verdict.count} entries, head ${verdict.head}.`);
} else {
  console.error(`Audit log ${where} has been tampered with: ${verdict.problem}.`);
  Deno.exit(1);
}
