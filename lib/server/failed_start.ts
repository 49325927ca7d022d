/**
 * What a start that fails leaves behind: nothing. An election this start
 * created in a SQLite file (the database, its audit log, sessions and
 * password, voting-code key, codes and slips) is removed again, so the
 * corrected start creates it afresh with the options it is given.
 */
import { auditPathFor } from "../admin/audit_log.ts";
import { sessionsPathFor } from "../admin/admin_sessions.ts";
import { codeKeyPath } from "../election/code_key.ts";
import { rollUploadsDir } from "../admin/roll_uploads.ts";
import { lockPathFor } from "../store/db_file.ts";

/**
 * The files a new SQLite election made at `db` consists of, with SQLite's
 * companions (`-wal`, `-shm`, `-journal`), the admin panel's roll-import
 * folder, the codes and slips its roll import wrote, and its lock file.
 *
 * @param db The election database file.
 * @param outputs `--codes-out` and `--slips`, when given.
 * @returns The paths; some may not exist.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { newElectionFiles } from "./failed_start.ts";
 * const files = newElectionFiles("data/e.db", ["data/codes.csv"]);
 * assert.ok(files.includes("data/e.db-wal"));
 * assert.ok(files.includes("data/e.audit.db"));
 * assert.ok(files.includes("data/e.sessions.db"));
 * assert.ok(files.includes("data/e.codes.key"));
 * assert.ok(files.includes("data/e.db.roll-import"));
 * assert.equal(files.at(-1), "data/e.db.lock");
 * assert.ok(files.includes("data/codes.csv"));
 * ```
 */
export function newElectionFiles(db: string, outputs: readonly string[] = []): string[] {
  const databases = [db, auditPathFor(db), sessionsPathFor(db)];
  return [
    ...databases.flatMap((f) => ["", "-wal", "-shm", "-journal"].map((s) => f + s)),
    codeKeyPath(db),
    rollUploadsDir(db),
    ...outputs,
    // Last: until it goes, no other start can take the election and see it half removed.
    lockPathFor(db),
  ];
}

/**
 * Removes the files of an election that a failed start created; files that
 * are not there are skipped.
 *
 * @param paths From `newElectionFiles`.
 * @returns The paths removed.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { newElectionFiles, removeNewElection } from "./failed_start.ts";
 * const dir = await Deno.makeTempDir();
 * await Deno.writeTextFile(`${dir}/e.db`, "");
 * assert.deepEqual(await removeNewElection(newElectionFiles(`${dir}/e.db`)), [`${dir}/e.db`]);
 * ```
 */
export async function removeNewElection(paths: readonly string[]): Promise<string[]> {
  const removed: string[] = [];
  for (const path of paths) {
    try {
      await Deno.remove(path, { recursive: true });
      removed.push(path);
    } catch (e) {
      if (!(e instanceof Deno.errors.NotFound)) throw e;
    }
  }
  return removed;
}
