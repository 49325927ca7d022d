/**
 * Matdaan's entry point: reads the command line, opens the store and serves
 * the app until SIGINT or SIGTERM.
 */
import { translate } from "./lib/i18n/catalogue.ts";
import { mkdir } from "node:fs/promises";
import { existsSync } from "node:fs";
import { dirname } from "node:path";
import { createServing } from "./app.ts";
import { BuildError, loadBuild } from "./runtime/manifest.ts";
import { findLogos, LogoError, LogosNotRenderedError } from "./lib/logos/logo_cache.ts";
import { CliError, type CliOptions, parseCli, USAGE } from "./lib/server/cli.ts";
import { ElectionBusyError, lockElection, setDatabaseAside } from "./lib/store/db_file.ts";
import { ElectionMismatchError } from "./lib/election/election_config.ts";
import { DEFAULT_PARTIES, PartiesFileError, readPartiesFile } from "./lib/election/parties.ts";
import { serverUrls } from "./lib/server/server_urls.ts";
import { RequestRate } from "./lib/server/request_rate.ts";
import { guardBudget } from "./routes/_request_rate.ts";
import { BusyPages } from "./routes/_busy_page.ts";
import { rollUploadTimeouts } from "./routes/admin_roll_import.tsx";
import { boothUrl, joinQrTerminal } from "./lib/server/join_qr.ts";
import { TerminalDisplay } from "./lib/server/terminal_display.ts";
import { TrustedProxies } from "./lib/server/trusted_proxy.ts";
import { localTime, zoneLabel } from "./lib/election/local_time.ts";
import { openPostgresStore } from "./lib/store/postgres/postgres_store.ts";
import { openSqliteStore } from "./lib/store/sqlite/sqlite_store.ts";
import type { ElectionRequest, ElectionStore } from "./lib/store/store.ts";
import type { Party, Tally } from "./lib/election/types.ts";
import { TallyFeed } from "./lib/live/tally_feed.ts";
import { AdminAuth } from "./lib/admin/admin_auth.ts";
import { AuditLog, auditPathFor, type AuditTrail } from "./lib/admin/audit_log.ts";
import { PgAuditLog } from "./lib/admin/pg_audit_log.ts";
import { RecountMismatchError } from "./lib/store/recount.ts";
import { auditKey } from "./lib/admin/audit_key.ts";
import { FailedSignIns } from "./lib/admin/failed_sign_ins.ts";
import { sessionsPathFor, type SessionStore, SqliteSessions } from "./lib/admin/admin_sessions.ts";
import { PostgresSessions } from "./lib/admin/postgres_sessions.ts";
import { adminPassword, readTls, SecretsError } from "./lib/admin/server_secrets.ts";
import { keepElectionPassword, makeElectionPassword } from "./lib/admin/election_password.ts";
import { newElectionFiles, removeNewElection } from "./lib/server/failed_start.ts";
import { type GuardedServer, serveDeno, serveGuarded } from "./serve.ts";
import {
  ConnectionLimits,
  defaultConnectionCap,
  defaultPerClientCap,
  openFilesLimit,
} from "./lib/server/connection_limits.ts";

/** The process's open-files limit, where the system tells it. */
async function openFiles(): Promise<number | null> {
  try {
    return openFilesLimit(await Deno.readTextFile("/proc/self/limits"));
  } catch {
    return null;
  }
}
import postgres from "postgres";
import { prepareRoll, type RollTarget } from "./lib/election/roll_import.ts";
import { checkRollFile, RollFileError } from "./lib/election/roll_file.ts";
import { CodeKeyError, codeKeyPath, createCodeKey, readCodeKey } from "./lib/election/code_key.ts";
import { sqliteRollTarget } from "./lib/store/sqlite/sqlite_roll.ts";
import { postgresRollTarget } from "./lib/store/postgres/postgres_roll.ts";
import { RollUploads, rollUploadsDir } from "./lib/admin/roll_uploads.ts";

/** Prints one clear line and exits: status 2 for a usage error, 1 otherwise. */
function fail(message: string, status: 1 | 2): never {
  console.error(`matdaan: ${message}`);
  if (status === 2) console.error("Run `deno task start --help` for the options.");
  Deno.exit(status);
}

/** Renames a file aside (never deletes it); nothing happens when it does not exist. */
async function setFileAside(path: string): Promise<void> {
  const stamp = new Date().toISOString().replace(/\.\d+Z$/, "Z").replaceAll(":", "-");
  await Deno.rename(path, `${path}.${stamp}`).catch((e) => {
    if (!(e instanceof Deno.errors.NotFound)) throw e;
  });
}

function progress(phase: string, rows: number) {
  const text = `Roll: ${rows.toLocaleString("en")} rows ${phase}…`;
  if (Deno.stdout.isTerminal()) Deno.stdout.writeSync(new TextEncoder().encode(`\r${text}`));
  else console.log(text);
}

/** Imports the roll into a new election, or checks it against the stored one. */
async function prepareElectionRoll(options: CliOptions) {
  const keyPath = codeKeyPath(options.db);
  let sql: postgres.Sql | undefined;
  let target: RollTarget;
  if (options.databaseUrl) {
    sql = postgres(options.databaseUrl, { max: 1, onnotice: () => {} });
    target = postgresRollTarget(sql);
  } else {
    target = sqliteRollTarget(options.db);
  }
  const port = options.port || 8000;
  try {
    const roll = await prepareRoll(target, {
      path: options.roll,
      codes: options.codes,
      saveKey: async (key) => {
        await setFileAside(keyPath);
        await createCodeKey(keyPath, key);
      },
      codesOut: options.codesOut,
      slips: options.slips === undefined ? undefined : {
        path: options.slips,
        boothUrl: options.publicUrl ?? `http://localhost:${port}/`,
        title: translate(options.slipsLang, "brand"),
        locale: options.slipsLang,
      },
      onProgress: (rows) => progress("read", rows),
    });
    if (Deno.stdout.isTerminal() && roll && options.roll) console.log();
    if (roll && options.slips !== undefined && options.publicUrl === undefined) {
      console.log(
        `Note: the slips point voters to http://localhost:${port}/, which their phones cannot reach; start a new election with --public-url and the booth's address as voters will type it.`,
      );
    }
    return { roll, key: roll?.codes ? await readCodeKey(keyPath) : undefined };
  } finally {
    await sql?.end({ timeout: 5 });
  }
}

/** What the command line asks of the election. */
function electionRequest(options: CliOptions, parties?: readonly Party[]): ElectionRequest {
  return {
    limit: options.limit,
    parties,
    results: options.results,
    step: options.step,
    opensAt: options.opensAt,
    closesAt: options.closesAt,
  };
}

/**
 * Opens the election's store. Everything that can refuse the start (the
 * parties file, their rendered logos, another server on the same file) is
 * checked before `--new-election` sets the old election aside, so a start that
 * fails leaves the files as they were.
 */
async function openStore(
  options: CliOptions,
): Promise<{ store: ElectionStore; codesKey?: Uint8Array; created: boolean }> {
  const parties = options.partiesFile ? await readPartiesFile(options.partiesFile) : undefined;
  if (parties) await findLogos(parties);
  // The SQLite file, or with PostgreSQL the audit log, lives in --db's folder.
  await mkdir(dirname(options.db), { recursive: true, mode: 0o700 });
  if (options.databaseUrl) {
    if (options.newElection) throw new CliError("--new-election works only with the SQLite --db.");
    const { key } = await prepareElectionRoll(options);
    const request = electionRequest(options, parties);
    const store = await openPostgresStore(options.databaseUrl, request, {
      poolSize: options.poolSize,
    });
    return { store, codesKey: key, created: false };
  }
  // Held until the process ends: one server per election file.
  await lockElection(options.db);
  if (options.newElection) {
    if (!parties) await findLogos(DEFAULT_PARTIES);
    // A roll that would be refused must not cost the old election its place.
    if (options.roll) await checkRollFile(options.roll);
    const aside = await setDatabaseAside(options.db);
    if (aside) console.log(`Previous election kept as ${aside}`);
    await setDatabaseAside(auditPathFor(options.db));
    await setFileAside(codeKeyPath(options.db));
  }
  // A new election gets its own sessions and password, even beside an old sessions file.
  const created = !existsSync(options.db);
  if (created) await setDatabaseAside(sessionsPathFor(options.db));
  const { key } = await prepareElectionRoll(options);
  const request = electionRequest(options, parties);
  return { store: await openSqliteStore(options.db, request), codesKey: key, created };
}

/** The audit log: in the election's PostgreSQL database, else in a file beside the SQLite one. */
async function openAudit(options: CliOptions, key: string): Promise<AuditTrail> {
  if (options.databaseUrl) return await PgAuditLog.open(options.databaseUrl, key);
  return new AuditLog(auditPathFor(options.db), key);
}

/** Says which command renders the logos a start found missing. */
function logosHint(e: LogosNotRenderedError, options: CliOptions, parties?: readonly Party[]) {
  const custom = parties?.some((p) => !DEFAULT_PARTIES.some((d) => d.logo === p.logo)) ?? false;
  const file = options.partiesFile ?? (custom ? "FILE" : undefined);
  const build = file ? `deno task build --parties ${file}` : "deno task build";
  const which = file && !options.partiesFile ? " (FILE: this election's parties file)" : "";
  return `${e.message}: run \`${build}\` first${which}.`;
}

/** When a waiting election opens, and when voting closes by itself, in the election's time zone. */
function describeDay(t: Tally, timeZone: string): string {
  const opens = t.status !== "pending" || !t.day
    ? ""
    : t.day.opensAt !== null
    ? ` (opens at ${localTime(t.day.opensAt, timeZone)})`
    : " (waits for the administrator to open it)";
  const closes = t.status !== "closed" && t.day?.closesAt != null
    ? `; closes at ${localTime(t.day.closesAt, timeZone)}`
    : "";
  return `${opens}${closes}`;
}

function describeElection(store: ElectionStore, db: string, timeZone: string): string {
  const t = store.snapshot();
  const limit = t.limit === null ? "no limit" : `limit ${t.limit}`;
  const state = t.status === "open"
    ? "open"
    : t.status === "pending"
    ? `not open yet${t.day?.mockPoll ? ", a mock poll running" : ""}`
    : `closed (${t.closedReason})`;
  const shown = t.results === "live"
    ? `live results in steps of ${t.step.size}`
    : `${t.results} results`;
  const so = t.total === null
    ? "votes sealed"
    : `${t.total} vote(s) ${t.status === "open" && t.results === "live" ? "published" : "so far"}`;
  const small = t.status === "open" && t.results === "live" && t.limit !== null &&
      t.limit < 2 * t.step.size
    ? `\nNote: with a limit of ${t.limit} and steps of ${t.step.size} votes, party counts are ` +
      `published ${t.limit <= t.step.size ? "only when voting closes" : "once before the close"}` +
      ` (--step sets the step; smaller steps are easier to trace to voters).`
    : "";
  return `Election in ${db}: ${state}${
    describeDay(t, timeZone)
  }, ${so}, ${limit}, ${shown}. Parties: ${store.parties.map((p) => p.name).join(", ")}.${small}`;
}

function describeRoll(store: ElectionStore): string {
  if (!store.roll) {
    return "Open election: there is no electoral roll, so anyone who can compute a valid voter ID can vote. Start a new election with --roll FILE.csv to admit only listed voters.";
  }
  const codes = store.roll.codes ? ", each with a one-time voting code" : "";
  return `Electoral roll: ${store.roll.voters.toLocaleString("en")} voter(s)${codes}.`;
}

/** The terminal's width, or Infinity when unknown (a pseudo-terminal may report 0). */
function terminalColumns(): number {
  try {
    return Deno.consoleSize().columns || Infinity;
  } catch {
    return Infinity;
  }
}

async function main() {
  let options: CliOptions;
  try {
    options = parseCli(Deno.args);
  } catch (e) {
    if (e instanceof CliError) fail(e.message, 2);
    throw e;
  }
  if (options.help) {
    console.log(USAGE);
    return;
  }

  let password: string | null, tls;
  try {
    password = await adminPassword(options.adminPasswordFile, Deno.env.get("ADMIN_PASSWORD"));
    tls = options.tls ? await readTls(options.tls) : undefined;
  } catch (e) {
    if (e instanceof SecretsError) fail(e.message, 2);
    throw e;
  }

  // `deno task start` lets the server write only into data/ (see deno.json).
  const dataDir = dirname(options.db);
  if ((await Deno.permissions.query({ name: "write", path: dataDir })).state !== "granted") {
    fail(
      `the server may not write to ${dataDir} (\`deno task start\` allows data/ only): ` +
        `keep --db in data/, or run \`deno run --allow-write=${dataDir} …\` as in deno.json.`,
      2,
    );
  }

  let key: string;
  try {
    key = auditKey();
  } catch (e) {
    fail(
      `cannot read or make the audit log's key (${
        (e as Error).message
      }); run \`deno task build\` once, or set MATDAAN_AUDIT_KEY.`,
      1,
    );
  }

  // `deno task build` renders the logos and bundles; the server only finds them.
  let assets;
  try {
    assets = await loadBuild();
  } catch (e) {
    if (e instanceof BuildError) fail(e.message, 1);
    throw e;
  }

  let store: ElectionStore;
  let codesKey: Uint8Array | undefined;
  let created: boolean;
  try {
    ({ store, codesKey, created } = await openStore(options));
  } catch (e) {
    if (e instanceof RollFileError) fail(e.message, 2);
    if (e instanceof CodeKeyError) fail(e.message, 1);
    if (e instanceof PartiesFileError || e instanceof ElectionMismatchError) fail(e.message, 2);
    if (e instanceof CliError || e instanceof ElectionBusyError) fail(e.message, 2);
    if (e instanceof LogosNotRenderedError) fail(logosHint(e, options), 1);
    if (e instanceof LogoError) fail(e.message, 1);
    if (e instanceof RecountMismatchError) {
      // Refuse to serve votes on counters that disagree with the ballots, and say so in the log.
      const audit = await openAudit(options, key);
      audit.append({
        actor: "system",
        address: "-",
        event: "recount-mismatch",
        detail: { message: e.message },
      });
      await audit.close();
      fail(`${e.message} Voting is refused; see \`deno task recount\`.`, 1);
    }
    fail((e as Error).message, 1);
  }

  // A start that fails from here on stores nothing: a new election is removed again.
  const opened: { audit?: AuditTrail; sessions?: SessionStore } = {};
  const abandon = async () => {
    await store.shutdown();
    await opened.audit?.close();
    await opened.sessions?.close();
    const outputs = [options.codesOut, options.slips].filter((f) => f !== undefined);
    if (created) await removeNewElection(newElectionFiles(options.db, outputs));
  };
  let logos;
  try {
    logos = await findLogos(store.parties);
  } catch (e) {
    await abandon();
    if (e instanceof LogosNotRenderedError) fail(logosHint(e, options, store.parties), 1);
    if (e instanceof LogoError) fail(e.message, 1);
    throw e;
  }
  console.log(
    describeElection(store, options.databaseUrl ? "PostgreSQL" : options.db, options.timeZone),
  );
  console.log(describeRoll(store));
  const label = zoneLabel(options.timeZone);
  const zone = label === options.timeZone ? label : `${options.timeZone} (${label})`;
  console.log(`Times are shown in ${zone}.`);

  const audit = opened.audit = await openAudit(options, key);
  // Sessions where every instance sees them: the shared PostgreSQL, or a file beside the SQLite one.
  let sessions: SessionStore;
  try {
    sessions = options.databaseUrl
      ? await PostgresSessions.open(options.databaseUrl)
      : new SqliteSessions(sessionsPathFor(options.db));
  } catch (e) {
    await abandon();
    fail(`cannot open the administrator's sessions: ${(e as Error).message}`, 1);
  }
  opened.sessions = sessions;
  // ADMIN_PASSWORD or --admin-password-file, else the election's own, read at each sign-in.
  const auth = new AdminAuth(password, { sessions });
  // A new election's password is made (the slow hash) now, and stored once the start succeeds.
  let made;
  try {
    made = password === null ? await makeElectionPassword(sessions) : null;
  } catch (e) {
    await abandon();
    fail(`cannot read the administrator's password: ${(e as Error).message}`, 1);
  }

  const shown: { display?: TerminalDisplay } = {};
  // The admin panel's roll import stages uploads (and the codes nobody downloaded yet) here.
  let rollUploads: RollUploads | undefined;
  try {
    rollUploads = await RollUploads.open({
      dir: rollUploadsDir(options.db),
      maxBytes: options.rollUploadLimit * 1024 * 1024,
      saveKey: async (key) => {
        await setFileAside(codeKeyPath(options.db));
        await createCodeKey(codeKeyPath(options.db), key);
      },
    });
  } catch (e) {
    await store.shutdown();
    fail(`cannot make the roll import's folder: ${(e as Error).message}`, 1);
  }

  const feed = new TallyFeed(store);
  const failedSignIns = new FailedSignIns(audit);
  let joinUrl: string | null = null; // the booth's LAN URL, known once listening
  const requestRate = options.requestsPerClient > 0
    ? new RequestRate({ points: options.requestsPerClient })
    : undefined;
  const { app, express } = createServing({
    timeZone: options.timeZone,
    joinUrl: () => joinUrl,
    store,
    feed,
    assets,
    logos,
    admin: { auth, audit, failedSignIns },
    tls: tls !== undefined,
    trustProxy: options.trustProxy,
    codesKey,
    socketsPerClient: options.socketsPerClient,
    requestRate,
    // The schedule's notices go above the live status line, once it shows.
    notice: (text) => shown.display ? shown.display.log(text) : console.log(text),
    rollUploads,
    publicUrl: options.publicUrl,
  });
  const total = options.maxConnections ?? defaultConnectionCap(await openFiles());
  const limits = new ConnectionLimits({
    total,
    perClient: options.connectionsPerClient ?? defaultPerClientCap(total),
    exempt: new TrustedProxies(options.trustProxy), // a proxy's connections carry many clients
  });
  const onListen = ({ port }: { port: number }) => {
    const urls = serverUrls(options.host, port, Deno.networkInterfaces(), { secure: !!tls });
    // One write, so whoever waits for "Listening" reads the addresses too.
    console.log([
      `Listening on port ${port}.`,
      `  Voting booth: ${urls.map((u) => `${u}/`).join("  ")}`,
      `  Results:      ${urls[0]}/results`,
      `  Admin:        ${urls[0]}/admin`,
    ].join("\n"));
  };
  // The signal handlers come before the socket opens: a SIGTERM sent as soon
  // as "Listening" is printed must find them, not the default (instant death).
  let server: GuardedServer | undefined;
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    shown.display?.stop();
    console.log(`${signal}: finishing pending votes and closing the database…`);
    feed.stop();
    await server?.shutdown();
    await store.shutdown();
    failedSignIns.stop();
    await audit.close();
    await sessions.close();
    console.log("Stopped cleanly.");
    Deno.exit(0);
  };
  Deno.addSignalListener("SIGINT", () => stop("SIGINT"));
  Deno.addSignalListener("SIGTERM", () => stop("SIGTERM"));
  try {
    // Deno.serve where TLS is ours (browsers and Deno's WebSocket client need
    // its HTTP/2 and WSS, which the guarded server cannot give) or where a proxy caps
    // connections (--http-server deno); it has no caps of its own (README).
    server = tls || options.httpServer === "deno"
      ? await serveDeno(app.fetch, { port: options.port, hostname: options.host, tls, onListen })
      : await serveGuarded(app.fetch, {
        port: options.port,
        hostname: options.host,
        limits,
        budget: requestRate && guardBudget(requestRate, new BusyPages(assets ?? null)),
        slowRequests: rollUploadTimeouts(options.rollUploadLimit),
        express,
        onListen,
      });
  } catch (e) {
    await abandon();
    const code = (e as { code?: string }).code;
    if (e instanceof Deno.errors.AddrInUse || code === "EADDRINUSE") {
      fail(`port ${options.port} is already in use; choose another with --port.`, 1);
    }
    fail(`cannot listen on ${options.host}:${options.port}: ${(e as Error).message}`, 1);
  }

  // Recorded, and the election's password stored, only once the start has succeeded.
  let generated: string | null = null;
  try {
    if (made && await keepElectionPassword(sessions, made)) {
      await auth.remember(made.password, made.hash);
      generated = made.password;
    }
  } catch (e) {
    await server!.shutdown();
    await abandon();
    fail(`cannot store the administrator's password: ${(e as Error).message}`, 1);
  }
  const t = store.snapshot();
  audit.append({
    actor: "system",
    address: "-",
    event: audit.head.seq === 0 ? "start" : "resume",
    detail: { votes: t.total, status: t.status, limit: t.limit },
  });
  if (generated) {
    audit.append({
      actor: "system",
      address: "-",
      event: "admin-password",
      detail: { how: "generated" },
    });
  }

  joinUrl = boothUrl(
    serverUrls(options.host, server!.port, Deno.networkInterfaces(), { secure: !!tls }),
  );
  const terminal = Deno.stdout.isTerminal();
  if (terminal) console.log(`\n${await joinQrTerminal(joinUrl)}`);
  console.log(`Join: ${joinUrl}  (projector view: ${joinUrl}present)`);
  if (generated) console.log(`Administrator password (shown only now): ${generated}`);
  const encoder = new TextEncoder();
  const display = new TerminalDisplay(store, {
    write: (text) => {
      const bytes = encoder.encode(text);
      for (let done = 0; done < bytes.length;) done += Deno.stdout.writeSync(bytes.subarray(done));
    },
    inPlace: terminal,
    timeZone: options.timeZone,
    columns: terminalColumns,
  });

  shown.display = display;
  display.start(); // after the signal listeners: a Ctrl-C as soon as it shows stops cleanly
}

if (import.meta.main) await main();
