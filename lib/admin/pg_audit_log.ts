/**
 * The audit log in PostgreSQL: one keyed chain for the election, in its
 * database, shared by every instance. Appends are written in order by one
 * queue per instance, each in a transaction that takes an advisory lock and
 * reads the head inside it, so instances interleave without forking the
 * chain. `head` and `recent` answer from a copy refreshed after each append
 * and every second (the panel and `/api/tally` read them synchronously).
 */
import postgres from "postgres";
import {
  type AuditEntry,
  type AuditEvent,
  type AuditTrail,
  type AuditVerdict,
  GENESIS,
  nextEntry,
  type StoredEntry,
  verifyEntries,
} from "./audit_log.ts";

/** An arbitrary constant naming the audit chain's lock among advisory locks. */
const AUDIT_LOCK = 0x61756474;
const RECENT = 50;

/** The audit log of an election in PostgreSQL. */
export class PgAuditLog implements AuditTrail {
  readonly #sql: postgres.Sql;
  readonly #key: string;
  #head = { seq: 0, hash: GENESIS };
  #recent: AuditEntry[] = [];
  #queue: Promise<void> = Promise.resolve();
  #timer: ReturnType<typeof setInterval>;

  private constructor(sql: postgres.Sql, key: string) {
    this.#sql = sql;
    this.#key = key;
    this.#timer = setInterval(() => this.#refresh().catch(() => {}), 1000);
  }

  /**
   * Connects to the election's database (its schema migrated by the store).
   *
   * @param url The database URL.
   * @param key The audit key.
   * @returns The log, with its head and newest entries read.
   * @example
   * ```ts ignore
   * // Illustrative: needs PostgreSQL (tests/audit_postgres_test.ts runs it).
   * import { PgAuditLog } from "./pg_audit_log.ts";
   * const audit = await PgAuditLog.open("postgres://root@127.0.0.1/matdaan", auditKey());
   * audit.append({ actor: "system", address: "-", event: "start" });
   * await audit.close();
   * ```
   */
  static async open(url: string, key: string): Promise<PgAuditLog> {
    const log = new PgAuditLog(postgres(url, { max: 2, onnotice: () => {} }), key);
    await log.#refresh();
    return log;
  }

  async #refresh(): Promise<void> {
    const rows = await this.#sql<AuditEntry[]>`SELECT seq, time, actor, address, event, detail, hash
      FROM audit ORDER BY seq DESC LIMIT ${RECENT}`;
    this.#recent = [...rows];
    this.#head = rows.length > 0 ? { seq: rows[0].seq, hash: rows[0].hash } : this.#head;
  }

  /** Queues an event; it is written in order, chained to the head at the time of writing. */
  append(event: AuditEvent): void {
    this.#queue = this.#queue.then(async () => {
      try {
        await this.#sql.begin(async (tx) => {
          await tx`SELECT pg_advisory_xact_lock(${AUDIT_LOCK})`;
          if (event.once && (await tx`SELECT 1 FROM audit WHERE event = ${event.event}`).length) {
            return;
          }
          const [last] = await tx<{ seq: number; hash: string }[]>`SELECT seq, hash FROM audit
            ORDER BY seq DESC LIMIT 1`;
          const e = nextEntry(this.#key, last ?? { seq: 0, hash: GENESIS }, event);
          await tx`INSERT INTO audit (seq, time, actor, address, event, detail, prev_hash, hash)
            VALUES (${e.seq}, ${e.time}, ${e.actor}, ${e.address}, ${e.event}, ${e.detail},
              ${e.prev_hash}, ${e.hash})`;
        });
        await this.#refresh();
      } catch (e) {
        console.error(`Could not write to the audit log: ${(e as Error).message}`);
      }
    });
  }

  /** Waits until every queued event is written. */
  flush(): Promise<void> {
    return this.#queue;
  }

  recent(limit = RECENT): AuditEntry[] {
    return this.#recent.slice(0, limit);
  }

  get head(): { seq: number; hash: string } {
    return this.#head;
  }

  async close(): Promise<void> {
    clearInterval(this.#timer);
    await this.#queue;
    await this.#sql.end({ timeout: 5 });
  }
}

/**
 * Verifies the audit chain in an election's PostgreSQL database.
 *
 * @param url The database URL.
 * @param key The audit key.
 * @returns The count and head hash, or the first bad entry.
 * @example
 * ```ts ignore
 * // Illustrative: needs PostgreSQL (tests/audit_postgres_test.ts runs it).
 * import { verifyPgAuditLog } from "./pg_audit_log.ts";
 * (await verifyPgAuditLog("postgres://root@127.0.0.1/matdaan", auditKey())).ok; // true
 * ```
 */
export async function verifyPgAuditLog(url: string, key: string): Promise<AuditVerdict> {
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  try {
    const rows = await sql<StoredEntry[]>`SELECT seq, time, actor, address, event, detail,
      prev_hash, hash FROM audit ORDER BY seq`;
    return verifyEntries(rows, key);
  } finally {
    await sql.end({ timeout: 1 });
  }
}

/**
 * The detail of the newest entry of one kind in the PostgreSQL audit chain.
 *
 * @param url The database URL.
 * @param event The kind, e.g. `"close"`.
 * @returns The entry's number and detail, or null.
 * @example
 * ```ts ignore
 * // Illustrative: needs PostgreSQL (tests/recount_test.ts runs it).
 * import { lastPgEntry } from "./pg_audit_log.ts";
 * (await lastPgEntry("postgres://root@127.0.0.1/matdaan", "close"))?.seq; // 7
 * ```
 */
export async function lastPgEntry(
  url: string,
  event: string,
): Promise<{ seq: number; detail: string } | null> {
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  try {
    const [row] = await sql`SELECT seq, detail FROM audit WHERE event = ${event}
      ORDER BY seq DESC LIMIT 1`;
    return row ? { seq: row.seq, detail: row.detail } : null;
  } finally {
    await sql.end({ timeout: 1 });
  }
}
