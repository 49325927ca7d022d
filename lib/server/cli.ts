/** The command line: `deno task start [options]`. */
import { type Locale, LOCALES } from "../i18n/format.ts";
import { parseArgs } from "node:util";
import { RESULTS_MODES, type ResultsMode } from "../election/publication.ts";
import { parseTrustedProxies } from "./trusted_proxy.ts";
import { resolveTimeZone } from "../election/local_time.ts";
import { parseZonedTime } from "../election/zoned_time.ts";

/**
 * The default request points a second per client address: 100 pages, or
 * 1,000 votes, files or health checks, with bursts of three seconds' worth
 * (`request_rate.ts`). A voter opening the booth spends about 30, so a
 * school or a campus behind one address (NAT) can have about 100 voters open
 * it at once and 33 a second after; one client's flood gets 100 rendered
 * pages a second, about a sixth of the main thread.
 */
export const DEFAULT_REQUESTS_PER_CLIENT = 1000;

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
  /** What the public sees while voting is open; undefined means "as stored, or live". */
  results?: ResultsMode;
  /** The fewest votes a published step adds; undefined means "as stored, or 10". */
  step?: number;
  /** When voting opens (epoch ms), or `"admin"`: by the administrator; undefined: at start or as stored. */
  opensAt?: number | "admin";
  /** When voting closes by itself (epoch ms); undefined: as stored, or never. */
  closesAt?: number;
  /** The election's time zone (IANA name) for every time shown; the machine's by default. */
  timeZone: string;
  /** Set the existing database aside (renamed, never deleted) and start afresh. */
  newElection: boolean;
  /** Open connections in all; undefined means "from the open-files limit". */
  maxConnections?: number;
  /** Open connections from one client address; undefined means "an eighth of the cap". */
  connectionsPerClient?: number;
  /** Open WebSockets from one client address; undefined means the app's default (32). */
  socketsPerClient?: number;
  /**
   * Request points one client address may spend a second (a page costs 10,
   * anything else 1); 0: no limit. Default `DEFAULT_REQUESTS_PER_CLIENT`.
   */
  requestsPerClient: number;
  /** Reverse proxies whose forwarding headers are believed. */
  trustProxy: string[];
  /**
   * Which HTTP server: `guarded` (HTTP/1.1 on node:net with connection caps
   * and timeouts, the default) or `deno` (`Deno.serve`, faster, without them: only
   * behind a proxy that enforces them).
   */
  httpServer: "guarded" | "deno";
  /** The electoral roll's CSV file. */
  roll?: string;
  /** Whether each voter on the roll gets a one-time voting code. */
  codes: boolean;
  /** Where to write the codes as CSV at import. */
  codesOut?: string;
  /** Where to write the printable voter slips at import. */
  slips?: string;
  /** The slips' language (default English). */
  slipsLang: Locale;
  /** The booth's public address, printed on slips (default: http://localhost:PORT/). */
  publicUrl?: string;
  /** The largest roll file the admin panel takes, in MiB (default 64). */
  rollUploadLimit: number;
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
                     ADMIN_PASSWORD, else the election's own, made and printed
                     once (deno task admin-password changes it)
  --cert FILE --key FILE
                     serve HTTPS and WSS with this PEM certificate and key
  --results MODE     what the public sees while voting is open: live (party
                     counts in anonymous steps; the default), turnout (only the
                     turnout) or sealed (only open or closed); stored with the election
  --step K           live results are published in steps of at least K votes
                     (default 10); stored with the election
  --opens-at TIME    voting opens by itself at TIME, ISO 8601 with its zone
                     (2026-11-30T07:00+05:30); "admin": when the administrator
                     opens it. Before, a mock poll may run (default: open at start)
  --closes-at TIME   voting closes by itself at TIME (ISO 8601 with its zone)
  --max-connections N
                     open connections in all (default: 3/4 of the open-files limit,
                     at most 10000); past it new connections are closed at once
  --connections-per-client N
                     open connections from one address (default: an eighth of
                     --max-connections, at most 1024)
  --sockets-per-client N
                     open WebSockets (dashboards, admin panels) from one address
                     (default 32)
  --requests-per-client N
                     request points a second from one address, a page counting
                     as 10 and a vote, file or health check as 1, with bursts of
                     three seconds' worth (default 1000; 0: no limit); past it
                     the answer is 429 with Retry-After
  --trust-proxy ADDRS
                     addresses or CIDR ranges of reverse proxies (comma-separated,
                     e.g. 127.0.0.1,10.0.0.0/8,fd00::/8) whose X-Forwarded-For,
                     -Proto and -Host headers are believed
  --http-server guarded|deno
                     guarded (default): connection caps and timeouts; deno:
                     Deno.serve, no caps or header timeouts (and fewer votes
                     per second): only behind a proxy that enforces them
                     (docs/nginx.conf)
  --timezone ZONE    the election's time zone for the times shown, e.g. Asia/Kolkata
                     (default: the machine's)
  --new-election     set the existing database aside (renamed, never deleted)
                     and start a new election
  --roll FILE.csv    the electoral roll (columns voter_id,name,age[,address]):
                     only voters on it may vote; without it, anyone who can
                     compute a valid voter ID can vote
  --codes            give each voter on the roll a one-time voting code
  --codes-out FILE   write the codes once, at import, as CSV voter_id,name,code
  --slips FILE       write printable voter slips (A4 HTML, QR codes) at import
  --slips-lang en|hi the slips' language (default en)
  --public-url URL   the booth's address printed on slips (default http://localhost:PORT/)
  --roll-upload-limit MIB
                     the largest roll file the admin panel's import takes, in MiB
                     (default 64, about a million voters)
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
  results: { type: "string" },
  "opens-at": { type: "string" },
  "closes-at": { type: "string" },
  step: { type: "string" },
  timezone: { type: "string" },
  "new-election": { type: "boolean" },
  "max-connections": { type: "string" },
  "connections-per-client": { type: "string" },
  "trust-proxy": { type: "string" },
  "sockets-per-client": { type: "string" },
  "requests-per-client": { type: "string" },
  "http-server": { type: "string" },
  roll: { type: "string" },
  codes: { type: "boolean" },
  "codes-out": { type: "string" },
  slips: { type: "string" },
  "slips-lang": { type: "string" },
  "public-url": { type: "string" },
  "roll-upload-limit": { type: "string" },
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

/** A numeric flag's value from `min` to `max`; undefined when the flag is not given. */
function wholeNumber(
  flag: string,
  value: string | undefined,
  min: number,
  max: number,
): number | undefined {
  if (value === undefined) return undefined;
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
 * assert.equal(parseCli(["--results", "sealed", "--step", "25"]).step, 25);
 * assert.equal(parseCli(["--timezone", "Asia/Kolkata"]).timeZone, "Asia/Kolkata");
 * assert.throws(() => parseCli(["--timezone", "Asia/Nowhere"]), /--timezone/);
 * assert.equal(parseCli(["--opens-at", "admin"]).opensAt, "admin");
 * assert.equal(parseCli(["--closes-at", "2026-11-30T18:00+05:30"]).closesAt, Date.UTC(2026, 10, 30, 12, 30));
 * assert.throws(() => parseCli(["--opens-at", "2026-11-30T07:00"]), /zone/);
 * assert.throws(
 *   () => parseCli(["--opens-at", "2026-11-30T18:00+05:30", "--closes-at", "2026-11-30T07:00+05:30"]),
 *   /before/,
 * );
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
  if (v.results !== undefined && !RESULTS_MODES.includes(v.results as ResultsMode)) {
    throw new CliError(`--results must be live, turnout or sealed, not "${v.results}".`);
  }
  for (
    const flag of [
      "db",
      "host",
      "parties",
      "database-url",
      "admin-password-file",
      "roll",
      "codes-out",
      "slips",
      "public-url",
      "timezone",
    ] as const
  ) {
    if (v[flag] !== undefined && v[flag].trim() === "") {
      throw new CliError(`--${flag} needs a value.`);
    }
  }
  rollFlags(v);
  const { opensAt, closesAt } = votingTimes(v["opens-at"], v["closes-at"]);
  return {
    opensAt,
    closesAt,
    limit: wholeNumber("--limit", v.limit, 1, 1e9),
    port: wholeNumber("--port", v.port, 0, 65535) ?? 8000,
    host: v.host ?? "0.0.0.0",
    db: v.db ?? "data/election.db",
    partiesFile: v.parties,
    databaseUrl: v["database-url"] ?? (Deno.env.get("DATABASE_URL") || undefined),
    poolSize: wholeNumber("--pool-size", v["pool-size"], 1, 1000) ?? 10,
    adminPasswordFile: v["admin-password-file"],
    tls: tlsFiles(v.cert, v.key),
    results: v.results as ResultsMode | undefined,
    step: wholeNumber("--step", v.step, 1, 1e6),
    timeZone: timeZone(v.timezone),
    newElection: v["new-election"] ?? false,
    maxConnections: wholeNumber("--max-connections", v["max-connections"], 1, 1_000_000),
    connectionsPerClient: wholeNumber(
      "--connections-per-client",
      v["connections-per-client"],
      1,
      1_000_000,
    ),
    trustProxy: v["trust-proxy"] === undefined ? [] : trustedProxies(v["trust-proxy"]),
    httpServer: httpServer(v["http-server"]),
    socketsPerClient: wholeNumber("--sockets-per-client", v["sockets-per-client"], 1, 1_000_000),
    requestsPerClient: wholeNumber("--requests-per-client", v["requests-per-client"], 0, 1e9) ??
      DEFAULT_REQUESTS_PER_CLIENT,
    roll: v.roll,
    codes: v.codes ?? false,
    codesOut: v["codes-out"],
    slips: v.slips,
    slipsLang: slipsLang(v["slips-lang"]),
    publicUrl: v["public-url"],
    rollUploadLimit: wholeNumber("--roll-upload-limit", v["roll-upload-limit"], 1, 4096) ?? 64,
    help: v.help ?? false,
  };
}

function rollFlags(
  v: {
    roll?: string;
    codes?: boolean;
    "codes-out"?: string;
    slips?: string;
    "public-url"?: string;
  },
) {
  if (v.codes && v.roll === undefined) {
    throw new CliError("--codes needs --roll FILE.csv: codes are given to the voters on a roll.");
  }
  for (const flag of ["codes-out", "slips"] as const) {
    if (v[flag] !== undefined && !v.codes) {
      throw new CliError(`--${flag} needs --roll and --codes.`);
    }
  }
  if (v["public-url"] !== undefined && !URL.canParse(v["public-url"])) {
    throw new CliError(
      `--public-url must be an address like https://vote.example/, not "${v["public-url"]}".`,
    );
  }
}

function zonedTime(flag: string, text: string): number {
  const at = parseZonedTime(text);
  if (at === null) {
    throw new CliError(
      `${flag} must be a date and time with its zone, such as 2026-11-30T07:00+05:30, not "${text}".`,
    );
  }
  return at;
}

function votingTimes(opens: string | undefined, closes: string | undefined) {
  const opensAt = opens === undefined
    ? undefined
    : opens.trim() === "admin"
    ? "admin" as const
    : zonedTime("--opens-at", opens);
  const closesAt = closes === undefined ? undefined : zonedTime("--closes-at", closes);
  if (typeof opensAt === "number" && closesAt !== undefined && closesAt <= opensAt) {
    throw new CliError(
      `--closes-at (${closes}) is before --opens-at (${opens}): voting must open before it closes.`,
    );
  }
  return { opensAt, closesAt };
}

function slipsLang(value: string | undefined): Locale {
  if (value === undefined) return "en";
  if ((LOCALES as readonly string[]).includes(value)) return value as Locale;
  throw new CliError(`--slips-lang must be en or hi, not "${value}".`);
}

function httpServer(value: string | undefined): "guarded" | "deno" {
  if (value === undefined || value === "guarded" || value === "deno") return value ?? "guarded";
  throw new CliError(`--http-server must be guarded or deno, not "${value}".`);
}

function tlsFiles(cert: string | undefined, key: string | undefined) {
  if (cert === undefined && key === undefined) return undefined;
  if (!cert || !key) {
    throw new CliError("--cert and --key go together: give both files, or neither.");
  }
  return { cert, key };
}

function trustedProxies(value: string): string[] {
  const addresses = parseTrustedProxies(value);
  if (!addresses) {
    throw new CliError(
      `--trust-proxy takes IP addresses or CIDR ranges (10.0.0.0/8, fd00::/8) separated by commas, not "${value}".`,
    );
  }
  return addresses;
}

function timeZone(name: string | undefined): string {
  try {
    return resolveTimeZone(name);
  } catch {
    throw new CliError(`--timezone must be a time zone such as Asia/Kolkata, not "${name}".`);
  }
}
