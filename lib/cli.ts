/** The command line: `deno task start [options]`. */
import { parseArgs } from "node:util";

/** The options the server runs with. */
export interface CliOptions {
  /** Votes after which voting closes; undefined means "as stored, or none". */
  limit?: number;
  port: number;
  host: string;
  db: string;
  partiesFile?: string;
  /** A PostgreSQL URL: use PostgreSQL instead of the SQLite file. */
  databaseUrl?: string;
  /** Connections in the PostgreSQL pool. */
  poolSize: number;
  newElection: boolean;
  help: boolean;
}

/** A command line that cannot be used; the message says what was wrong. */
export class CliError extends Error {
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
  --new-election     set the existing database aside (renamed, never deleted)
                     and start a new election
  --help             show this help

Starting against an existing database resumes its election.`;

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
 * import { parseCli } from "./cli.ts";
 * parseCli(["--limit", "100"]).limit; // 100
 * parseCli([]).port; // 8000
 * ```
 */
export function parseCli(args: string[]): CliOptions {
  let parsed;
  try {
    parsed = parseArgs({
      args,
      strict: true,
      allowPositionals: false,
      options: {
        limit: { type: "string" },
        port: { type: "string" },
        host: { type: "string" },
        db: { type: "string" },
        parties: { type: "string" },
        "database-url": { type: "string" },
        "pool-size": { type: "string" },
        "new-election": { type: "boolean" },
        help: { type: "boolean", short: "h" },
      },
    });
  } catch (e) {
    // node:util's messages name the flag; drop its trailing advice about "--".
    throw new CliError((e as Error).message.replace(/\. To specify a positional.*$/s, "."));
  }
  const v = parsed.values;
  for (const flag of ["db", "host", "parties", "database-url"] as const) {
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
    newElection: v["new-election"] ?? false,
    help: v.help ?? false,
  };
}
