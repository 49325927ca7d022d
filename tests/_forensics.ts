/**
 * The adversary who holds the election's files: reads SQLite pages, cells,
 * write-ahead log frames and rollback journals byte by byte, without SQLite,
 * and tries to pair each voter in the turnout register with their ballot.
 *
 * It knows no schema: a ballot is any stored record holding a receipt code,
 * a register row any record holding a voter ID, a counter any record of a
 * party id and a number. It knows the code, though: a blob of five-byte
 * slots is read as a bucket of the ballot box (`ballot_box.ts`), its ballots
 * named by the party codes of records (code, party). Two attacks:
 * - **order**: cells are written downward from the end of their page, so
 *   their byte offsets may give the order of insertion; pair the k-th voter
 *   with the k-th ballot;
 * - **history**: a log (WAL frames, a journal's pre-images) gives earlier
 *   states of the file; a change that adds one voter and one ballot, or one
 *   voter and one counter step, pairs them.
 */

import { BUCKET_SLOTS } from "../lib/store/sqlite/ballot_box.ts";
import { slotReceipt } from "../lib/election/receipt.ts";

const RECEIPT = /^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$/;
const VOTER_ID = /^[A-Z]{3}\d{7}$/;

/** A record found on a page, where it was found. */
interface Cell {
  page: number;
  offset: number;
  values: unknown[];
}

/** What the adversary reads out of one image of a database file. */
export interface Reading {
  /** Ballots (receipt, party) in the order their cells suggest they were written. */
  ballots: { receipt: string; party: string }[];
  /** Voter IDs in the order their cells suggest they were written. */
  voters: string[];
  /** Counter values by party. */
  counters: Map<string, number>;
}

function varint(buf: Uint8Array, pos: number): [number, number] {
  let v = 0;
  for (let i = 0; i < 9; i++) {
    const b = buf[pos + i];
    if (i === 8) return [v * 256 + b, 9];
    v = v * 128 + (b & 0x7f);
    if (b < 0x80) return [v, i + 1];
  }
  return [v, 9];
}

function record(buf: Uint8Array, pos: number, end: number): unknown[] | null {
  const [headerSize, n] = varint(buf, pos);
  if (headerSize < 1 || pos + headerSize > end) return null;
  const types: number[] = [];
  for (let p = pos + n; p < pos + headerSize;) {
    const [t, m] = varint(buf, p);
    types.push(t);
    p += m;
  }
  const values: unknown[] = [];
  let p = pos + headerSize;
  const view = new DataView(buf.buffer, buf.byteOffset);
  for (const t of types) {
    if (t === 0) values.push(null);
    else if (t >= 1 && t <= 6) {
      const size = [0, 1, 2, 3, 4, 6, 8][t];
      let v = 0;
      for (let i = 0; i < size; i++) v = v * 256 + buf[p + i];
      if (buf[p] & 0x80) v -= 2 ** (8 * size);
      values.push(v);
      p += size;
    } else if (t === 7) {
      values.push(view.getFloat64(p));
      p += 8;
    } else if (t === 8 || t === 9) values.push(t - 8);
    else if (t >= 12) {
      const size = (t - 12) >> 1;
      if (p + size > end) return null;
      values.push(
        t % 2 ? new TextDecoder().decode(buf.subarray(p, p + size)) : buf.slice(p, p + size),
      );
      p += size;
    } else return null;
  }
  return p <= end ? values : null;
}

/** Every record on every b-tree page of an image, read as an adversary would (no schema). */
function cells(image: Uint8Array): Cell[] {
  const pageSize = ((image[16] << 8) | image[17]) === 1 ? 65536 : (image[16] << 8) | image[17];
  const out: Cell[] = [];
  for (let page = 1; page * pageSize <= image.length; page++) {
    const base = (page - 1) * pageSize;
    const hdr = base + (page === 1 ? 100 : 0);
    const type = image[hdr];
    if (![0x02, 0x05, 0x0a, 0x0d].includes(type)) continue;
    const n = (image[hdr + 3] << 8) | image[hdr + 4];
    const ptrs = hdr + (type === 0x02 || type === 0x05 ? 12 : 8);
    for (let i = 0; i < n; i++) {
      const offset = (image[ptrs + 2 * i] << 8) | image[ptrs + 2 * i + 1];
      if (offset < 8 || offset >= pageSize) continue;
      let p = base + offset;
      if (type === 0x05) continue; // interior table cells hold only keys
      if (type === 0x02) p += 4;
      const [size, a] = varint(image, p);
      p += a;
      let rowid: number | null = null;
      if (type === 0x0d) {
        const [r, b] = varint(image, p);
        rowid = r;
        p += b;
      }
      const values = record(image, p, Math.min(p + size, base + pageSize));
      if (values) out.push({ page, offset, values: rowid === null ? values : [rowid, ...values] });
    }
  }
  return out;
}

/**
 * Reads the ballots, the voters and the counters out of a database image.
 *
 * @param image The bytes of a SQLite main file.
 * @param parties The party ids on the ballot.
 */
export function read(image: Uint8Array, parties: readonly string[]): Reading {
  const all = cells(image);
  // Physical order of writing: by page, then from the end of the page downward.
  all.sort((a, b) => a.page - b.page || b.offset - a.offset);
  const isParty = (v: unknown) => typeof v === "string" && parties.includes(v.trim());
  const ballots: Reading["ballots"] = [];
  const voters: string[] = [];
  const counters = new Map<string, number>();
  const seenReceipts = new Set<string>();
  const seenVoters = new Set<string>();
  // Party codes of the box: records (code, null, party id).
  const codes = new Map<number, string>();
  for (const { values } of all) {
    if (values.length === 3 && typeof values[0] === "number" && values[1] === null) {
      if (isParty(values[2])) codes.set(values[0], (values[2] as string).trim());
    }
  }
  for (const { values } of all) {
    const bucket = values.find((v) => v instanceof Uint8Array && v.length === BUCKET_SLOTS * 5);
    if (bucket instanceof Uint8Array && typeof values[0] === "number") {
      const view = new DataView(bucket.buffer, bucket.byteOffset);
      for (let i = 0; i < BUCKET_SLOTS; i++) {
        const party = codes.get(bucket[i * 5 + 4]);
        if (!party) continue;
        const receipt = slotReceipt(values[0] * BUCKET_SLOTS + i, view.getUint32(i * 5));
        if (seenReceipts.has(receipt)) continue;
        seenReceipts.add(receipt);
        ballots.push({ receipt, party });
      }
      continue;
    }
    if (values.length === 3 && values[1] === null && codes.get(values[0] as number)) continue;
    const receipt = values.find((v) => typeof v === "string" && RECEIPT.test(v)) as string;
    const party = values.find(isParty) as string | undefined;
    const voter = values.find((v) => typeof v === "string" && VOTER_ID.test(v)) as string;
    if (receipt && party && !seenReceipts.has(receipt)) {
      seenReceipts.add(receipt);
      ballots.push({ receipt, party: party.trim() });
    } else if (voter && !seenVoters.has(voter)) {
      seenVoters.add(voter);
      voters.push(voter);
    } else if (!receipt && !voter && party && values.length <= 4) {
      // The last number: a rowid table's record starts with its rowid.
      const n = values.findLast((v) => typeof v === "number") as number | undefined;
      if (n !== undefined) counters.set(party.trim(), (counters.get(party.trim()) ?? 0) + n);
    }
  }
  return { ballots, voters, counters };
}

/**
 * Where the counter records (a party id and a number) sit in an image, as
 * `page:offset party`, in file order: the cells of rows SQLite moved (a row
 * that grows is written again elsewhere on its page) give the order in which
 * they moved.
 */
export function counterCells(image: Uint8Array, parties: readonly string[]): string[] {
  return cells(image)
    .filter(({ values }) =>
      values.length <= 3 && values[1] !== null &&
      values.some((v) => typeof v === "string" && parties.includes(v)) &&
      values.some((v) => typeof v === "number")
    )
    .sort((a, b) => a.page - b.page || a.offset - b.offset)
    .map(({ page, offset, values }) =>
      `${page}:${offset} ${values.find((v) => typeof v === "string")}`
    );
}

/** The pages of an image that hold a bucket of the ballot box (a cell with a blob of the bucket's size). */
export function bucketPages(image: Uint8Array): Set<number> {
  return new Set(
    cells(image)
      .filter(({ values }) =>
        values.some((v) => v instanceof Uint8Array && v.length === BUCKET_SLOTS * 5)
      )
      .map(({ page }) => page),
  );
}

/**
 * The page numbers a write-ahead log's index (the `-shm` file) lists, frame
 * by frame: which pages the log's commits wrote, in order. Its first block
 * follows a 136-byte header, one 32-bit number (native order) per frame.
 */
export function shmPages(shm: Uint8Array): number[] {
  const pages: number[] = [];
  const view = new DataView(shm.buffer, shm.byteOffset);
  for (let at = 136; at + 4 <= Math.min(shm.length, 136 + 4062 * 4); at += 4) {
    const page = view.getUint32(at, true);
    if (page !== 0) pages.push(page);
  }
  return pages;
}

function pageSizeOf(image: Uint8Array): number {
  const v = (image[16] << 8) | image[17];
  return v === 1 ? 65536 : v;
}

function withPage(image: Uint8Array, pageSize: number, page: number, data: Uint8Array) {
  const size = Math.max(image.length, page * pageSize);
  const next = new Uint8Array(size);
  next.set(image);
  next.set(data.subarray(0, pageSize), (page - 1) * pageSize);
  return next;
}

/**
 * The states a write-ahead log lets one replay: the main file, then the file
 * after each commit recorded in the log (stale frames included).
 */
export function walHistory(main: Uint8Array, wal: Uint8Array): Uint8Array[] {
  if (wal.length < 32 || main.length < 100) return [main];
  const view = new DataView(wal.buffer, wal.byteOffset);
  const pageSize = view.getUint32(8) || pageSizeOf(main);
  const states = [main];
  let image = main;
  for (let off = 32; off + 24 + pageSize <= wal.length; off += 24 + pageSize) {
    const page = view.getUint32(off);
    if (page === 0) continue;
    image = withPage(image, pageSize, page, wal.subarray(off + 24, off + 24 + pageSize));
    if (view.getUint32(off + 4) !== 0) states.push(image);
  }
  return states;
}

/** The state a rollback journal restores (its pre-images laid over the main file), then the main file. */
export function journalHistory(main: Uint8Array, journal: Uint8Array): Uint8Array[] {
  if (journal.length < 28 || main.length < 100) return [main];
  const view = new DataView(journal.buffer, journal.byteOffset);
  const sector = view.getUint32(20) || 512;
  const pageSize = view.getUint32(24) || pageSizeOf(main);
  let image = main;
  for (let off = sector; off + 8 + pageSize <= journal.length; off += 8 + pageSize) {
    const page = view.getUint32(off);
    if (page === 0) break;
    image = withPage(image, pageSize, page, journal.subarray(off + 4, off + 4 + pageSize));
  }
  return image === main ? [main] : [image, main];
}

/** What the adversary claims: voter → party, and voter → receipt. */
export interface Links {
  parties: Map<string, string>;
  receipts: Map<string, string>;
}

/** Pairs the k-th voter written with the k-th ballot written. */
export function linkByOrder(r: Reading): Links {
  const links: Links = { parties: new Map(), receipts: new Map() };
  r.voters.forEach((voter, k) => {
    const b = r.ballots[k];
    if (!b) return;
    links.parties.set(voter, b.party);
    links.receipts.set(voter, b.receipt);
  });
  return links;
}

/** Pairs a voter added between two states with the one ballot, or the one counter step, added with them. */
export function linkByHistory(states: Uint8Array[], parties: readonly string[]): Links {
  const links: Links = { parties: new Map(), receipts: new Map() };
  const readings = states.map((s) => read(s, parties));
  for (let i = 1; i < readings.length; i++) {
    const [before, after] = [readings[i - 1], readings[i]];
    const oldVoters = new Set(before.voters);
    const newVoters = after.voters.filter((v) => !oldVoters.has(v));
    if (newVoters.length !== 1) continue;
    const oldReceipts = new Set(before.ballots.map((b) => b.receipt));
    const newBallots = after.ballots.filter((b) => !oldReceipts.has(b.receipt));
    const stepped = parties.filter((p) =>
      (after.counters.get(p) ?? 0) > (before.counters.get(p) ?? 0)
    );
    if (newBallots.length === 1) {
      links.parties.set(newVoters[0], newBallots[0].party);
      links.receipts.set(newVoters[0], newBallots[0].receipt);
    } else if (stepped.length === 1) links.parties.set(newVoters[0], stepped[0]);
  }
  return links;
}

/** How many of the adversary's claims are right. */
export function score(
  links: Links,
  truth: Map<string, { party: string; receipt: string }>,
): { parties: number; receipts: number; claims: number } {
  let parties = 0, receipts = 0;
  for (const [voter, party] of links.parties) if (truth.get(voter)?.party === party) parties++;
  for (const [voter, receipt] of links.receipts) {
    if (truth.get(voter)?.receipt === receipt) receipts++;
  }
  return { parties, receipts, claims: links.parties.size };
}

/** Reads a file, or an empty array when it does not exist. */
export async function readOrEmpty(path: string): Promise<Uint8Array> {
  try {
    return await Deno.readFile(path);
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return new Uint8Array();
    throw e;
  }
}

/**
 * How many parties a pairing by chance gets right, at most, as a bound a
 * test can hold to without failing by bad luck: the best of 20,000 random
 * pairings of these voters with these ballots, plus two (with 40 voters and
 * four parties, about four and a half standard deviations above the mean:
 * chance passes it about once in a million runs). A real leak of the order
 * gives nearly every voter's party, far above it. The 99.9th percentile used
 * before was passed by chance once in some hundred CI runs (20 against 19).
 */
export function chanceBound(
  r: Reading,
  truth: Map<string, { party: string; receipt: string }>,
): number {
  const parties = r.ballots.map((b) => b.party);
  let best = 0;
  for (let round = 0; round < 20_000; round++) {
    for (let i = parties.length - 1; i > 0; i--) {
      const j = Math.floor(Math.random() * (i + 1));
      [parties[i], parties[j]] = [parties[j], parties[i]];
    }
    best = Math.max(best, r.voters.filter((v, k) => truth.get(v)?.party === parties[k]).length);
  }
  return best + 2;
}
