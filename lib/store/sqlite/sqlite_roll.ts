/**
 * The electoral roll in the SQLite file: `roll_meta` (one row: size, codes,
 * the file's fingerprint) and `roll` (one row per voter, the code only as its
 * keyed hash). The roll is written once, before the election's first vote,
 * by `importSqliteRoll`; the ledger reads it through `SqliteRoll`. The tables
 * join the turnout register by voter ID and never the ballots.
 */
import { DatabaseSync, type StatementSync } from "node:sqlite";
import {
  type NotVotedQuery,
  type RollEntry,
  type RollFill,
  RollImportRefused,
  type RollInfo,
  type RollProof,
} from "../../election/roll.ts";
import {
  type Admission,
  admission,
  admitVoter,
  type RollRow,
} from "../../election/roll_admission.ts";
import type { Ballot } from "../../election/types.ts";
import type { RollTarget } from "../../election/roll_import.ts";

const ROLL_SCHEMA = `
CREATE TABLE IF NOT EXISTS roll_meta (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  voters INTEGER NOT NULL,
  codes INTEGER NOT NULL,
  fingerprint TEXT NOT NULL,
  imported_at INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS roll (
  voter_id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  name_key TEXT NOT NULL,
  age INTEGER NOT NULL,
  address TEXT NOT NULL,
  code_hash TEXT
) WITHOUT ROWID;
`;

/**
 * Reads the stored roll's description, or null when the election has none.
 *
 * @param db An open election database.
 * @returns The roll's size, codes and fingerprint.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { DatabaseSync } from "node:sqlite";
 * import { readSqliteRoll } from "./sqlite_roll.ts";
 * assert.equal(readSqliteRoll(new DatabaseSync(":memory:")), null);
 * ```
 */
export function readSqliteRoll(db: DatabaseSync): RollInfo | null {
  const table = db.prepare("SELECT 1 FROM sqlite_schema WHERE name = 'roll_meta'").get();
  if (!table) return null;
  const row = db.prepare("SELECT voters, codes, fingerprint FROM roll_meta WHERE id = 1").get() as
    | { voters: number; codes: number; fingerprint: string }
    | undefined;
  return row ? { voters: row.voters, codes: row.codes === 1, fingerprint: row.fingerprint } : null;
}

/**
 * Whether the file at `path` already holds an election (and its roll).
 *
 * @param path The SQLite file; it need not exist.
 * @returns Whether an election is stored, and its roll.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { inspectSqliteElection } from "./sqlite_roll.ts";
 * assert.deepEqual(inspectSqliteElection("/nonexistent/e.db"), { election: false, roll: null });
 * ```
 */
export function inspectSqliteElection(path: string): { election: boolean; roll: RollInfo | null } {
  try {
    Deno.statSync(path);
  } catch {
    return { election: false, roll: null };
  }
  const db = new DatabaseSync(path, { readOnly: true });
  try {
    const { user_version } = db.prepare("PRAGMA user_version").get() as { user_version: number };
    return { election: user_version > 0, roll: readSqliteRoll(db) };
  } finally {
    db.close();
  }
}

/**
 * Stores a roll in a new election file, in one transaction: a failure leaves
 * no roll (and no file, when there was none before). With `beforeFirstVote`
 * (an import into a running election, from the admin panel) the election
 * must be open, without a roll and without any vote, checked inside the
 * transaction (whose write lock keeps votes out until it ends).
 *
 * @param path The SQLite file of an election that has not started.
 * @param fill Calls `insert` with each chunk of voters, and returns the roll's description.
 * @param options `beforeFirstVote`: the file holds a running election.
 * @throws {RollImportRefused} With `beforeFirstVote`, when the election refuses a roll.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { importSqliteRoll, inspectSqliteElection } from "./sqlite_roll.ts";
 * const dir = await Deno.makeTempDir();
 * const info = { voters: 1, codes: false, fingerprint: "f" };
 * await importSqliteRoll(`${dir}/e.db`, async (insert) => {
 *   await insert([{ voterId: "WKH1186253", name: "Asha Rao", nameKey: "asharao", age: 34, address: "", codeHash: null }]);
 *   return info;
 * });
 * assert.deepEqual(inspectSqliteElection(`${dir}/e.db`), { election: false, roll: info });
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export async function importSqliteRoll(
  path: string,
  fill: RollFill,
  options: { beforeFirstVote?: boolean } = {},
): Promise<RollInfo> {
  const existed = inspectSqliteElection(path).election || (() => {
    try {
      return Deno.statSync(path).isFile;
    } catch {
      return false;
    }
  })();
  const db = new DatabaseSync(path);
  try {
    db.exec("PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA busy_timeout = 10000;");
    db.exec("BEGIN IMMEDIATE");
    if (options.beforeFirstVote) refuseRunning(db);
    db.exec(ROLL_SCHEMA);
    const insert = db.prepare(
      "INSERT INTO roll (voter_id, name, name_key, age, address, code_hash) VALUES (?, ?, ?, ?, ?, ?)",
    );
    const info = await fill((rows) => {
      for (const r of rows) insert.run(r.voterId, r.name, r.nameKey, r.age, r.address, r.codeHash);
      return Promise.resolve();
    });
    db.prepare(
      "INSERT INTO roll_meta (id, voters, codes, fingerprint, imported_at) VALUES (1, ?, ?, ?, ?)",
    ).run(info.voters, info.codes ? 1 : 0, info.fingerprint, Date.now());
    db.exec("COMMIT");
    // The roll's pages go into the file now, not in the first commits of voting (in a
    // running election the store's worker does it, off the thread that serves requests).
    if (!options.beforeFirstVote) db.exec("PRAGMA wal_checkpoint(TRUNCATE)");
    db.close();
    return info;
  } catch (e) {
    if (db.isTransaction) db.exec("ROLLBACK");
    db.close();
    if (!existed) {
      for (const suffix of ["", "-wal", "-shm"]) await Deno.remove(path + suffix).catch(() => {});
    }
    throw e;
  }
}

/** Where `prepareRoll` finds and writes the roll of the election in the SQLite file at `path`. */
export function sqliteRollTarget(path: string): RollTarget {
  return {
    inspect: () => Promise.resolve(inspectSqliteElection(path)),
    write: (fill) => importSqliteRoll(path, fill),
  };
}

/** Throws unless the running election in `db` is open, without a roll and without a vote. */
function refuseRunning(db: DatabaseSync): void {
  const election = db.prepare("SELECT status FROM election WHERE id = 1").get() as
    | { status: string }
    | undefined;
  if (election?.status === "closed") throw new RollImportRefused("voting_closed");
  if (readSqliteRoll(db)) throw new RollImportRefused("roll_stored");
  if (db.prepare("SELECT 1 FROM turnout LIMIT 1").get()) throw new RollImportRefused("votes_cast");
}

/** The roll as the ledger checks votes against it, inside the cast's transaction. */
export class SqliteRoll {
  /** The stored roll's description. */
  readonly info: RollInfo;
  #voter: StatementSync;

  #db: DatabaseSync;

  private constructor(db: DatabaseSync, info: RollInfo) {
    this.info = info;
    this.#db = db;
    this.#voter = db.prepare(
      "SELECT name, name_key, age, address, code_hash FROM roll WHERE voter_id = ?",
    );
  }

  /** The roll of the election in `db`, or null when it has none. */
  static open(db: DatabaseSync): SqliteRoll | null {
    const info = readSqliteRoll(db);
    return info ? new SqliteRoll(db, info) : null;
  }

  /** Replaces a voter's code hash unless they voted (`ElectionStore.reissueCode`). */
  reissueCode(voterId: string, hash: string): "reissued" | "not_on_roll" | "already_voted" {
    const changed = this.#db.prepare(
      `UPDATE roll SET code_hash = ? WHERE voter_id = ?
        AND NOT EXISTS (SELECT 1 FROM turnout WHERE voter_id = ?)`,
    ).run(hash, voterId, voterId).changes;
    if (changed > 0) return "reissued";
    return this.#voter.get(voterId) ? "already_voted" : "not_on_roll";
  }

  /**
   * The voters on the roll who have not voted yet, in voter ID order. Only
   * votes of steps up to `visibleStep` count as cast, so the list shrinks by
   * published steps, never vote by vote.
   */
  notVoted(query: NotVotedQuery, visibleStep: number): RollEntry[] {
    const limit = Math.min(Math.max(query.limit ?? 100, 1), 1000);
    const search = query.search?.trim();
    const params: (string | number)[] = [query.afterVoterId ?? ""];
    let where = "r.voter_id > ?";
    if (search) {
      where +=
        " AND (r.voter_id LIKE ? ESCAPE '\\' OR r.name LIKE ? ESCAPE '\\' OR r.address LIKE ? ESCAPE '\\')";
      const like = `%${search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      params.push(like, like, like);
    }
    return (this.#db.prepare(
      `SELECT r.voter_id AS voterId, r.name, r.age, r.address FROM roll r WHERE ${where}
        AND NOT EXISTS (SELECT 1 FROM turnout t WHERE t.voter_id = r.voter_id AND t.step <= ?)
        ORDER BY r.voter_id LIMIT ${limit}`,
    ).all(...params, visibleStep) as unknown as RollEntry[]).map((r) => ({ ...r }));
  }

  /**
   * Admits a voter: on the roll, with the right code (or, without codes, the
   * roll's name) and of age. Returns the ballot with the roll's name, age and
   * address; throws `not_on_roll`, `bad_code` or `underage`.
   */
  admit(ballot: Ballot, proof: RollProof | undefined): Ballot {
    return admitVoter(ballot, proof, this.#row(ballot.voterId), this.info.codes);
  }

  /** The roll's answer for a voter, casting nothing (`ElectionStore.admission`). */
  admission(voterId: string, proof: RollProof): Admission {
    return admission(proof, this.#row(voterId), this.info.codes);
  }

  #row(voterId: string): RollRow | undefined {
    return this.#voter.get(voterId) as RollRow | undefined;
  }
}
