/**
 * `deno task admin-password [--db FILE | --database-url URL] [--stdin | --file FILE]`:
 * gives the election a new administrator password, while its server runs or
 * not. Without `--stdin` or `--file` a strong one is generated and printed
 * once; with them, the first line read is the password (at least 12
 * characters). Only its slow hash is stored; every session is signed out and
 * the audit log records the change. Exits 0 on success, 1 when the election
 * cannot be changed, 2 for a bad command line or password.
 */
import { parseArgs } from "node:util";
import postgres from "postgres";
import { randomPassword } from "../lib/admin/admin_auth.ts";
import { sessionsPathFor, type SessionStore, SqliteSessions } from "../lib/admin/admin_sessions.ts";
import { PostgresSessions } from "../lib/admin/postgres_sessions.ts";
import { AuditLog, auditPathFor, type AuditTrail } from "../lib/admin/audit_log.ts";
import { PgAuditLog } from "../lib/admin/pg_audit_log.ts";
import { auditKey } from "../lib/admin/audit_key.ts";
import { hashPassword } from "../lib/admin/password_hash.ts";
import { checkAdminPassword, SecretsError } from "../lib/admin/server_secrets.ts";
import { inspectSqliteElection } from "../lib/store/sqlite/sqlite_roll.ts";
import { inspectPostgresElection } from "../lib/store/postgres/postgres_roll.ts";

const USAGE =
  `Usage: deno task admin-password [--db FILE | --database-url URL] [--stdin | --file FILE]

Gives the election a new administrator password and signs out every session.
  --db FILE          the SQLite election (default data/election.db)
  --database-url URL the PostgreSQL election (or env DATABASE_URL)
  --stdin            take the password from the first line of standard input
  --file FILE        take it from the first line of FILE
Without --stdin or --file a strong one is generated and printed once.`;

function fail(message: string, status: 1 | 2): never {
  console.error(`admin-password: ${message}`);
  if (status === 2) console.error("Run `deno task admin-password --help` for the options.");
  Deno.exit(status);
}

let args: { db?: string; "database-url"?: string; stdin?: boolean; file?: string; help?: boolean };
try {
  args = parseArgs({
    args: Deno.args,
    options: {
      db: { type: "string" },
      "database-url": { type: "string" },
      stdin: { type: "boolean" },
      file: { type: "string" },
      help: { type: "boolean" },
    },
  }).values;
} catch (e) {
  fail((e as Error).message, 2);
}
if (args.help) {
  console.log(USAGE);
  Deno.exit(0);
}
if (args.stdin && args.file !== undefined) fail("give --stdin or --file, not both.", 2);
const url = args["database-url"] ?? Deno.env.get("DATABASE_URL");
const db = args.db ?? "data/election.db";
const where = url ? "the PostgreSQL database" : db;

/** The first line of standard input or of the file, or null to generate one. */
async function chosenPassword(): Promise<string | null> {
  const file = args.file;
  if (!args.stdin && file === undefined) return null;
  let text;
  try {
    text = file === undefined
      ? await new Response(Deno.stdin.readable).text()
      : await Deno.readTextFile(file);
  } catch (e) {
    fail(`cannot read ${file ?? "standard input"}: ${(e as Error).message}`, 2);
  }
  try {
    return checkAdminPassword(text.split(/\r?\n/)[0]);
  } catch (e) {
    if (e instanceof SecretsError) fail(e.message, 2);
    throw e;
  }
}

async function hasElection(): Promise<boolean> {
  if (!url) return inspectSqliteElection(db).election;
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  try {
    return (await inspectPostgresElection(sql)).election;
  } finally {
    await sql.end({ timeout: 5 });
  }
}

const chosen = await chosenPassword();
let key: string;
try {
  key = auditKey();
  if (!(await hasElection())) {
    fail(`there is no election in ${where}; \`deno task start\` creates one.`, 1);
  }
} catch (e) {
  fail(`cannot read the election in ${where}: ${(e as Error).message}`, 1);
}
const password = chosen ?? randomPassword();
const hash = await hashPassword(password);

let sessions: SessionStore | undefined;
let audit: AuditTrail | undefined;
try {
  sessions = url ? await PostgresSessions.open(url) : new SqliteSessions(sessionsPathFor(db));
  audit = url ? await PgAuditLog.open(url, key) : new AuditLog(auditPathFor(db), key);
  await sessions.replacePasswordHash(hash);
  audit.append({
    actor: "admin",
    address: "-",
    event: "admin-password",
    detail: { how: chosen ? "chosen" : "generated", by: "deno task admin-password" },
  });
} catch (e) {
  fail(`cannot change the password in ${where}: ${(e as Error).message}`, 1);
} finally {
  await audit?.close();
  await sessions?.close();
}
if (chosen) console.log(`The administrator's password of the election in ${where} is changed.`);
else console.log(`New administrator password (shown only now): ${password}`);
console.log(
  "Every session was signed out. A server started with ADMIN_PASSWORD or " +
    "--admin-password-file still takes that password instead.",
);
