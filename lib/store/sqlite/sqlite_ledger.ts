/**
 * The election in one SQLite file, synchronously. It runs on the store's
 * worker (`sqlite_worker.ts`), so commits never block HTTP.
 *
 * The turnout register (who voted, when) and the ballots (receipt, party)
 * are separate tables, and nothing in the file pairs them:
 * - ballots are written over random pre-written slots (`ballot_box.ts`), so
 *   their place in the file says nothing of when they were cast;
 * - the write-ahead log, which records commit by commit which rows changed
 *   together, is moved into the file and emptied (`forgetHistory`) whenever
 *   the store's queue of votes runs empty, and before the file is served;
 * - counters are updated in place, and freed pages are zeroed (`secure_delete`).
 * At every start the ballots are counted again and compared with the
 * counters: a mismatch refuses to open the election (`RecountMismatchError`).
 */
import { DatabaseSync, type StatementSync } from "node:sqlite";
import { type ElectionSettings, reconcileElection } from "../../election/election_config.ts";
import type { LedgerOp, LedgerResult } from "../batched_store.ts";
import { VoteError } from "../../election/errors.ts";
import {
  type ElectionRequest,
  turnoutEntry,
  type TurnoutQuery,
  type TurnoutRow,
} from "../store.ts";
import { applyVote, closeTally, openTally, type TallyState } from "../../tally.ts";
import type { ClosedReason, TurnoutEntry } from "../../election/types.ts";
import { BALLOT_BOX_SCHEMA, BallotBox } from "./ballot_box.ts";
import {
  compareCounts,
  describeMismatches,
  type Recount,
  RecountMismatchError,
} from "../recount.ts";
import { privateFile } from "../db_file.ts";

const SCHEMA_VERSION = 2;

const SCHEMA = `
CREATE TABLE election (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  vote_limit INTEGER,
  parties TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('open', 'closed')),
  closed_reason TEXT,
  created_at INTEGER NOT NULL,
  closed_at INTEGER,
  sealed INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE counts (party TEXT PRIMARY KEY, votes INTEGER NOT NULL);
CREATE TABLE turnout (
  seq INTEGER PRIMARY KEY,
  voter_id TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL,
  age INTEGER NOT NULL,
  address TEXT NOT NULL,
  voted_at INTEGER NOT NULL
);
${BALLOT_BOX_SCHEMA}
`;

/** A SQLite file holding one election. */
export class SqliteLedger {
  readonly settings: ElectionSettings;
  #db: DatabaseSync;
  #stmt: Record<string, StatementSync>;
  #box: BallotBox;

  /**
   * Opens (or creates, readable by its owner only) the file, rolls back an
   * unfinished commit, recounts the ballots, and seals a closed election
   * that was not sealed yet.
   *
   * @throws {RecountMismatchError} When the counters disagree with the ballots.
   */
  constructor(path: string, request: ElectionRequest) {
    privateFile(path);
    this.#db = new DatabaseSync(path);
    // FULL: each commit is synced before its votes are acknowledged. WAL: one
    // sync per commit (a rollback journal needs three, and measured less than
    // half the votes per second); its history is emptied by `forgetHistory`.
    this.#db.exec(`PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA busy_timeout = 5000;
      PRAGMA cache_size = -65536; PRAGMA wal_autocheckpoint = 10000; PRAGMA journal_size_limit = 0;
      PRAGMA secure_delete = ON;`);
    // A log left by a crash is moved into the file and emptied before anything is served.
    this.forgetHistory();
    this.settings = this.#migrate(request);
    const db = this.#db;
    this.#box = new BallotBox(db, this.settings.parties.map((p) => p.id));
    this.#stmt = {
      election: db.prepare("SELECT status, closed_reason, sealed FROM election WHERE id = 1"),
      counts: db.prepare("SELECT party, votes FROM counts"),
      register: db.prepare(
        "INSERT INTO turnout (voter_id, name, age, address, voted_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT (voter_id) DO NOTHING",
      ),
      count: db.prepare("UPDATE counts SET votes = ? WHERE party = ?"),
      close: db.prepare(
        "UPDATE election SET status = 'closed', closed_reason = ?, closed_at = ? WHERE id = 1",
      ),
    };
    const state = this.state();
    const mismatches = compareCounts(state.counts, this.recount().counts);
    if (mismatches.length > 0) {
      db.close();
      throw new RecountMismatchError(describeMismatches(mismatches));
    }
    if (state.status === "closed") this.seal();
  }

  /** Creates the schema on a new file, or resumes and checks the stored election. */
  #migrate(request: ElectionRequest): ElectionSettings {
    const db = this.#db;
    const version =
      (db.prepare("PRAGMA user_version").get() as { user_version: number }).user_version;
    if (version > SCHEMA_VERSION) {
      throw new Error(`This database was written by a newer version (schema ${version}).`);
    }
    if (version > 0 && version < SCHEMA_VERSION) {
      throw new Error(
        `This database was written by an earlier version (schema ${version}), whose ballots are not insertion-blind; count it with that version, or start with --new-election (the file is kept).`,
      );
    }
    if (version === SCHEMA_VERSION) {
      const row = db.prepare("SELECT vote_limit, parties FROM election WHERE id = 1").get() as {
        vote_limit: number | null;
        parties: string;
      };
      const stored = { limit: row.vote_limit, parties: JSON.parse(row.parties) };
      const settings = reconcileElection(stored, request);
      db.prepare("UPDATE election SET parties = ? WHERE id = 1").run(
        JSON.stringify(settings.parties),
      );
      return settings;
    }
    const settings = reconcileElection(null, request);
    db.exec("BEGIN IMMEDIATE");
    try {
      db.exec(SCHEMA);
      db.prepare(
        "INSERT INTO election (id, vote_limit, parties, status, created_at) VALUES (1, ?, ?, 'open', ?)",
      )
        .run(settings.limit, JSON.stringify(settings.parties), Date.now());
      const insert = db.prepare("INSERT INTO counts (party, votes) VALUES (?, 0)");
      for (const p of settings.parties) insert.run(p.id);
      // With a limit the box is written whole now, so no slot is newer than another.
      if (settings.limit !== null) {
        new BallotBox(db, settings.parties.map((p) => p.id)).reserve(settings.limit);
      }
      db.exec(`PRAGMA user_version = ${SCHEMA_VERSION}; COMMIT`);
    } catch (e) {
      db.exec("ROLLBACK");
      throw e;
    }
    return settings;
  }

  /** Reads the counting state from the database: one row per party, whatever the turnout. */
  state(): TallyState {
    const election = this.#stmt.election.get() as {
      status: "open" | "closed";
      closed_reason: ClosedReason | null;
    };
    let state = openTally(this.settings.parties.map((p) => p.id), this.settings.limit);
    const counts: Record<string, number> = { ...state.counts };
    let total = 0;
    for (const row of this.#stmt.counts.all() as { party: string; votes: number }[]) {
      counts[row.party] = row.votes;
      total += row.votes;
    }
    state = { ...state, counts, total };
    if (election.status === "closed") {
      state = { ...state, status: "closed", closedReason: election.closed_reason };
    }
    return state;
  }

  /**
   * Applies operations in order in one transaction, committed with a full
   * sync before it returns. If the commit fails nothing is applied and the
   * error is thrown.
   */
  apply(ops: readonly LedgerOp[]): { results: LedgerResult[]; state: TallyState } {
    const db = this.#db;
    db.exec("BEGIN IMMEDIATE");
    try {
      const before = this.state();
      let state = before;
      const now = Date.now();
      if (before.status === "open") {
        this.#box.reserve(before.total + ops.filter((op) => op.kind === "cast").length);
      }
      const results = ops.map((op): LedgerResult => {
        try {
          if (op.kind === "close") {
            state = closeTally(state, op.reason);
            this.#stmt.close.run(op.reason, now);
            return { ok: true };
          }
          const next = applyVote(state, op.ballot.party);
          const b = op.ballot;
          if (this.#stmt.register.run(b.voterId, b.name, b.age, b.address, now).changes === 0) {
            return {
              ok: false,
              code: "already_voted",
              message: "This voter ID has already been used to vote.",
            };
          }
          const receipt = this.#box.cast(b.party);
          if (next.status === "closed" && state.status === "open") {
            this.#stmt.close.run("limit", now);
          }
          state = next;
          return { ok: true, receipt };
        } catch (e) {
          if (e instanceof VoteError) return { ok: false, code: e.code, message: e.message };
          throw e;
        }
      });
      for (const [party, votes] of Object.entries(state.counts)) {
        if (votes !== before.counts[party]) this.#stmt.count.run(votes, party);
      }
      db.exec("COMMIT");
      return { results, state };
    } catch (e) {
      if (db.isTransaction) db.exec("ROLLBACK");
      throw e;
    }
  }

  /** Reads the turnout register in voting order. */
  turnout(query: TurnoutQuery): TurnoutEntry[] {
    const limit = Math.min(Math.max(query.limit ?? 100, 1), 1000);
    const search = query.search?.trim();
    const params: (string | number)[] = [query.newestFirst ? 0 : query.afterSeq ?? 0];
    let where = "seq > ?";
    if (search) {
      where +=
        " AND (voter_id LIKE ? ESCAPE '\\' OR name LIKE ? ESCAPE '\\' OR address LIKE ? ESCAPE '\\')";
      const like = `%${search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      params.push(like, like, like);
    }
    const rows = this.#db.prepare(
      `SELECT seq, voter_id, name, age, address, voted_at FROM turnout WHERE ${where} ORDER BY seq ${
        query.newestFirst ? "DESC" : ""
      } LIMIT ${limit}`,
    ).all(...params) as unknown as TurnoutRow[];
    return rows.map(turnoutEntry);
  }

  /** Whether a receipt belongs to a counted ballot. */
  hasReceipt(receipt: string): boolean {
    return this.#box.has(receipt);
  }

  /** Counts the ballots by party. */
  recount(): Recount {
    return this.#box.recount(this.settings.parties.map((p) => p.id));
  }

  /** The digest of the ballot list in receipt order. */
  digest(): string {
    return this.#box.digest();
  }

  /**
   * Once voting is closed, drops the empty slots of the box (the file
   * shrinks to the cast ballots, still in random slot order) and records
   * that the election is sealed. Safe to call again.
   */
  seal(): void {
    const db = this.#db;
    const row = this.#stmt.election.get() as { status: string; sealed: number };
    if (row.status !== "closed" || row.sealed) return;
    db.exec("BEGIN IMMEDIATE");
    try {
      this.#box.compact();
      db.exec("UPDATE election SET sealed = 1 WHERE id = 1");
      db.exec("COMMIT");
    } catch (e) {
      if (db.isTransaction) db.exec("ROLLBACK");
      throw e;
    }
    this.forgetHistory();
  }

  /**
   * Moves the write-ahead log into the file and empties it. Each commit's
   * frames show which ballot slots and counters changed together with which
   * register rows: with one vote in a commit, a voter's choice.
   */
  forgetHistory(): void {
    this.#db.exec("PRAGMA wal_checkpoint(TRUNCATE)");
  }

  /** Empties the write-ahead log and closes the file. */
  close(): void {
    this.forgetHistory();
    this.#db.close();
  }
}
