/**
 * The ballot box in a SQLite file: numbered slots written in advance, every
 * one the same size, each ballot written over a free slot chosen at random.
 *
 * Why: SQLite writes a new cell downward from the end of its page, so the
 * byte offsets of inserted rows give their order of insertion. A slot is
 * overwritten in place (same size, same offset), so where a ballot sits says
 * only which random slot it drew. Half the slots or more are always free, so
 * a free one is found in two draws on average; without a limit the box
 * doubles when half full, and with a limit it holds twice the limit (at least 1,024) from
 * the start. The view `ballots` shows only the cast ballots (receipt, party).
 *
 * A ballot is cast in two steps. In the voter's transaction its slot is
 * drawn and the ballot is appended to `ballot_pending`, which is durable but
 * in order of voting; `settle` then writes the pending ballots into their
 * slots and deletes them (zeroed by `secure_delete`), in the transaction the
 * store runs just before it empties the write-ahead log. So the order lives
 * exactly as long as the log's history does, and a commit of 30 votes writes
 * one or two pages instead of 30 random ones (measured: a batch's commit
 * took a third of the time). Opening the file settles what a crash left.
 */
import type { DatabaseSync, StatementSync } from "node:sqlite";
import { receiptSlot, slotReceipt } from "../../election/receipt.ts";
import { ballotDigest, type Recount } from "../recount.ts";

/** A receipt is always 14 characters; an empty slot holds 14 spaces. */
const EMPTY_RECEIPT = " ".repeat(14);

/** The smallest box, and the size of a box without a limit at first. */
const FIRST_SLOTS = 1024;

/** The view of the cast ballots, settled or not. */
const BALLOTS_VIEW = `
CREATE VIEW ballots AS SELECT receipt, rtrim(party) AS party FROM ballot_box
  WHERE receipt <> '${EMPTY_RECEIPT}'
  UNION ALL SELECT receipt, rtrim(party) AS party FROM ballot_pending;`;

/** The ballots cast since the last `settle`, with the slots they drew. */
const PENDING_TABLE =
  "CREATE TABLE ballot_pending (slot INTEGER NOT NULL, receipt TEXT NOT NULL, party TEXT NOT NULL);";

/** The schema of the box and its view. */
export const BALLOT_BOX_SCHEMA = `
CREATE TABLE ballot_box (slot INTEGER PRIMARY KEY, receipt TEXT NOT NULL, party TEXT NOT NULL);
${PENDING_TABLE}
${BALLOTS_VIEW}
`;

/** Schema 5: the pending ballots, for a file of schema 3 or 4. */
export const BALLOT_PENDING_MIGRATION = `
${PENDING_TABLE.replace("CREATE TABLE", "CREATE TABLE IF NOT EXISTS")}
DROP VIEW ballots;
${BALLOTS_VIEW}
`;

/** The box of one election. */
export class BallotBox {
  readonly #db: DatabaseSync;
  readonly #width: number;
  #slots: number;
  /** The slots drawn by ballots not settled yet. */
  readonly #pending = new Set<number>();
  #stmt: Record<string, StatementSync>;

  /**
   * Prepares the ballot box's statements.
   *
   * @param db The election's database (the schema already created).
   * @param partyIds The parties on the ballot: every party is stored padded to the longest id.
   */
  constructor(db: DatabaseSync, partyIds: readonly string[]) {
    this.#db = db;
    this.#width = Math.max(...partyIds.map((p) => p.length));
    this.#stmt = this.#prepare();
    this.#slots = (this.#stmt.slots.get() as { n: number }).n;
    for (const row of this.#stmt.pendingSlots.iterate()) this.#pending.add(row.slot as number);
  }

  #prepare(): Record<string, StatementSync> {
    const db = this.#db;
    return {
      slots: db.prepare("SELECT coalesce(max(slot) + 1, 0) AS n FROM ballot_box"),
      read: db.prepare("SELECT receipt FROM ballot_box WHERE slot = ?"),
      write: db.prepare("UPDATE ballot_box SET receipt = ?, party = ? WHERE slot = ?"),
      empty: db.prepare("INSERT INTO ballot_box (slot, receipt, party) VALUES (?, ?, ?)"),
      pend: db.prepare("INSERT INTO ballot_pending (slot, receipt, party) VALUES (?, ?, ?)"),
      pendingSlots: db.prepare("SELECT slot FROM ballot_pending"),
      pendingRows: db.prepare("SELECT slot, receipt, party FROM ballot_pending ORDER BY slot"),
      pendingHas: db.prepare(
        "SELECT 1 AS found FROM ballot_pending WHERE slot = ? AND receipt = ?",
      ),
      unpend: db.prepare("DELETE FROM ballot_pending"),
    };
  }

  /**
   * Makes sure the box can take `votes` ballots with half its slots still
   * free. Call inside the transaction that casts them.
   */
  reserve(votes: number): void {
    if (votes * 2 <= this.#slots) return;
    let target = Math.max(this.#slots, FIRST_SLOTS);
    while (votes * 2 > target) target *= 2;
    const blank = " ".repeat(this.#width);
    for (let slot = this.#slots; slot < target; slot++) {
      this.#stmt.empty.run(slot, EMPTY_RECEIPT, blank);
    }
    this.#slots = target;
  }

  /**
   * Draws a random free slot for a ballot and keeps the ballot pending (call
   * `reserve` first, and `settle` before the log is emptied); returns its receipt.
   */
  cast(party: string): string {
    const draw = new Uint32Array(1);
    for (;;) {
      crypto.getRandomValues(draw);
      const slot = draw[0] % this.#slots;
      if (this.#pending.has(slot)) continue;
      const row = this.#stmt.read.get(slot) as { receipt: string } | undefined;
      if (row?.receipt !== EMPTY_RECEIPT) continue;
      const receipt = slotReceipt(slot);
      this.#stmt.pend.run(slot, receipt, party.padEnd(this.#width));
      this.#pending.add(slot);
      return receipt;
    }
  }

  /**
   * Writes the pending ballots over their slots and deletes them from the
   * pending list. Call inside a transaction.
   *
   * @returns Whether there was anything to settle.
   */
  settle(): boolean {
    if (this.#pending.size === 0) return false;
    for (const row of this.#stmt.pendingRows.iterate()) {
      this.#stmt.write.run(row.receipt, row.party, row.slot);
    }
    this.#stmt.unpend.run();
    this.#pending.clear();
    return true;
  }

  /**
   * Empties every slot in place (a cleared mock poll): the receipts and
   * parties are overwritten where they were. Call inside a transaction.
   */
  empty(): void {
    this.#stmt.unpend.run();
    this.#pending.clear();
    this.#db.prepare(
      `UPDATE ballot_box SET receipt = ?, party = ? WHERE receipt <> '${EMPTY_RECEIPT}'`,
    ).run(EMPTY_RECEIPT, " ".repeat(this.#width));
  }

  /** Whether a receipt belongs to a cast ballot. */
  has(receipt: string): boolean {
    const slot = receiptSlot(receipt);
    if (slot === null) return false;
    if (this.#pending.has(slot)) return this.#stmt.pendingHas.get(slot, receipt) !== undefined;
    return (this.#stmt.read.get(slot) as { receipt: string } | undefined)?.receipt === receipt;
  }

  /** Counts the ballots by party. */
  recount(partyIds: readonly string[]): Recount {
    // One pass with a sum per party: a GROUP BY would sort the whole box first
    // (measured twice as slow on a million votes).
    const sums = partyIds.map((_, i) => `sum(party = ?) AS p${i}`).join(", ");
    const padded = partyIds.map((p) => p.padEnd(this.#width));
    const [box, pending] = ["ballot_box", "ballot_pending"].map((table) =>
      this.#db.prepare(
        `SELECT ${sums}, sum(receipt <> '${EMPTY_RECEIPT}') AS total FROM ${table}`,
      ).get(...padded) as Record<string, number | null>
    );
    const counts: Record<string, number> = {};
    partyIds.forEach((p, i) => counts[p] = (box[`p${i}`] ?? 0) + (pending[`p${i}`] ?? 0));
    const total = (box.total ?? 0) + (pending.total ?? 0);
    // A ballot naming no party on the ballot (written in by hand) shows as its own line.
    const known = Object.values(counts).reduce((a, b) => a + b, 0);
    if (total > known) counts["(not on the ballot)"] = total - known;
    return { counts, total };
  }

  /** The digest of the ballot list in receipt order (`ballotDigest`). */
  digest(): string {
    const rows = this.#db.prepare("SELECT receipt, party FROM ballots ORDER BY receipt").iterate();
    return ballotDigest(rows as Iterable<{ receipt: string; party: string }>);
  }

  /**
   * Drops the empty slots once voting has closed: the pending ballots are
   * settled, the cast ballots copied in slot order (a random order) into a
   * new table and the old pages are zeroed (`secure_delete`). Call inside a
   * transaction.
   */
  compact(): void {
    this.settle();
    this.#db.exec(`
      CREATE TABLE ballot_box_sealed (slot INTEGER PRIMARY KEY, receipt TEXT NOT NULL,
        party TEXT NOT NULL);
      INSERT INTO ballot_box_sealed SELECT * FROM ballot_box WHERE receipt <> '${EMPTY_RECEIPT}'
        ORDER BY slot;
      DROP VIEW ballots;
      DROP TABLE ballot_box;
      ALTER TABLE ballot_box_sealed RENAME TO ballot_box;
      ${BALLOTS_VIEW}`);
    this.#stmt = this.#prepare();
  }
}
