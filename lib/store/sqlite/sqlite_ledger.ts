/**
 * The election in one SQLite file, synchronously. It runs on the store's
 * worker (`sqlite_worker.ts`), so commits never block HTTP.
 *
 * The turnout register (who voted, when) and the ballots (receipt, party)
 * are separate tables. A ballot row has no voter reference, no timestamp and
 * no rowid: it is keyed by its random receipt, so its place in the file does
 * not follow the order of voting.
 */
import { DatabaseSync, type StatementSync } from "node:sqlite";
import { type ElectionSettings, reconcileElection } from "../../election/election_config.ts";
import type { BatchOutcome, LedgerOp, LedgerResult } from "../batched_store.ts";
import {
  advancePublication,
  openPublication,
  pendingStep,
  type Publication,
  visibleStep,
} from "../../election/publication.ts";
import { VoteError } from "../../election/errors.ts";
import { newReceipt } from "../../election/receipt.ts";
import {
  type ElectionRequest,
  turnoutEntry,
  type TurnoutQuery,
  type TurnoutRow,
} from "../store.ts";
import { applyVote, closeTally, openTally, type TallyState } from "../../tally.ts";
import type { ClosedReason, ResultsMode, TurnoutEntry } from "../../election/types.ts";

const SCHEMA_VERSION = 2;

const SCHEMA = `
CREATE TABLE election (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  vote_limit INTEGER,
  parties TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('open', 'closed')),
  closed_reason TEXT,
  created_at INTEGER NOT NULL,
  closed_at INTEGER
);
CREATE TABLE counts (party TEXT PRIMARY KEY, votes INTEGER NOT NULL) WITHOUT ROWID;
CREATE TABLE turnout (
  seq INTEGER PRIMARY KEY,
  voter_id TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL,
  age INTEGER NOT NULL,
  address TEXT NOT NULL,
  voted_at INTEGER NOT NULL
);
CREATE TABLE ballots (receipt TEXT PRIMARY KEY, party TEXT NOT NULL) WITHOUT ROWID;
`;

/**
 * Version 2: the results mode and published steps (issue 11). The register
 * loses its sequence number and its time, keeping only the step a voter's
 * vote was published in; keyed by voter ID, its rows sit in the file in
 * voter-ID order, not in the order of voting. Voters registered before
 * steps existed form step 0, published at once.
 */
const STEPS = `
ALTER TABLE election ADD COLUMN results_mode TEXT NOT NULL DEFAULT 'live'
  CHECK (results_mode IN ('live', 'turnout', 'sealed'));
ALTER TABLE election ADD COLUMN step_size INTEGER NOT NULL DEFAULT 10;
ALTER TABLE election ADD COLUMN step INTEGER NOT NULL DEFAULT 0;
ALTER TABLE election ADD COLUMN published TEXT NOT NULL DEFAULT '{}';
UPDATE election SET published = (SELECT json_group_object(party, votes) FROM counts);
CREATE TABLE turnout_steps (
  voter_id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  age INTEGER NOT NULL,
  address TEXT NOT NULL,
  step INTEGER NOT NULL
) WITHOUT ROWID;
INSERT INTO turnout_steps SELECT voter_id, name, age, address, 0 FROM turnout ORDER BY voter_id;
DROP TABLE turnout;
ALTER TABLE turnout_steps RENAME TO turnout;
CREATE INDEX turnout_by_step ON turnout (step, voter_id);
`;

/** A SQLite file holding one election. */
export class SqliteLedger {
  readonly settings: ElectionSettings;
  #db: DatabaseSync;
  #stmt: Record<string, StatementSync>;

  constructor(path: string, request: ElectionRequest) {
    this.#db = new DatabaseSync(path);
    // FULL: each commit is synced before its votes are acknowledged. A larger
    // cache and fewer, larger checkpoints: ballots are keyed by random
    // receipts, so every vote dirties its own page, and checkpointing each page
    // once per 10,000 WAL pages (about 40 MB) instead of every 1,000 measured
    // about 40% more votes per second (bench/RESULTS.md).
    this.#db.exec(`PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA busy_timeout = 5000;
      PRAGMA cache_size = -65536; PRAGMA wal_autocheckpoint = 10000; PRAGMA secure_delete = ON;`);
    this.settings = this.#migrate(request);
    const db = this.#db;
    this.#stmt = {
      election: db.prepare(
        "SELECT status, closed_reason, results_mode, step_size, step, published FROM election WHERE id = 1",
      ),
      publish: db.prepare("UPDATE election SET step = ?, published = ? WHERE id = 1"),
      counts: db.prepare("SELECT party, votes FROM counts"),
      register: db.prepare(
        "INSERT INTO turnout (voter_id, name, age, address, step) VALUES (?, ?, ?, ?, ?) ON CONFLICT (voter_id) DO NOTHING",
      ),
      ballot: db.prepare(
        "INSERT INTO ballots (receipt, party) VALUES (?, ?) ON CONFLICT DO NOTHING",
      ),
      count: db.prepare("UPDATE counts SET votes = ? WHERE party = ?"),
      close: db.prepare(
        "UPDATE election SET status = 'closed', closed_reason = ?, closed_at = ? WHERE id = 1",
      ),
      receipt: db.prepare("SELECT 1 AS found FROM ballots WHERE receipt = ?"),
    };
  }

  /** Creates the schema on a new file, or resumes (and upgrades) and checks the stored election. */
  #migrate(request: ElectionRequest): ElectionSettings {
    const db = this.#db;
    const version =
      (db.prepare("PRAGMA user_version").get() as { user_version: number }).user_version;
    if (version > SCHEMA_VERSION) {
      throw new Error(`This database was written by a newer version (schema ${version}).`);
    }
    if (version > 0) {
      if (version < 2) this.#upgrade(STEPS, 2);
      const row = db.prepare(
        "SELECT vote_limit, parties, results_mode, step_size FROM election WHERE id = 1",
      ).get() as {
        vote_limit: number | null;
        parties: string;
        results_mode: ResultsMode;
        step_size: number;
      };
      const stored = {
        limit: row.vote_limit,
        parties: JSON.parse(row.parties),
        results: row.results_mode,
        step: row.step_size,
      };
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
      db.exec(STEPS);
      db.prepare("UPDATE election SET results_mode = ?, step_size = ? WHERE id = 1")
        .run(settings.results, settings.step);
      db.exec(`PRAGMA user_version = ${SCHEMA_VERSION}; COMMIT`);
    } catch (e) {
      db.exec("ROLLBACK");
      throw e;
    }
    return settings;
  }

  /** Applies one upgrade of the schema in a transaction of its own. */
  #upgrade(sql: string, version: number): void {
    const db = this.#db;
    db.exec("BEGIN IMMEDIATE");
    try {
      db.exec(sql);
      db.exec(`PRAGMA user_version = ${version}; COMMIT`);
    } catch (e) {
      db.exec("ROLLBACK");
      throw e;
    }
  }

  /** Reads the counting state and the publication: one row per party, whatever the turnout. */
  stored(): { state: TallyState; publication: Publication } {
    const election = this.#stmt.election.get() as {
      status: "open" | "closed";
      closed_reason: ClosedReason | null;
      results_mode: ResultsMode;
      step_size: number;
      step: number;
      published: string;
    };
    const ids = this.settings.parties.map((p) => p.id);
    let state = openTally(ids, this.settings.limit);
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
    const publication = {
      ...openPublication(election.results_mode, election.step_size, ids),
      step: election.step,
    };
    publication.counts = { ...publication.counts, ...JSON.parse(election.published) };
    return { state, publication };
  }

  /**
   * Applies operations in order in one transaction, committed with a full
   * sync before it returns. If the commit fails nothing is applied and the
   * error is thrown.
   */
  apply(ops: readonly LedgerOp[]): BatchOutcome {
    const db = this.#db;
    db.exec("BEGIN IMMEDIATE");
    try {
      const { state: before, publication: published } = this.stored();
      let state = before;
      const now = Date.now();
      const step = pendingStep(published);
      const results = ops.map((op): LedgerResult => {
        try {
          if (op.kind === "close") {
            state = closeTally(state, op.reason);
            this.#stmt.close.run(op.reason, now);
            return { ok: true };
          }
          const next = applyVote(state, op.ballot.party);
          const b = op.ballot;
          if (this.#stmt.register.run(b.voterId, b.name, b.age, b.address, step).changes === 0) {
            return {
              ok: false,
              code: "already_voted",
              message: "This voter ID has already been used to vote.",
            };
          }
          let receipt = newReceipt();
          while (this.#stmt.ballot.run(receipt, b.party).changes === 0) receipt = newReceipt();
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
      const publication = advancePublication(published, state);
      if (publication !== published) {
        this.#stmt.publish.run(publication.step, JSON.stringify(publication.counts));
      }
      db.exec("COMMIT");
      return { results, state, publication };
    } catch (e) {
      if (db.isTransaction) db.exec("ROLLBACK");
      throw e;
    }
  }

  /** Reads the register of the published steps, by step and then voter ID. */
  turnout(query: TurnoutQuery): TurnoutEntry[] {
    const { state, publication } = this.stored();
    const limit = Math.min(Math.max(query.limit ?? 100, 1), 1000);
    const search = query.search?.trim();
    const params: (string | number)[] = [visibleStep(publication, state.status === "closed")];
    let where = "step <= ?";
    if (query.after && !query.newestFirst) {
      where += " AND (step, voter_id) > (?, ?)";
      params.push(query.after.step, query.after.voterId);
    }
    if (search) {
      where +=
        " AND (voter_id LIKE ? ESCAPE '\\' OR name LIKE ? ESCAPE '\\' OR address LIKE ? ESCAPE '\\')";
      const like = `%${search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      params.push(like, like, like);
    }
    const rows = this.#db.prepare(
      `SELECT step, voter_id, name, age, address FROM turnout WHERE ${where}
        ORDER BY step ${query.newestFirst ? "DESC" : ""}, voter_id LIMIT ${limit}`,
    ).all(...params) as unknown as TurnoutRow[];
    return rows.map(turnoutEntry);
  }

  /** Whether a receipt belongs to a counted ballot. */
  hasReceipt(receipt: string): boolean {
    return this.#stmt.receipt.get(receipt) !== undefined;
  }

  /**
   * Wipes the history the write-ahead log keeps. Each commit's frames show
   * which ballot and counter pages changed together with which register
   * rows: with one vote in a commit, that links a voter to a choice. Moving
   * the frames into the database and emptying the log removes that record.
   */
  forgetHistory(): void {
    this.#db.exec("PRAGMA wal_checkpoint(TRUNCATE)");
  }

  /**
   * Once voting is closed, rewrites the ballots in receipt order (so not even
   * the order of cells within a page hints at the order of voting; the old
   * pages are zeroed by `secure_delete`) and empties the write-ahead log.
   * Not `VACUUM`: it attaches a temporary database, which Deno refuses to
   * a program without every permission.
   */
  seal(): void {
    const db = this.#db;
    db.exec("BEGIN IMMEDIATE");
    try {
      db.exec(
        `CREATE TABLE ballots_sealed (receipt TEXT PRIMARY KEY, party TEXT NOT NULL) WITHOUT ROWID;
        INSERT INTO ballots_sealed SELECT receipt, party FROM ballots ORDER BY receipt;
        DROP TABLE ballots;
        ALTER TABLE ballots_sealed RENAME TO ballots;`,
      );
      db.exec("COMMIT");
    } catch (e) {
      if (db.isTransaction) db.exec("ROLLBACK");
      throw e;
    }
    this.forgetHistory();
  }

  /** Checkpoints the write-ahead log and closes the file. */
  close(): void {
    this.forgetHistory();
    this.#db.close();
  }
}
