/** An election's database files: created private, set aside renamed, never deleted. */
import { DatabaseSync } from "node:sqlite";
import { closeSync, constants, existsSync, openSync } from "node:fs";
import { chmodSync } from "node:fs";
import { basename, dirname, extname, join } from "node:path";

async function exists(path: string): Promise<boolean> {
  try {
    await Deno.stat(path);
    return true;
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return false;
    throw e;
  }
}

/**
 * Renames a database file aside with the time in the name, so a new election
 * can start at `path`. An unfinished commit is rolled back and a write-ahead
 * log (of an older version) is moved into the file and removed first, so the
 * renamed file holds everything on its own and no history.
 *
 * @param path The database file.
 * @param now The time to name the old file after.
 * @returns The new name, or null when there was no file.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { setDatabaseAside } from "./db_file.ts";
 * const dir = await Deno.makeTempDir();
 * await Deno.writeTextFile(`${dir}/e.db`, "");
 * const aside = await setDatabaseAside(`${dir}/e.db`, new Date("2026-01-02T03:04:05Z"));
 * assert.equal(aside, `${dir}/e-2026-01-02T03-04-05Z.db`);
 * assert.equal(await setDatabaseAside(`${dir}/e.db`), null); // nothing left at the old name
 * ```
 */
export async function setDatabaseAside(path: string, now = new Date()): Promise<string | null> {
  if (!(await exists(path))) return null;
  const ext = extname(path);
  const stamp = now.toISOString().replace(/\.\d+Z$/, "Z").replaceAll(":", "-");
  let target = join(dirname(path), `${basename(path, ext)}-${stamp}${ext}`);
  for (let n = 2; await exists(target); n++) {
    target = join(dirname(path), `${basename(path, ext)}-${stamp}-${n}${ext}`);
  }
  const db = new DatabaseSync(path);
  db.prepare("SELECT count(*) FROM sqlite_schema").get();
  db.exec("PRAGMA wal_checkpoint(TRUNCATE)");
  db.close();
  for (const suffix of ["-wal", "-shm"]) {
    if (await exists(path + suffix)) await Deno.rename(path + suffix, target + suffix);
  }
  await Deno.rename(path, target);
  return target;
}

/**
 * Makes a file readable and writable by its owner only (0600), creating it
 * empty when missing; files SQLite makes beside it (journal, write-ahead
 * log) take the same mode, and those already there are tightened too.
 *
 * @param path The database file.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { privateFile } from "./db_file.ts";
 * const dir = await Deno.makeTempDir();
 * privateFile(`${dir}/e.db`);
 * assert.equal(Deno.statSync(`${dir}/e.db`).mode! & 0o777, 0o600);
 * ```
 */
export function privateFile(path: string): void {
  closeSync(openSync(path, constants.O_CREAT | constants.O_RDWR, 0o600));
  for (const suffix of ["", "-journal", "-wal", "-shm"]) {
    if (existsSync(path + suffix)) chmodSync(path + suffix, 0o600);
  }
}

/** Another server process holds the election's database. */
export class ElectionBusyError extends Error {
  /**
   * Makes the error for an election database in use.
   *
   * @param path The database file that is in use.
   */
  constructor(path: string) {
    super(
      `another Matdaan server is running the election in ${path}: stop it first ` +
        `(two servers on one SQLite file, or --new-election under a running one, would lose votes).`,
    );
    this.name = "ElectionBusyError";
  }
}

/** The lock file beside the election database at `path` (`lockElection`). */
export function lockPathFor(path: string): string {
  return `${path}.lock`;
}

/**
 * Takes the election's lock: an exclusive advisory lock on `<path>.lock`
 * (created readable by its owner only), held until the returned file is
 * closed or the process ends, so that a second server (or `--new-election`
 * while one runs) is refused before it touches any file.
 *
 * @param path The database file.
 * @returns The open lock file; close it to release the lock.
 * @throws {ElectionBusyError} When another process holds the lock.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { ElectionBusyError, lockElection } from "./db_file.ts";
 * const dir = await Deno.makeTempDir();
 * const lock = await lockElection(`${dir}/e.db`);
 * const child = new Deno.Command(Deno.execPath(), {
 *   args: ["eval", `import { lockElection } from "${import.meta.resolve("./db_file.ts")}";
 *     try { await lockElection("${dir}/e.db"); } catch { Deno.exit(3); }`],
 * });
 * assert.equal((await child.output()).code, 3); // another process is refused
 * lock.close();
 * assert.equal((await child.output()).code, 0); // and let in once the lock is released
 * assert.ok(new ElectionBusyError("e.db").message.includes("stop it first"));
 * ```
 */
export async function lockElection(path: string): Promise<Deno.FsFile> {
  const file = await Deno.open(lockPathFor(path), { create: true, write: true, mode: 0o600 });
  if (!(await file.tryLock(true))) {
    file.close();
    throw new ElectionBusyError(path);
  }
  return file;
}
