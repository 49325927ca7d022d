/**
 * The administrator's sessions, kept where every instance sees them: a
 * table in a SQLite file beside the election database, or in the shared
 * PostgreSQL database (`postgres_sessions.ts`). Only a SHA-256 hash of each
 * session id is stored, so whoever reads the table cannot sign in with it.
 */
import { createHash } from "node:crypto";
import { DatabaseSync } from "node:sqlite";

/** Where sessions live. Every method is safe to call for an unknown session. */
export interface SessionStore {
  /** Records a new session that ends at `expires`, forgetting those ended at `now` (epoch ms). */
  create(session: string, expires: number, now: number): Promise<void>;
  /**
   * When the session ends, or null when it is unknown, ended or expired at
   * `now` (an expired session is then forgotten).
   */
  expiresAt(session: string, now: number): Promise<number | null>;
  /** Ends one session (sign-out). */
  end(session: string): Promise<void>;
  /** Ends every session (sign out everywhere). */
  endAll(): Promise<void>;
  /** Closes the store's connection or file. */
  close(): Promise<void>;
}

/**
 * The stored form of a session id: its SHA-256 in hex.
 *
 * @param session The id from the cookie.
 * @returns The hash.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { sessionKey } from "./admin_sessions.ts";
 * assert.equal(sessionKey("abc").length, 64);
 * assert.notEqual(sessionKey("abc"), "abc");
 * ```
 */
export function sessionKey(session: string): string {
  return createHash("sha256").update(session).digest("hex");
}

/**
 * The sessions file for an election database: `data/election.db` →
 * `data/election.sessions.db`.
 *
 * @param dbPath The election database.
 * @returns The sessions file's path.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { sessionsPathFor } from "./admin_sessions.ts";
 * assert.equal(sessionsPathFor("data/election.db"), "data/election.sessions.db");
 * ```
 */
export function sessionsPathFor(dbPath: string): string {
  return dbPath.replace(/(\.db)?$/, ".sessions.db");
}

/**
 * Sessions in a SQLite file (or `:memory:`), shared by every process that opens it.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { SqliteSessions } from "./admin_sessions.ts";
 * const sessions = new SqliteSessions(":memory:");
 * await sessions.create("s1", 2_000, 0);
 * assert.equal(await sessions.expiresAt("s1", 1_000), 2_000);
 * assert.equal(await sessions.expiresAt("s1", 2_000), null); // expired
 * await sessions.create("s2", 5_000, 0);
 * await sessions.endAll();
 * assert.equal(await sessions.expiresAt("s2", 1_000), null);
 * await sessions.close();
 * ```
 */
export class SqliteSessions implements SessionStore {
  readonly #db: DatabaseSync;

  constructor(path: string) {
    this.#db = new DatabaseSync(path);
    this.#db.exec(`PRAGMA journal_mode = WAL; PRAGMA busy_timeout = 5000;
      CREATE TABLE IF NOT EXISTS admin_sessions (
        key TEXT PRIMARY KEY, expires INTEGER NOT NULL) WITHOUT ROWID;`);
  }

  create(session: string, expires: number, now: number): Promise<void> {
    // Expired sessions are removed as new ones start: the table stays small.
    this.#db.prepare("DELETE FROM admin_sessions WHERE expires <= ?").run(now);
    this.#db.prepare("INSERT INTO admin_sessions (key, expires) VALUES (?, ?)")
      .run(sessionKey(session), expires);
    return Promise.resolve();
  }

  expiresAt(session: string, now: number): Promise<number | null> {
    const key = sessionKey(session);
    const row = this.#db.prepare("SELECT expires FROM admin_sessions WHERE key = ?").get(key) as
      | { expires: number }
      | undefined;
    if (!row) return Promise.resolve(null);
    if (row.expires > now) return Promise.resolve(row.expires);
    // Forgotten once seen expired: a clock stepped back does not revive it.
    this.#db.prepare("DELETE FROM admin_sessions WHERE key = ?").run(key);
    return Promise.resolve(null);
  }

  end(session: string): Promise<void> {
    this.#db.prepare("DELETE FROM admin_sessions WHERE key = ?").run(sessionKey(session));
    return Promise.resolve();
  }

  endAll(): Promise<void> {
    this.#db.exec("DELETE FROM admin_sessions");
    return Promise.resolve();
  }

  close(): Promise<void> {
    if (this.#db.isOpen) this.#db.close();
    return Promise.resolve();
  }
}
