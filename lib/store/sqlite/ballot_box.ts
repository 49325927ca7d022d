/**
 * The ballot box in a SQLite file: numbered slots written in advance, each
 * ballot written over a free slot chosen at random.
 *
 * Why: SQLite writes a new cell downward from the end of its page, so the
 * byte offsets of inserted rows give their order of insertion. The box is
 * instead a table of buckets, each one row holding `BUCKET_SLOTS` slots of
 * five bytes in a blob of fixed size. A ballot changes bytes inside its
 * bucket's blob, which SQLite overwrites in place (same row, same size), so
 * where a ballot sits says only which random slot it drew. Half the slots or
 * more are always free, so a free one is found in two draws on average;
 * without a limit the box doubles when half full, and with a limit it holds
 * twice the limit (at least 1,024) from the start.
 *
 * A slot is the receipt's random tag (four bytes, big-endian) and the
 * party's code (one byte, `box_parties`; 0 for an empty slot): the receipt
 * is made again from the slot and the tag (`slotReceipt`). Packed so, a page
 * holds 800 slots instead of about 130 as rows, and emptying the log writes a
 * sixth of the pages (measured on 100,000 votes in batches of 40, the log
 * emptied every 2,000: 20 to 24 µs of CPU per vote instead of 35 to 38).
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
import { receiptParts, slotReceipt } from "../../election/receipt.ts";
import { ballotDigest, type Recount } from "../recount.ts";

/** Slots per bucket: 4,000 bytes, one bucket to a page of 4 KiB. */
export const BUCKET_SLOTS = 800;

/** Bytes per slot: the tag (4) and the party's code (1). */
const SLOT_BYTES = 5;

/** The smallest box, and the size of a box without a limit at first. */
const FIRST_SLOTS = 1024;

/** The ballots cast since the last `settle`, with the slots they drew. */
const PENDING_TABLE =
  "CREATE TABLE ballot_pending (slot INTEGER NOT NULL, receipt TEXT NOT NULL, party TEXT NOT NULL);";

/** The schema of the box. */
export const BALLOT_BOX_SCHEMA = `
CREATE TABLE ballot_box (bucket INTEGER PRIMARY KEY, slots BLOB NOT NULL);
CREATE TABLE box_parties (code INTEGER PRIMARY KEY, party TEXT NOT NULL UNIQUE);
${PENDING_TABLE}
`;

/**
 * Schema 6: the box in buckets, from a box of one row per slot (schemas 3
 * to 5; schema 3 and 4 files get their pending list first). Run
 * `migrateSlotRows` after it.
 */
export const BALLOT_BUCKETS_MIGRATION = `
${PENDING_TABLE.replace("CREATE TABLE", "CREATE TABLE IF NOT EXISTS")}
UPDATE ballot_pending SET party = rtrim(party);
DROP VIEW IF EXISTS ballots;
ALTER TABLE ballot_box RENAME TO ballot_slot_rows;
CREATE TABLE ballot_box (bucket INTEGER PRIMARY KEY, slots BLOB NOT NULL);
CREATE TABLE box_parties (code INTEGER PRIMARY KEY, party TEXT NOT NULL UNIQUE);
`;

/** A ballot as stored: its receipt and party id. */
export interface StoredBallot {
  /** The receipt code, `XXXX-XXXX-XXXX`. */
  receipt: string;
  /** The party's id. */
  party: string;
}

/** The box of one election. */
export class BallotBox {
  readonly #db: DatabaseSync;
  /** Party id → code (1…), and back. */
  readonly #codes = new Map<string, number>();
  readonly #parties: string[] = [""];
  /** Slots in the box (a multiple of `BUCKET_SLOTS`). */
  #slots = 0;
  /** One bit per slot: cast (settled or pending), or drawn in a batch that failed. */
  #taken = new Uint8Array(0);
  readonly #stmt: Record<string, StatementSync>;

  /**
   * Prepares the ballot box's statements.
   *
   * @param db The election's database (the schema already created).
   * @param partyIds The parties on the ballot: each gets a code, kept in the file.
   */
  constructor(db: DatabaseSync, partyIds: readonly string[]) {
    this.#db = db;
    this.#stmt = {
      buckets: db.prepare("SELECT count(*) AS n FROM ballot_box"),
      all: db.prepare("SELECT bucket, slots FROM ballot_box ORDER BY bucket"),
      read: db.prepare("SELECT slots FROM ballot_box WHERE bucket = ?"),
      write: db.prepare("UPDATE ballot_box SET slots = ? WHERE bucket = ?"),
      add: db.prepare("INSERT INTO ballot_box (bucket, slots) VALUES (?, zeroblob(?))"),
      pend: db.prepare("INSERT INTO ballot_pending (slot, receipt, party) VALUES (?, ?, ?)"),
      pendingRows: db.prepare("SELECT slot, receipt, party FROM ballot_pending ORDER BY slot"),
      pendingHas: db.prepare(
        "SELECT 1 AS found FROM ballot_pending WHERE slot = ? AND receipt = ?",
      ),
      unpend: db.prepare("DELETE FROM ballot_pending"),
    };
    this.#loadParties(partyIds);
    this.#slots = (this.#stmt.buckets.get() as { n: number }).n * BUCKET_SLOTS;
    this.#taken = new Uint8Array(this.#slots / 8);
    for (const { bucket, slots } of this.#buckets()) {
      for (let i = 0; i < BUCKET_SLOTS; i++) {
        if (slots[i * SLOT_BYTES + 4] !== 0) this.#take(bucket * BUCKET_SLOTS + i);
      }
    }
    for (const row of this.#stmt.pendingRows.iterate()) this.#take(row.slot as number);
  }

  /** Gives every party on the ballot a code, keeping the codes already in the file. */
  #loadParties(partyIds: readonly string[]) {
    const rows = this.#db.prepare("SELECT code, party FROM box_parties ORDER BY code").all();
    for (const row of rows) {
      this.#codes.set(row.party as string, row.code as number);
      this.#parties[row.code as number] = row.party as string;
    }
    const insert = this.#db.prepare("INSERT INTO box_parties (code, party) VALUES (?, ?)");
    for (const party of partyIds) {
      if (this.#codes.has(party)) continue;
      const code = this.#parties.length;
      if (code > 255) throw new Error("A ballot box holds at most 255 parties.");
      insert.run(code, party);
      this.#codes.set(party, code);
      this.#parties[code] = party;
    }
  }

  *#buckets(): Generator<{ bucket: number; slots: Uint8Array }> {
    for (const row of this.#stmt.all.iterate()) {
      yield { bucket: row.bucket as number, slots: row.slots as Uint8Array };
    }
  }

  #take(slot: number) {
    this.#taken[slot >>> 3] |= 1 << (slot & 7);
  }

  #isTaken(slot: number): boolean {
    return (this.#taken[slot >>> 3] & (1 << (slot & 7))) !== 0;
  }

  /**
   * Makes sure the box can take `votes` ballots with half its slots still
   * free. Call inside the transaction that casts them.
   */
  reserve(votes: number): void {
    if (votes * 2 <= this.#slots) return;
    let target = Math.max(this.#slots, FIRST_SLOTS);
    while (votes * 2 > target) target *= 2;
    const buckets = Math.ceil(target / BUCKET_SLOTS);
    for (let bucket = this.#slots / BUCKET_SLOTS; bucket < buckets; bucket++) {
      this.#stmt.add.run(bucket, BUCKET_SLOTS * SLOT_BYTES);
    }
    this.#slots = buckets * BUCKET_SLOTS;
    const taken = new Uint8Array(this.#slots / 8);
    taken.set(this.#taken);
    this.#taken = taken;
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
      if (this.#isTaken(slot)) continue;
      const receipt = slotReceipt(slot);
      this.#stmt.pend.run(slot, receipt, party);
      this.#take(slot);
      return receipt;
    }
  }

  /**
   * Writes the pending ballots over their slots, a bucket at a time, and
   * deletes them from the pending list. Call inside a transaction.
   *
   * @returns Whether there was anything to settle.
   */
  settle(): boolean {
    let bucket = -1;
    let slots: Uint8Array | undefined;
    const flush = () => {
      if (slots) this.#stmt.write.run(slots, bucket);
    };
    let any = false;
    for (const row of this.#stmt.pendingRows.iterate()) {
      any = true;
      const slot = row.slot as number;
      const parts = receiptParts(row.receipt as string);
      if (parts === null || parts.slot !== slot) {
        throw new Error(`A pending ballot's receipt does not name its slot ${slot}.`);
      }
      if (Math.floor(slot / BUCKET_SLOTS) !== bucket) {
        flush();
        bucket = Math.floor(slot / BUCKET_SLOTS);
        slots = (this.#stmt.read.get(bucket) as { slots: Uint8Array }).slots;
      }
      const at = (slot % BUCKET_SLOTS) * SLOT_BYTES;
      new DataView(slots!.buffer, slots!.byteOffset).setUint32(at, parts.tag);
      slots![at + 4] = this.#code(row.party as string);
    }
    if (!any) return false;
    flush();
    this.#stmt.unpend.run();
    return true;
  }

  #code(party: string): number {
    const code = this.#codes.get(party);
    if (code === undefined) throw new Error(`The party ${party} has no code in the ballot box.`);
    return code;
  }

  /**
   * Empties every slot in place (a cleared mock poll): the tags and parties
   * are overwritten with zeros where they were. Call inside a transaction.
   */
  empty(): void {
    this.#stmt.unpend.run();
    this.#db.prepare("UPDATE ballot_box SET slots = zeroblob(?)").run(BUCKET_SLOTS * SLOT_BYTES);
    this.#taken.fill(0);
  }

  /** Whether a receipt belongs to a cast ballot. */
  has(receipt: string): boolean {
    const parts = receiptParts(receipt);
    if (parts === null || parts.slot >= this.#slots || !this.#isTaken(parts.slot)) return false;
    if (this.#stmt.pendingHas.get(parts.slot, receipt) !== undefined) return true;
    const row = this.#stmt.read.get(Math.floor(parts.slot / BUCKET_SLOTS)) as
      | { slots: Uint8Array }
      | undefined;
    if (!row) return false;
    const at = (parts.slot % BUCKET_SLOTS) * SLOT_BYTES;
    return row.slots[at + 4] !== 0 &&
      new DataView(row.slots.buffer, row.slots.byteOffset).getUint32(at) === parts.tag;
  }

  /** Every cast ballot, settled or pending, in slot order (pending ones last). */
  *ballots(): Generator<StoredBallot> {
    for (const { bucket, slots } of this.#buckets()) {
      const view = new DataView(slots.buffer, slots.byteOffset);
      for (let i = 0; i < BUCKET_SLOTS; i++) {
        const code = slots[i * SLOT_BYTES + 4];
        if (code === 0) continue;
        yield {
          receipt: slotReceipt(bucket * BUCKET_SLOTS + i, view.getUint32(i * SLOT_BYTES)),
          party: this.#parties[code] ?? `(code ${code})`,
        };
      }
    }
    for (const row of this.#stmt.pendingRows.iterate()) {
      yield { receipt: row.receipt as string, party: row.party as string };
    }
  }

  /** Counts the ballots by party. */
  recount(partyIds: readonly string[]): Recount {
    const byCode = new Array<number>(256).fill(0);
    for (const { slots } of this.#buckets()) {
      for (let at = 4; at < slots.length; at += SLOT_BYTES) byCode[slots[at]]++;
    }
    const counts: Record<string, number> = {};
    for (const p of partyIds) counts[p] = byCode[this.#codes.get(p) ?? 0] ?? 0;
    let total = 0;
    for (let code = 1; code < 256; code++) total += byCode[code];
    for (const row of this.#stmt.pendingRows.iterate()) {
      const party = row.party as string;
      if (party in counts) counts[party]++;
      total++;
    }
    // A ballot naming no party on the ballot (written in by hand) shows as its own line.
    const known = Object.values(counts).reduce((a, b) => a + b, 0);
    if (total > known) counts["(not on the ballot)"] = total - known;
    return { counts, total };
  }

  /** The digest of the ballot list in receipt order (`ballotDigest`). */
  digest(): string {
    const list = [...this.ballots()].sort((a, b) =>
      a.receipt < b.receipt ? -1 : a.receipt > b.receipt ? 1 : 0
    );
    return ballotDigest(list);
  }
}

/**
 * Moves the ballots of a box of one row per slot (schemas 3 to 5, renamed
 * `ballot_slot_rows` by `BALLOT_BUCKETS_MIGRATION`) into the buckets of
 * `box`, then drops the old table (its pages zeroed by `secure_delete`).
 * Call inside the migration's transaction.
 */
export function migrateSlotRows(db: DatabaseSync, partyIds: readonly string[]): void {
  const { n } = db.prepare("SELECT coalesce(max(slot) + 1, 0) AS n FROM ballot_slot_rows")
    .get() as { n: number };
  const box = new BallotBox(db, partyIds);
  box.reserve(Math.ceil(n / 2));
  const pend = db.prepare("INSERT INTO ballot_pending (slot, receipt, party) VALUES (?, ?, ?)");
  for (
    const row of db.prepare(
      "SELECT slot, receipt, rtrim(party) AS party FROM ballot_slot_rows WHERE receipt <> ?",
    ).iterate(" ".repeat(14))
  ) pend.run(row.slot, row.receipt, row.party);
  db.exec("DROP TABLE ballot_slot_rows");
  box.settle();
}

/**
 * Every cast ballot in an election file (schema 6), settled or pending, in
 * slot order: for the recount tool and for tests that read a file directly.
 *
 * @param db An open election file; nothing is written to it.
 */
export function storedBallots(db: DatabaseSync): StoredBallot[] {
  return [...new BallotBox(db, []).ballots()];
}
