/**
 * The election in one SQLite file, synchronously. It runs on the store's
 * worker (`sqlite_worker.ts`), so commits never block HTTP.
 *
 * The turnout register (who voted, in which step) and the ballots (receipt,
 * party) are separate tables, and nothing in the file pairs them:
 * - ballots are written over random pre-written slots (`ballot_box.ts`), so
 *   their place in the file says nothing of when they were cast; until then
 *   they wait in a pending list, in order of voting;
 * - the write-ahead log, which records commit by commit which rows changed
 *   together, is moved into the file and emptied (`forgetHistory`, which
 *   first settles the pending ballots into their slots) after each commit
 *   or, under a flood, at the store's interval, and before the file is served;
 * - counters are updated in place, and freed pages are zeroed (`secure_delete`).
 * At every start the ballots are counted again and compared with the
 * counters: a mismatch refuses to open the election (`RecountMismatchError`).
 */
import { DatabaseSync, type StatementSync } from "node:sqlite";
import { type ElectionSettings, reconcileElection } from "../../election/election_config.ts";
import type { BatchOutcome, LedgerOp } from "../batched_store.ts";
import * as ledger from "../ledger.ts";
import {
  type ElectionRequest,
  turnoutEntry,
  type TurnoutQuery,
  type TurnoutRow,
} from "../store.ts";
import type { TallyState } from "../../tally.ts";
import type { TurnoutEntry } from "../../election/types.ts";
import type { NotVotedQuery, RollEntry, RollInfo } from "../../election/roll.ts";
import {
  advancePublication,
  pendingStep,
  type Publication,
  publicationFromRow,
  type PublicationRow,
  visibleStep,
} from "../../election/publication.ts";
import { withTransaction } from "./with_transaction.ts";
import { SqliteRoll } from "./sqlite_roll.ts";
import {
  BALLOT_BOX_SCHEMA,
  BALLOT_BUCKETS_MIGRATION,
  BallotBox,
  migrateSlotRows,
} from "./ballot_box.ts";
import {
  compareCounts,
  describeMismatches,
  type Recount,
  RecountMismatchError,
} from "../recount.ts";
import { privateFile } from "../db_file.ts";

/**
 * 1: first; 2: published steps (`STEPS`); 3: the ballot box (`ballot_box.ts`);
 * 4: the election day (`DAY`); 5: pending ballots; 6: the box in buckets
 * (`BALLOT_BUCKETS_MIGRATION`).
 */
const SCHEMA_VERSION = 6;

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

/**
 * Version 4: the election day (issue 15). `phase` says what an election not
 * closed is doing (waiting for its opening, running a mock poll, open);
 * `day_revision` counts its changes (see `TallyState.revision`); the opening
 * (`opens_at` in epoch ms, or `opens_by_admin`) and the closing time.
 * Elections of version 3 opened at start: they stay open.
 */
const DAY = `
ALTER TABLE election ADD COLUMN phase TEXT NOT NULL DEFAULT 'open'
  CHECK (phase IN ('pending', 'mock', 'open'));
ALTER TABLE election ADD COLUMN day_revision INTEGER NOT NULL DEFAULT 0;
ALTER TABLE election ADD COLUMN opens_at INTEGER;
ALTER TABLE election ADD COLUMN opens_by_admin INTEGER NOT NULL DEFAULT 0;
ALTER TABLE election ADD COLUMN closes_at INTEGER;
`;

/**
 * The last published step as the file keeps it (the `published` column).
 * While voting is open only `live` mode shows a step's party counts; in
 * `turnout` and `sealed` modes the file keeps the step's total alone, under
 * `*` (which is no party id): the counters less the step's party counts
 * would be the party tally of the voters not yet in a step, whom the
 * register names (one voter alone there would be linked to their choice).
 */
function publishedColumn(publication: Publication, open: boolean): string {
  if (!open || publication.mode === "live") return JSON.stringify(publication.counts);
  let total = 0;
  for (const votes of Object.values(publication.counts)) total += votes;
  return JSON.stringify({ "*": total });
}

/** The bytes SQLite stores a non-negative integer in (its record's serial type). */
function integerBytes(n: number): number {
  if (n <= 1) return 0;
  if (n < 2 ** 7) return 1;
  if (n < 2 ** 15) return 2;
  if (n < 2 ** 23) return 3;
  if (n < 2 ** 31) return 4;
  if (n < 2 ** 47) return 6;
  return 8;
}

/** How long a statement waits for another process's lock on the file, in milliseconds. */
const BUSY_MS = 5000;

/** A SQLite file holding one election. */
export class SqliteLedger {
  /** The election's limit and parties, as stored (and reconciled with the request). */
  readonly settings: ElectionSettings;
  /** The electoral roll, when the election has one. */
  roll: SqliteRoll | null;
  #db: DatabaseSync;
  #stmt: Record<string, StatementSync>;
  #box: BallotBox;

  /**
   * Opens the file (created if missing, readable by its owner only), empties
   * any log a crash left, migrates it, resumes its election, recounts the
   * ballots, and seals a closed election that was not sealed yet.
   *
   * @param path The SQLite file.
   * @param request The limit and parties asked for; undefined means "as stored".
   * @throws {ElectionMismatchError} When the request contradicts the stored election.
   * @throws {RecountMismatchError} When the counters disagree with the ballots.
   */
  constructor(path: string, request: ElectionRequest) {
    privateFile(path);
    this.#db = new DatabaseSync(path);
    // FULL: each commit is synced before its votes are acknowledged. WAL: one
    // sync per commit (a rollback journal, which keeps no history, needs three
    // and measured under half the votes per second); its history is emptied by
    // `forgetHistory`. A larger cache and fewer automatic checkpoints (every
    // 10,000 pages) for the random slot pages ballots dirty.
    this.#db.exec(
      `PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA busy_timeout = ${BUSY_MS};
      PRAGMA cache_size = -65536; PRAGMA wal_autocheckpoint = 10000; PRAGMA journal_size_limit = 0;
      PRAGMA secure_delete = ON;`,
    );
    // A log left by a crash is moved into the file and emptied before anything
    // is served, and so are the ballots it left pending.
    this.#checkpoint();
    this.settings = this.#migrate(request);
    this.roll = SqliteRoll.open(this.#db);
    const db = this.#db;
    this.#box = new BallotBox(db, this.settings.parties.map((p) => p.id));
    this.forgetHistory();
    this.#stmt = {
      election: db.prepare(
        "SELECT status, closed_reason, phase, day_revision, results_mode, step_size, step, published FROM election WHERE id = 1",
      ),
      day: db.prepare("UPDATE election SET phase = ?, day_revision = ? WHERE id = 1"),
      publish: db.prepare("UPDATE election SET step = ?, published = ? WHERE id = 1"),
      counts: db.prepare("SELECT party, votes FROM counts"),
      register: db.prepare(
        "INSERT INTO turnout (voter_id, name, age, address, step) VALUES (?, ?, ?, ?, ?) ON CONFLICT (voter_id) DO NOTHING",
      ),
      count: db.prepare("UPDATE counts SET votes = votes + ? WHERE party = ?"),
      close: db.prepare(
        "UPDATE election SET status = 'closed', closed_reason = ?, closed_at = ? WHERE id = 1",
      ),
      sealed: db.prepare("SELECT status, sealed FROM election WHERE id = 1"),
    };
    const { state, publication } = this.stored();
    const mismatches = compareCounts(state.counts, this.recount().counts);
    if (mismatches.length > 0) {
      db.close();
      throw new RecountMismatchError(describeMismatches(mismatches));
    }
    if (state.status === "closed") this.seal();
    else {
      // A file written before the last step's party counts were left out of it.
      const column = publishedColumn(publication, true);
      const row = this.#stmt.election.get() as { published: string };
      if (publication.mode !== "live" && row.published !== column) {
        this.#stmt.publish.run(publication.step, column);
        this.forgetHistory();
      }
    }
  }

  /** Creates the schema on a new file, or resumes (and upgrades) and checks the stored election. */
  #migrate(request: ElectionRequest): ElectionSettings {
    const db = this.#db;
    const version =
      (db.prepare("PRAGMA user_version").get() as { user_version: number }).user_version;
    if (version > SCHEMA_VERSION) {
      throw new Error(`This database was written by a newer version (schema ${version}).`);
    }
    if (version > 0 && version < 3) {
      throw new Error(
        `This database was written by an earlier version (schema ${version}), whose ballots are not insertion-blind; count it with that version, or start with --new-election (the file is kept).`,
      );
    }
    if (version >= 3 && version <= 5) {
      withTransaction(db, () => {
        if (version === 3) db.exec(DAY);
        db.exec(BALLOT_BUCKETS_MIGRATION);
        const { parties } = db.prepare("SELECT parties FROM election WHERE id = 1").get() as {
          parties: string;
        };
        migrateSlotRows(db, (JSON.parse(parties) as { id: string }[]).map((p) => p.id));
        db.exec(`PRAGMA user_version = ${SCHEMA_VERSION}`);
      });
    }
    if (version > 0) {
      const row = db.prepare(
        `SELECT vote_limit, parties, results_mode, step_size, opens_at, opens_by_admin, closes_at
          FROM election WHERE id = 1`,
      ).get() as unknown as ledger.SettingsRow;
      const stored = ledger.storedSettings(row);
      const settings = reconcileElection(stored, request);
      db.prepare("UPDATE election SET parties = ?, closes_at = ? WHERE id = 1").run(
        JSON.stringify(settings.parties),
        settings.schedule.closesAt,
      );
      return settings;
    }
    const settings = reconcileElection(null, request);
    withTransaction(db, () => {
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
      db.exec(DAY);
      const { opensAt, closesAt } = settings.schedule;
      db.prepare(
        "UPDATE election SET phase = ?, opens_at = ?, opens_by_admin = ?, closes_at = ? WHERE id = 1",
      ).run(
        opensAt === null ? "open" : "pending",
        typeof opensAt === "number" ? opensAt : null,
        opensAt === "admin" ? 1 : 0,
        closesAt,
      );
      // With a limit the box is written whole now, so no slot is newer than another.
      if (settings.limit !== null) {
        new BallotBox(db, settings.parties.map((p) => p.id)).reserve(settings.limit);
      }
      db.exec(`PRAGMA user_version = ${SCHEMA_VERSION}`);
    });
    return settings;
  }

  /** Reads the counting state and the publication: one row per party, whatever the turnout. */
  stored(): { state: TallyState; publication: Publication } {
    const election = this.#stmt.election.get() as unknown as ledger.ElectionRow & PublicationRow;
    return {
      state: ledger.stateFromRows(
        this.settings,
        election,
        this.#stmt.counts.all() as unknown as ledger.CountRow[],
      ),
      publication: publicationFromRow(this.settings, election),
    };
  }

  /**
   * Applies operations in order in one transaction, committed with a full
   * sync before it returns. If the commit fails nothing is applied and the
   * error is thrown.
   */
  apply(ops: readonly LedgerOp[]): BatchOutcome {
    return withTransaction(this.#db, () => {
      const { state: before, publication: published } = this.stored();
      const now = Date.now();
      const step = pendingStep(published);
      const plan = ledger.planBatch(
        before,
        ops,
        (ballot, index) => {
          // With a roll, the voter must be on it, and the register takes the roll's details.
          const op = ops[index] as Extract<LedgerOp, { kind: "cast" }>;
          const b = this.roll ? this.roll.admit(ballot, op.proof) : ballot;
          return this.#stmt.register.run(b.voterId, b.name, b.age, b.address, step).changes > 0;
        },
      );
      if (plan.accepted.length > 0) this.#box.reserve(before.total + plan.accepted.length);
      const receipts = plan.accepted.map((a) => this.#box.cast(a.party));
      if (plan.cleared) this.#clearVotes();
      else this.#writeCounts(before, plan.state);
      if (plan.dayChanged) {
        this.#stmt.day.run(ledger.phaseOf(plan.state), plan.state.revision ?? 0);
      }
      if (plan.closedBy) this.#stmt.close.run(plan.closedBy, now);
      const publication = advancePublication(published, plan.state);
      if (publication !== published) {
        this.#stmt.publish.run(
          publication.step,
          publishedColumn(publication, plan.state.status !== "closed"),
        );
      }
      return { results: ledger.withReceipts(plan, receipts), state: plan.state, publication };
    });
  }

  /**
   * Updates the counters in place, or, when one grows or shrinks by a byte
   * (SQLite stores 1 in no byte, 2 to 127 in one, 128 in two…), writes them
   * all again: SQLite would move that row elsewhere on its page, and where
   * the counters sit would tell which party reached 2, or 128, votes first.
   */
  #writeCounts(before: TallyState, after: TallyState): void {
    const changes = ledger.countChanges(before, after);
    const resized = changes.some(([party, added]) => {
      const was = before.counts[party] ?? 0;
      return integerBytes(was) !== integerBytes(was + added);
    });
    if (!resized) {
      for (const [party, added] of changes) this.#stmt.count.run(added, party);
      return;
    }
    const counts = new Map<string, number>();
    for (const row of this.#stmt.counts.all()) counts.set(row.party as string, row.votes as number);
    for (const [party, added] of changes) counts.set(party, (counts.get(party) ?? 0) + added);
    this.#rewriteCounts(counts);
  }

  /**
   * Writes the counters table again from nothing, in party id order: the
   * table's page is zeroed (`secure_delete`) and the rows laid out by their
   * values alone, whatever happened before.
   */
  #rewriteCounts(counts: Map<string, number>): void {
    this.#db.exec("DELETE FROM counts");
    const insert = this.#db.prepare("INSERT INTO counts (party, votes) VALUES (?, ?)");
    for (const party of [...counts.keys()].sort()) insert.run(party, counts.get(party)!);
  }

  /**
   * Removes every vote (a mock poll's): register rows, ballots back to empty
   * slots, counters and the publication to zero. `secure_delete` zeroes the
   * freed cells; the store empties the log after the commit.
   */
  #clearVotes(): void {
    this.#db.exec("DELETE FROM turnout");
    this.#rewriteCounts(new Map(this.settings.parties.map((p) => [p.id, 0])));
    this.#box.empty();
    const zero = Object.fromEntries(this.settings.parties.map((p) => [p.id, 0]));
    this.#stmt.publish.run(0, JSON.stringify(zero));
  }

  /** Reads the register of the published steps, by step and then voter ID. */
  turnout(query: TurnoutQuery): TurnoutEntry[] {
    const { state, publication } = this.stored();
    const q = ledger.registerQuery(query);
    // A mock poll's voters are shown at once, as its counts are.
    const visible = visibleStep(publication, state.status === "closed" || state.mock === true);
    const params: (string | number)[] = [visible, q.after.step, q.after.voterId];
    let where = "step <= ? AND (step, voter_id) > (?, ?)";
    if (q.like) {
      where +=
        " AND (voter_id LIKE ? ESCAPE '\\' OR name LIKE ? ESCAPE '\\' OR address LIKE ? ESCAPE '\\')";
      params.push(q.like, q.like, q.like);
    }
    const rows = this.#db.prepare(
      `SELECT step, voter_id, name, age, address FROM turnout WHERE ${where}
        ORDER BY step ${q.newestFirst ? "DESC" : ""}, voter_id LIMIT ${q.limit}`,
    ).all(...params) as unknown as TurnoutRow[];
    return rows.map(turnoutEntry);
  }

  /** Reads the roll again, after an import into the running election committed it. */
  reloadRoll(): RollInfo | null {
    this.roll = SqliteRoll.open(this.#db);
    return this.roll?.info ?? null;
  }

  /** The voters on the roll who have not voted as of the published steps. */
  notVoted(query: NotVotedQuery): RollEntry[] {
    const { state, publication } = this.stored();
    return this.roll?.notVoted(query, visibleStep(publication, state.status === "closed")) ?? [];
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
   * Settles the pending ballots into their slots, then moves the write-ahead
   * log into the file and empties it. Each commit's frames show which ballots
   * and counters changed together with which register rows: with one vote in
   * a commit, a voter's choice.
   *
   * @param wait Whether to wait (up to the busy timeout) for another process
   *   reading the file; without, a reader makes it give up at once, so that
   *   votes never queue behind a backup or a recount.
   * @returns Whether the log was emptied (false: another process holds it; try again).
   */
  forgetHistory({ wait = true }: { wait?: boolean } = {}): boolean {
    withTransaction(this.#db, () => this.#box.settle());
    return this.#checkpoint(wait);
  }

  /**
   * Moves the write-ahead log into the file and empties it, and then its
   * index (the `-shm` file), which still lists the page of each frame the
   * log held (the buckets the last ballots were settled into, after the
   * register pages of their voters) until the next commit: one commit that
   * writes the header page alone starts the list again (its first frame
   * zeroes it), and a second emptying leaves that page listed, nothing else.
   * That commit changes nothing, so it needs no sync (half the time it took).
   * Another process reading an older state of the file keeps the log from
   * being emptied (SQLite says "busy"): the index is then left for the next try.
   */
  #checkpoint(wait = true): boolean {
    const db = this.#db;
    const truncate = () =>
      (db.prepare("PRAGMA wal_checkpoint(TRUNCATE)").get() as { busy: number }).busy === 0;
    if (!wait) db.exec("PRAGMA busy_timeout = 0");
    try {
      if (!truncate()) return false;
      const { user_version } = db.prepare("PRAGMA user_version").get() as {
        user_version: number;
      };
      db.exec("PRAGMA synchronous = OFF");
      try {
        db.exec(`PRAGMA user_version = ${user_version}`);
        return truncate();
      } finally {
        db.exec("PRAGMA synchronous = FULL");
      }
    } finally {
      if (!wait) db.exec(`PRAGMA busy_timeout = ${BUSY_MS}`);
    }
  }

  /**
   * Once voting is closed, settles the pending ballots, records that the
   * election is sealed, and empties the write-ahead log. Safe to call again.
   */
  seal(): void {
    const row = this.#stmt.sealed.get() as { status: string; sealed: number };
    if (row.status !== "closed" || row.sealed) return;
    withTransaction(this.#db, () => {
      this.#box.settle();
      this.#db.exec("UPDATE election SET sealed = 1 WHERE id = 1");
    });
    this.forgetHistory();
  }

  /** Empties the write-ahead log and closes the file. */
  close(): void {
    this.forgetHistory();
    this.#db.close();
  }
}
