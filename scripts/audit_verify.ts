/**
 * `deno task audit-verify [--db FILE]`: checks the audit log's hash chain.
 * Exits 0 when intact, 1 when an entry was edited or deleted, 2 for a bad command line.
 */
import { parseArgs } from "node:util";
import { auditPathFor, verifyAuditLog } from "../lib/admin/audit_log.ts";

let db = "data/election.db";
try {
  db = parseArgs({ args: Deno.args, options: { db: { type: "string" } } }).values.db ?? db;
} catch (e) {
  console.error(`audit-verify: ${(e as Error).message}`);
  Deno.exit(2);
}
const path = auditPathFor(db);
try {
  Deno.statSync(path);
} catch {
  console.error(`audit-verify: there is no audit log at ${path}.`);
  Deno.exit(2);
}
const verdict = verifyAuditLog(path);
if (verdict.ok) {
  console.log(`Audit log ${path} is intact: ${verdict.count} entries, head ${verdict.head}.`);
} else {
  console.error(`Audit log ${path} has been tampered with: ${verdict.problem}.`);
  Deno.exit(1);
}
