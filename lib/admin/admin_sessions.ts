/**
 * The administrator's sessions and the election's password, kept where every
 * instance sees them: tables in a SQLite file beside the election database,
 * or in the shared PostgreSQL database (`postgres_sessions.ts`). Only a
 * SHA-256 hash of each session id is stored, so whoever reads the table
 * cannot sign in with it, and only a slow hash of the password
 * (`password_hash.ts`).
 */
import { createHash } from "node:crypto";
import { DatabaseSync } from "node:sqlite";
import { privateFile } from "../store/db_file.ts";

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
  /** The election's stored password hash (`password_hash.ts`), or null before one is set. */
  passwordHash(): Promise<string | null>;
  /**
   * Stores the election's first password hash, unless one is there already
   * (instances that start together store one, not one each).
   *
   * @returns Whether this call stored it.
   */
  initPasswordHash(hash: string): Promise<boolean>;
  /** Replaces the password hash and ends every session, in one transaction. */
  replacePasswordHash(hash: string): Promise<void>;
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
 * // The election's password hash: the first one stored stays until replaced.
 * assert.equal(await sessions.initPasswordHash("$scrypt$first"), true);
 * assert.equal(await sessions.initPasswordHash("$scrypt$second"), false);
 * await sessions.create("s3", 5_000, 0);
 * await sessions.replacePasswordHash("$scrypt$third"); // and signs everyone out
 * assert.equal(await sessions.passwordHash(), "$scrypt$third");
 * assert.equal(await sessions.expiresAt("s3", 1_000), null);
 * await sessions.close();
 * ```
 */
export class SqliteSessions implements SessionStore {
  readonly #db: DatabaseSync;

  /**
   * Opens (or creates, readable by its owner only) the sessions file.
   *
   * @param path The file, or `":memory:"`.
   */
  constructor(path: string) {
    if (path !== ":memory:") privateFile(path);
    this.#db = new DatabaseSync(path);
    this.#db.exec(`PRAGMA journal_mode = WAL; PRAGMA busy_timeout = 5000;
      PRAGMA secure_delete = ON;
      CREATE TABLE IF NOT EXISTS admin_sessions (
        key TEXT PRIMARY KEY, expires INTEGER NOT NULL) WITHOUT ROWID;
      CREATE TABLE IF NOT EXISTS admin_password (
        id INTEGER PRIMARY KEY CHECK (id = 1), hash TEXT NOT NULL, set_at INTEGER NOT NULL);`);
  }

  passwordHash(): Promise<string | null> {
    const row = this.#db.prepare("SELECT hash FROM admin_password WHERE id = 1").get() as
      | { hash: string }
      | undefined;
    return Promise.resolve(row?.hash ?? null);
  }

  initPasswordHash(hash: string): Promise<boolean> {
    const stored = this.#db.prepare(
      "INSERT INTO admin_password (id, hash, set_at) VALUES (1, ?, ?) ON CONFLICT (id) DO NOTHING",
    ).run(hash, Date.now());
    return Promise.resolve(stored.changes > 0);
  }

  replacePasswordHash(hash: string): Promise<void> {
    this.#db.exec("BEGIN IMMEDIATE");
    try {
      this.#db.prepare(
        `INSERT INTO admin_password (id, hash, set_at) VALUES (1, ?, ?)
          ON CONFLICT (id) DO UPDATE SET hash = excluded.hash, set_at = excluded.set_at`,
      ).run(hash, Date.now());
      this.#db.exec("DELETE FROM admin_sessions; COMMIT");
    } catch (e) {
      if (this.#db.isTransaction) this.#db.exec("ROLLBACK");
      throw e;
    }
    return Promise.resolve();
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
