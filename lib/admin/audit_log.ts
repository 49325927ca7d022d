/**
 * The audit log: an append-only record of election events and the
 * administrator's actions, chained with HMAC-SHA256 under a key that is not
 * in the data folder (`audit_key.ts`), so that an edited or deleted entry,
 * or a chain rewritten by someone holding only the files, is detected by
 * `verifyAuditLog` (`deno task audit-verify`).
 *
 * It lives in its own SQLite file beside the election database: writing it
 * never waits on, or slows, the vote path's worker, and it can be copied and
 * verified on its own.
 */
import { createHmac } from "node:crypto";
import { DatabaseSync } from "node:sqlite";
import type { Tally } from "../election/types.ts";
import type { BallotCount } from "../store/store.ts";
import { privateFile } from "../store/db_file.ts";
import { auditKey } from "./audit_key.ts";

/** One entry of the log. */
export interface AuditEntry {
  /** Position in the log, from 1. */
  seq: number;
  /** When it was appended, as an ISO 8601 UTC string. */
  time: string;
  /** Who acted: `"admin"` or `"system"`. */
  actor: string;
  /** The client's IP address, or `"-"` for the server itself. */
  address: string;
  /** What happened, e.g. `"login-failed"`, `"close"`, `"export"`. */
  event: string;
  /** Details as a JSON object text, e.g. `{"what":"turnout.csv"}`. */
  detail: string;
  /** SHA-256 (64 hex digits) of the previous entry's hash and this entry. */
  hash: string;
}

/** What is appended: who, from where, what. */
export interface AuditEvent {
  /** Who acted: `"admin"` or `"system"`. */
  actor: string;
  /** The client's IP address, or `"-"` for the server itself. */
  address: string;
  /** What happened, e.g. `"close"`. */
  event: string;
  /** Plain data to record with it (stored as JSON). */
  detail?: Record<string, unknown>;
  /** Record it only if no entry of this event is there yet (instances sharing a chain see one close). */
  once?: boolean;
}

/** The outcome of verifying a log. */
export type AuditVerdict =
  | { ok: true; count: number; head: string }
  | { ok: false; seq: number; problem: string };

/** The hash before the first entry. */
export const GENESIS = "0".repeat(64);

const SCHEMA = `
CREATE TABLE IF NOT EXISTS audit (
  seq INTEGER PRIMARY KEY,
  time TEXT NOT NULL,
  actor TEXT NOT NULL,
  address TEXT NOT NULL,
  event TEXT NOT NULL,
  detail TEXT NOT NULL,
  prev_hash TEXT NOT NULL,
  hash TEXT NOT NULL
);
CREATE TRIGGER IF NOT EXISTS audit_no_update BEFORE UPDATE ON audit
  BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER IF NOT EXISTS audit_no_delete BEFORE DELETE ON audit
  BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
`;

function entryHash(key: string, prev: string, e: Omit<AuditEntry, "hash">): string {
  const body = JSON.stringify([e.seq, e.time, e.actor, e.address, e.event, e.detail]);
  return createHmac("sha256", key).update(prev).update("\n").update(body).digest("hex");
}

/**
 * The audit log's file for an election database: `data/election.db` →
 * `data/election.audit.db`.
 *
 * @param dbPath The election database.
 * @returns The audit log's path.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { auditPathFor } from "./audit_log.ts";
 * assert.equal(auditPathFor("data/election.db"), "data/election.audit.db");
 * assert.equal(auditPathFor("data/election"), "data/election.audit.db");
 * ```
 */
export function auditPathFor(dbPath: string): string {
  return dbPath.replace(/(\.db)?$/, ".audit.db");
}

/** An open audit log. Appends are synced to disk before they return. */
export class AuditLog implements AuditTrail {
  readonly #db: DatabaseSync;
  readonly #key: string;

  /**
   * Opens (or creates) the log.
   *
   * @param path The log's SQLite file (created readable by its owner only), or `":memory:"`.
   * @param key The HMAC key (default: `auditKey()`).
   */
  constructor(path: string, key = auditKey()) {
    if (path !== ":memory:") privateFile(path);
    this.#key = key;
    this.#db = new DatabaseSync(path);
    this.#db.exec(
      `PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA busy_timeout = 5000;`,
    );
    this.#db.exec(SCHEMA);
  }

  /**
   * Appends an event, chained to the one before. The head is read inside the
   * write transaction, so several processes may share one log.
   *
   * @param event Who did what, from where.
   * @returns The entry as stored, with its number, time and hash (null when `once` skipped it).
   */
  append(event: AuditEvent): AuditEntry | null {
    const db = this.#db;
    db.exec("BEGIN IMMEDIATE");
    try {
      if (event.once && db.prepare("SELECT 1 FROM audit WHERE event = ?").get(event.event)) {
        db.exec("COMMIT");
        return null;
      }
      const e = nextEntry(this.#key, this.head, event);
      db.prepare(
        "INSERT INTO audit (seq, time, actor, address, event, detail, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
      ).run(e.seq, e.time, e.actor, e.address, e.event, e.detail, e.prev_hash, e.hash);
      db.exec("COMMIT");
      const { prev_hash: _, ...entry } = e;
      return entry;
    } catch (e) {
      if (db.isTransaction) db.exec("ROLLBACK");
      throw e;
    }
  }

  /**
   * The newest entries, newest first.
   *
   * @param limit How many entries at most.
   * @returns The entries.
   */
  recent(limit = 50): AuditEntry[] {
    return this.#db.prepare(
      "SELECT seq, time, actor, address, event, detail, hash FROM audit ORDER BY seq DESC LIMIT ?",
    ).all(limit) as unknown as AuditEntry[];
  }

  /** The last entry's number and hash: record it elsewhere to detect a cut-off tail later. */
  get head(): { seq: number; hash: string } {
    const last = this.#db.prepare("SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1").get() as
      | { seq: number; hash: string }
      | undefined;
    return last ?? { seq: 0, hash: GENESIS };
  }

  /** Closes the file; appends after this throw. */
  close(): void {
    this.#db.close();
  }
}

/**
 * Verifies a log: numbers run from 1 without gaps and every HMAC matches
 * its entry and the one before under the key. Deleting the newest entries leaves a valid
 * shorter chain; compare the head with one recorded earlier to catch that.
 *
 * @param path The audit log file.
 * @returns The count and head hash, or the first bad entry.
 * @example
 * ```ts ignore
 * // Illustrative: needs an audit log on disk (tests/admin_test.ts checks real ones).
 * import { verifyAuditLog } from "./audit_log.ts";
 * verifyAuditLog("data/election.audit.db"); // { ok: true, count: 12, head: "…" }
 * ```
 */
export function verifyAuditLog(path: string, key = auditKey()): AuditVerdict {
  const db = new DatabaseSync(path, { readOnly: true });
  try {
    const rows = db.prepare(
      "SELECT seq, time, actor, address, event, detail, prev_hash, hash FROM audit ORDER BY seq",
    ).all() as unknown as StoredEntry[];
    return verifyEntries(rows, key);
  } finally {
    db.close();
  }
}

/** An entry as stored, with the hash of the one before. */
export type StoredEntry = AuditEntry & { prev_hash: string };

/**
 * Verifies a chain of entries in `seq` order (from a file or a database):
 * numbers run from 1 without gaps and every HMAC matches its entry and the
 * one before under the key.
 *
 * @param rows The entries, in `seq` order.
 * @param key The audit key.
 * @returns The count and head hash, or the first bad entry.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { AuditLog, verifyEntries } from "./audit_log.ts";
 * const log = new AuditLog(":memory:", "k".repeat(32));
 * const e = log.append({ actor: "system", address: "-", event: "start" })!;
 * const row = { ...e, prev_hash: "0".repeat(64) };
 * assert.equal(verifyEntries([row], "k".repeat(32)).ok, true);
 * assert.equal(verifyEntries([row], "x".repeat(32)).ok, false);
 * ```
 */
export function verifyEntries(rows: readonly StoredEntry[], key: string): AuditVerdict {
  let prev = GENESIS;
  for (const [i, row] of rows.entries()) {
    if (row.seq !== i + 1) return { ok: false, seq: i + 1, problem: `entry ${i + 1} is missing` };
    if (row.prev_hash !== prev) {
      return {
        ok: false,
        seq: row.seq,
        problem: `entry ${row.seq} does not follow the one before`,
      };
    }
    if (entryHash(key, prev, row) !== row.hash) {
      return {
        ok: false,
        seq: row.seq,
        problem: `entry ${row.seq} was changed after it was written`,
      };
    }
    prev = row.hash;
  }
  return { ok: true, count: rows.length, head: prev };
}

/**
 * Makes the next entry of a chain: its number, time and HMAC under the key.
 *
 * @param key The audit key.
 * @param head The chain's last entry (`{ seq: 0, hash: GENESIS }` when empty).
 * @param event What to record.
 * @returns The entry, with the hash of the one before.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { GENESIS, nextEntry } from "./audit_log.ts";
 * const e = nextEntry("k".repeat(32), { seq: 0, hash: GENESIS }, { actor: "a", address: "-", event: "x" });
 * assert.equal(e.seq, 1);
 * assert.equal(e.prev_hash, GENESIS);
 * ```
 */
export function nextEntry(
  key: string,
  head: { seq: number; hash: string },
  event: AuditEvent,
): StoredEntry {
  const entry = {
    seq: head.seq + 1,
    time: new Date().toISOString(),
    actor: event.actor,
    address: event.address,
    event: event.event,
    detail: JSON.stringify(event.detail ?? {}),
  };
  return { ...entry, prev_hash: head.hash, hash: entryHash(key, head.hash, entry) };
}

/** What the server records to and shows from an audit log, on a file or in PostgreSQL. */
export interface AuditTrail {
  /** Appends an event, chained to the one before. */
  append(event: AuditEvent): unknown;
  /** The newest entries, newest first. */
  recent(limit?: number): AuditEntry[];
  /** The chain's last entry: number and hash. */
  readonly head: { seq: number; hash: string };
  /** Finishes pending appends and lets go of the storage. */
  close(): void | Promise<void>;
}

/**
 * What the close entry records: the reason, the result by party as counted
 * from the ballots, and the digest of the ballot list (receipts and parties
 * in receipt order), which `deno task recount` checks later.
 *
 * @param store The store (anything with `recount`).
 * @param reason Why voting closed.
 * @returns The entry's detail.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { closeDetail } from "./audit_log.ts";
 * const store = { recount: () => Promise.resolve({ counts: { bjp: 2 }, total: 2, digest: "ab" }) };
 * assert.deepEqual(await closeDetail(store, "limit"), {
 *   reason: "limit", total: 2, parties: { bjp: 2 }, ballots: "ab",
 * });
 * ```
 */
export async function closeDetail(
  store: { recount(): Promise<BallotCount> },
  reason: string,
): Promise<Record<string, unknown>> {
  const count = await store.recount();
  return { reason, total: count.total, parties: count.counts, ballots: count.digest };
}

/**
 * Records in the audit log the moment the tally closes at the limit, with
 * the result and the ballots' digest (a close by the administrator is
 * recorded by the route, with the address).
 *
 * @param source The store (or anything with `snapshot`, `subscribe` and `recount`).
 * @param audit The log.
 * @returns A function that stops watching.
 * @example
 * ```ts ignore
 * // Illustrative: needs an open store (tests/admin_test.ts runs it).
 * import { AuditLog, auditLimitClose } from "./audit_log.ts";
 * const stop = auditLimitClose(store, new AuditLog("data/election.audit.db"));
 * ```
 */
export function auditLimitClose(
  source: {
    snapshot(): Tally;
    subscribe(listener: (t: Tally) => void): () => void;
    recount(): Promise<BallotCount>;
  },
  audit: AuditTrail,
): () => void {
  let open = source.snapshot().status === "open";
  return source.subscribe((tally) => {
    if (open && tally.status === "closed" && tally.closedReason === "limit") {
      closeDetail(source, "limit").then(
        (detail) =>
          audit.append({ actor: "system", address: "-", event: "close", detail, once: true }),
      ).catch((e) => console.error(`Could not record the close: ${(e as Error).message}`));
    }
    open = tally.status === "open";
  });
}
