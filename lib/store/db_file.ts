/** Setting an election's database file aside: renamed, never deleted. */
import { DatabaseSync } from "node:sqlite";
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
 * can start at `path`. The write-ahead log is checkpointed into the file
 * first, so the renamed file holds everything on its own.
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
  db.exec("PRAGMA wal_checkpoint(TRUNCATE)");
  db.close();
  for (const suffix of ["-wal", "-shm"]) {
    if (await exists(path + suffix)) await Deno.rename(path + suffix, target + suffix);
  }
  await Deno.rename(path, target);
  return target;
}
