/** The command line: `deno task start [options]`. */
import { parseArgs } from "node:util";
import { resolveTimeZone } from "../election/local_time.ts";

/** The options the server runs with. */
export interface CliOptions {
  /** Votes after which voting closes; undefined means "as stored, or none". */
  limit?: number;
  /** The TCP port to listen on; 0 picks a free one. */
  port: number;
  /** The address to listen on; `0.0.0.0` is every IPv4 interface. */
  host: string;
  /** The SQLite database file. */
  db: string;
  /** A JSON file listing the parties; the default four without it. */
  partiesFile?: string;
  /** A PostgreSQL URL: use PostgreSQL instead of the SQLite file. */
  databaseUrl?: string;
  /** Connections in the PostgreSQL pool. */
  poolSize: number;
  /** A file whose first line is the administrator's password. */
  adminPasswordFile?: string;
  /** PEM certificate and key files: serve HTTPS and WSS. */
  tls?: { cert: string; key: string };
  /** The election's time zone (IANA name) for every time shown; the machine's by default. */
  timeZone: string;
  /** Set the existing database aside (renamed, never deleted) and start afresh. */
  newElection: boolean;
  /** Print the usage and exit. */
  help: boolean;
}

/** A command line that cannot be used; the message says what was wrong. */
export class CliError extends Error {
  /**
   * Makes the error.
   *
   * @param message What was wrong with the command line, in a sentence.
   */
  constructor(message: string) {
    super(message);
    this.name = "CliError";
  }
}

/** The text `--help` prints. */
export const USAGE = `Matdaan: a live online voting server.

Usage: deno task start [options]

Options:
  --limit N          close voting by itself after exactly N votes (default: no limit)
  --port PORT        port to listen on (default 8000)
  --host HOST        address to listen on (default 0.0.0.0: every interface)
  --db FILE          SQLite database file (default data/election.db)
  --database-url URL use PostgreSQL at URL instead of SQLite (or env DATABASE_URL),
                     e.g. postgres://user@host:5432/matdaan; several instances may share it
  --pool-size N      PostgreSQL connections per instance (default 10)
  --parties FILE     JSON list of parties: [{"id","name","color","logo"}, ...]
                     (default: BJP, Congress, AAP, NOTA)
  --admin-password-file FILE
                     the administrator's password (first line of FILE); else
                     ADMIN_PASSWORD, else a random one printed at start
  --cert FILE --key FILE
                     serve HTTPS and WSS with this PEM certificate and key
  --timezone ZONE    the election's time zone for the times shown, e.g. Asia/Kolkata
                     (default: the machine's)
  --new-election     set the existing database aside (renamed, never deleted)
                     and start a new election
  --help             show this help

Starting against an existing database resumes its election.`;

const OPTIONS = {
  limit: { type: "string" },
  port: { type: "string" },
  host: { type: "string" },
  db: { type: "string" },
  parties: { type: "string" },
  "database-url": { type: "string" },
  "pool-size": { type: "string" },
  "admin-password-file": { type: "string" },
  cert: { type: "string" },
  key: { type: "string" },
  timezone: { type: "string" },
  "new-election": { type: "boolean" },
  help: { type: "boolean", short: "h" },
} as const;

/**
 * Writes `--flag value` as `--flag=value` for flags that take a value, so a
 * value such as `-3` reaches the range check instead of looking like a flag.
 */
function joinValues(args: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const name = args[i].startsWith("--") ? args[i].slice(2) : "";
    const option = OPTIONS[name as keyof typeof OPTIONS];
    if (option?.type === "string" && i + 1 < args.length) out.push(`${args[i]}=${args[++i]}`);
    else out.push(args[i]);
  }
  return out;
}

function wholeNumber(flag: string, value: string, min: number, max: number): number {
  if (!/^\d+$/.test(value) || Number(value) < min || Number(value) > max) {
    throw new CliError(`${flag} must be a whole number from ${min} to ${max}, not "${value}".`);
  }
  return Number(value);
}

/**
 * Parses the command line.
 *
 * @param args The arguments after the script name.
 * @returns The options, with defaults filled in.
 * @throws {CliError} For an unknown flag, a missing value or a bad number.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { CliError, parseCli } from "./cli.ts";
 * assert.equal(parseCli(["--limit", "100"]).limit, 100);
 * assert.equal(parseCli([]).port, 8000);
 * assert.throws(() => parseCli(["--limit", "ten"]), CliError);
 * assert.equal(parseCli(["--timezone", "Asia/Kolkata"]).timeZone, "Asia/Kolkata");
 * assert.throws(() => parseCli(["--timezone", "Asia/Nowhere"]), /--timezone/);
 * ```
 */
export function parseCli(args: string[]): CliOptions {
  let parsed;
  try {
    parsed = parseArgs({
      args: joinValues(args),
      strict: true,
      allowPositionals: false,
      options: OPTIONS,
    });
  } catch (e) {
    // node:util's messages name the flag; drop its trailing advice about "--".
    throw new CliError((e as Error).message.replace(/\. To specify a positional.*$/s, "."));
  }
  const v = parsed.values;
  for (
    const flag of [
      "db",
      "host",
      "parties",
      "database-url",
      "admin-password-file",
      "timezone",
    ] as const
  ) {
    if (v[flag] !== undefined && v[flag].trim() === "") {
      throw new CliError(`--${flag} needs a value.`);
    }
  }
  return {
    limit: v.limit === undefined ? undefined : wholeNumber("--limit", v.limit, 1, 1e9),
    port: v.port === undefined ? 8000 : wholeNumber("--port", v.port, 0, 65535),
    host: v.host ?? "0.0.0.0",
    db: v.db ?? "data/election.db",
    partiesFile: v.parties,
    databaseUrl: v["database-url"] ?? (Deno.env.get("DATABASE_URL") || undefined),
    poolSize: v["pool-size"] === undefined
      ? 10
      : wholeNumber("--pool-size", v["pool-size"], 1, 1000),
    adminPasswordFile: v["admin-password-file"],
    tls: tlsFiles(v.cert, v.key),
    timeZone: timeZone(v.timezone),
    newElection: v["new-election"] ?? false,
    help: v.help ?? false,
  };
}

function tlsFiles(cert: string | undefined, key: string | undefined) {
  if (cert === undefined && key === undefined) return undefined;
  if (!cert || !key) {
    throw new CliError("--cert and --key go together: give both files, or neither.");
  }
  return { cert, key };
}

function timeZone(name: string | undefined): string {
  try {
    return resolveTimeZone(name);
  } catch {
    throw new CliError(`--timezone must be a time zone such as Asia/Kolkata, not "${name}".`);
  }
}
