/**
 * The administrator's sessions and the election's password hash in the
 * shared PostgreSQL database, so that a sign-in on one instance holds on
 * every other, a sign-out anywhere ends the session everywhere, and a new
 * password holds everywhere at the next sign-in.
 */
import postgres from "postgres";
import { sessionKey, type SessionStore } from "./admin_sessions.ts";

/**
 * Sessions in an `admin_sessions` table, created when missing (under an
 * advisory lock, so instances may start together).
 *
 * @example
 * ```ts ignore
 * // Illustrative: it needs a running PostgreSQL (tests/admin_sessions_test.ts runs it).
 * import { PostgresSessions } from "./postgres_sessions.ts";
 * const sessions = await PostgresSessions.open("postgres://matdaan@db/matdaan");
 * await sessions.create("s1", now + 60_000);
 * ```
 */
export class PostgresSessions implements SessionStore {
  readonly #sql: postgres.Sql;

  private constructor(sql: postgres.Sql) {
    this.#sql = sql;
  }

  /** Connects (two connections at most) and creates the table when missing. */
  static async open(url: string): Promise<PostgresSessions> {
    const sql = postgres(url, { max: 2, onnotice: () => {} });
    try {
      await sql.begin(async (tx) => {
        await tx`SELECT pg_advisory_xact_lock(hashtext('matdaan admin_sessions'))`;
        await tx`CREATE TABLE IF NOT EXISTS admin_sessions (
          key text PRIMARY KEY, expires bigint NOT NULL)`;
        await tx`CREATE TABLE IF NOT EXISTS admin_password (
          id integer PRIMARY KEY CHECK (id = 1), hash text NOT NULL, set_at timestamptz NOT NULL)`;
      });
    } catch (e) {
      await sql.end();
      throw e;
    }
    return new PostgresSessions(sql);
  }

  async create(session: string, expires: number, now: number): Promise<void> {
    await this.#sql`DELETE FROM admin_sessions WHERE expires <= ${now}`;
    await this.#sql`INSERT INTO admin_sessions (key, expires)
      VALUES (${sessionKey(session)}, ${expires})`;
  }

  async expiresAt(session: string, now: number): Promise<number | null> {
    const [row] = await this.#sql<{ expires: string }[]>`
      SELECT expires FROM admin_sessions WHERE key = ${sessionKey(session)}`;
    if (!row) return null;
    if (Number(row.expires) > now) return Number(row.expires);
    await this.#sql`DELETE FROM admin_sessions WHERE key = ${sessionKey(session)}`;
    return null;
  }

  async end(session: string): Promise<void> {
    await this.#sql`DELETE FROM admin_sessions WHERE key = ${sessionKey(session)}`;
  }

  async endAll(): Promise<void> {
    await this.#sql`DELETE FROM admin_sessions`;
  }

  async passwordHash(): Promise<string | null> {
    const [row] = await this.#sql<{ hash: string }[]>`SELECT hash FROM admin_password WHERE id = 1`;
    return row?.hash ?? null;
  }

  async initPasswordHash(hash: string): Promise<boolean> {
    const stored = await this.#sql`INSERT INTO admin_password (id, hash, set_at)
      VALUES (1, ${hash}, now()) ON CONFLICT (id) DO NOTHING`;
    return stored.count > 0;
  }

  async replacePasswordHash(hash: string): Promise<void> {
    await this.#sql.begin(async (tx) => {
      await tx`INSERT INTO admin_password (id, hash, set_at) VALUES (1, ${hash}, now())
        ON CONFLICT (id) DO UPDATE SET hash = excluded.hash, set_at = excluded.set_at`;
      await tx`DELETE FROM admin_sessions`;
    });
  }

  async close(): Promise<void> {
    await this.#sql.end({ timeout: 5 });
  }
}
