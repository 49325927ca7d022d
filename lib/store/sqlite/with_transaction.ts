/** One SQLite transaction around a piece of work, instead of hand-written BEGIN/ROLLBACK. */
import type { DatabaseSync } from "node:sqlite";

/**
 * Runs `work` in a write transaction (`BEGIN IMMEDIATE`): committed when it
 * returns, rolled back when it throws (and the error thrown again).
 *
 * @param db The database.
 * @param work What to do inside the transaction.
 * @returns What `work` returned, once committed.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { DatabaseSync } from "node:sqlite";
 * import { withTransaction } from "./with_transaction.ts";
 * const db = new DatabaseSync(":memory:");
 * db.exec("CREATE TABLE t (x INTEGER)");
 * assert.throws(() => withTransaction(db, () => {
 *   db.exec("INSERT INTO t VALUES (1)");
 *   throw new Error("changed my mind");
 * }), /changed my mind/);
 * withTransaction(db, () => db.exec("INSERT INTO t VALUES (2)"));
 * assert.deepEqual(db.prepare("SELECT x FROM t").all().map((r) => r.x), [2]);
 * ```
 */
export function withTransaction<T>(db: DatabaseSync, work: () => T): T {
  db.exec("BEGIN IMMEDIATE");
  try {
    const result = work();
    db.exec("COMMIT");
    return result;
  } catch (e) {
    if (db.isTransaction) db.exec("ROLLBACK");
    throw e;
  }
}
