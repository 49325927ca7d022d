/**
 * `deno task recount [--db FILE | --database-url URL]`: counts an election
 * again from its ballots, prints the result in the shape of `GET /api/tally`,
 * and checks it against the stored counters and the audit log's close entry
 * (its result and the digest of the ballot list). Exits 0 only when all
 * agree, 1 when anything disagrees, 2 for a bad command line.
 */
import { existsSync } from "node:fs";
import { DatabaseSync } from "node:sqlite";
import postgres from "postgres";
import { auditPathFor, verifyAuditLog } from "../lib/admin/audit_log.ts";
import { lastPgEntry, verifyPgAuditLog } from "../lib/admin/pg_audit_log.ts";
import { ballotDigest, compareCounts, describeMismatches } from "../lib/store/recount.ts";
import { openTally } from "../lib/tally.ts";
import { openPublication, publishedTally } from "../lib/election/publication.ts";
import type { ClosedReason, Party } from "../lib/election/types.ts";
import { BallotSeal } from "../lib/store/ballot_seal.ts";
import { auditKey } from "../lib/admin/audit_key.ts";
import { storeArgs } from "./_store_args.ts";
import { type StoredBallot, storedBallots } from "../lib/store/sqlite/ballot_box.ts";

/** What the recount reads from an election database. */
interface Stored {
  parties: Party[];
  limit: number | null;
  status: "open" | "closed";
  closedReason: ClosedReason | null;
  counters: Record<string, number>;
  ballots: Record<string, number>;
  digest: string;
}

function tallyRows(rows: { party: string; n: number }[]): Record<string, number> {
  return Object.fromEntries(rows.map((r) => [r.party, Number(r.n)]));
}

/** The ballots of a SQLite election in receipt order, from its box (or, before schema 6, its view). */
function sqliteBallots(db: DatabaseSync): StoredBallot[] {
  const inBuckets = db.prepare(
    "SELECT 1 AS yes FROM pragma_table_info('ballot_box') WHERE name = 'bucket'",
  ).get();
  const list = inBuckets
    ? storedBallots(db)
    : db.prepare("SELECT receipt, party FROM ballots").all() as unknown as StoredBallot[];
  return list.sort((a, b) => a.receipt < b.receipt ? -1 : a.receipt > b.receipt ? 1 : 0);
}

function readSqlite(path: string): Stored {
  const db = new DatabaseSync(path);
  try {
    const e = db.prepare("SELECT vote_limit, parties, status, closed_reason FROM election").get()!;
    const counters = tallyRows(
      db.prepare("SELECT party, votes AS n FROM counts").all() as { party: string; n: number }[],
    );
    const parties = JSON.parse(e.parties as string) as Party[];
    const list = sqliteBallots(db);
    const ballots: Record<string, number> = {};
    for (const b of list) ballots[b.party] = (ballots[b.party] ?? 0) + 1;
    return {
      parties,
      limit: e.vote_limit as number | null,
      status: e.status as "open" | "closed",
      closedReason: e.closed_reason as ClosedReason | null,
      counters,
      ballots,
      digest: ballotDigest(list),
    };
  } finally {
    db.close();
  }
}

async function readPostgres(url: string): Promise<Stored> {
  const seal = new BallotSeal(auditKey());
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  try {
    const [e] = await sql`SELECT vote_limit, parties, status, closed_reason FROM election`;
    const counters: Record<string, number> = {};
    for (const row of await sql`SELECT sealed FROM tallies`) {
      for (const [party, n] of Object.entries(JSON.parse(seal.open(row.sealed)))) {
        counters[party] = (counters[party] ?? 0) + (n as number);
      }
    }
    const rows = await sql`SELECT receipt, sealed FROM ballots ORDER BY receipt COLLATE "C"`;
    const list = rows.map((r) => ({ receipt: r.receipt as string, party: seal.open(r.sealed) }));
    const ballots: Record<string, number> = {};
    for (const b of list) ballots[b.party] = (ballots[b.party] ?? 0) + 1;
    return {
      parties: JSON.parse(e.parties),
      limit: e.vote_limit,
      status: e.status,
      closedReason: e.closed_reason,
      counters,
      ballots,
      digest: ballotDigest(list),
    };
  } finally {
    await sql.end({ timeout: 1 });
  }
}

/** The problems with the audit log's record of this election, if any. */
async function auditProblems(url: string | undefined, db: string, stored: Stored) {
  const where = url ? "in the PostgreSQL database" : auditPathFor(db);
  if (!url && !existsSync(where)) return [`there is no audit log at ${where}`];
  const verdict = url ? await verifyPgAuditLog(url, auditKey()) : verifyAuditLog(where);
  if (!verdict.ok) return [`the audit log ${where} has been tampered with: ${verdict.problem}`];
  console.error(`Audit log ${where} is intact: ${verdict.count} entries, head ${verdict.head}.`);
  if (stored.status !== "closed") return [];
  const close = url ? await lastPgEntry(url, "close") : lastFileEntry(where, "close");
  if (!close) return ["the election is closed but the audit log has no close entry"];
  const detail = JSON.parse(close.detail);
  const problems: string[] = [];
  const differ = compareCounts(detail.parties ?? {}, stored.ballots);
  if (differ.length > 0) {
    problems.push(
      `the close entry (${close.seq}) records another result: ${
        differ.map((m) => `${m.party} ${m.counter} there, ${m.ballots} in the ballots`).join("; ")
      }`,
    );
  }
  if (detail.ballots !== stored.digest) {
    problems.push(
      `the ballot list's digest ${stored.digest} is not the one the close entry (${close.seq}) records (${detail.ballots})`,
    );
  }
  return problems;
}

function lastFileEntry(path: string, event: string): { seq: number; detail: string } | null {
  const log = new DatabaseSync(path, { readOnly: true });
  try {
    const row = log.prepare(
      "SELECT seq, detail FROM audit WHERE event = ? ORDER BY seq DESC LIMIT 1",
    ).get(event) as { seq: number; detail: string } | undefined;
    return row ?? null;
  } finally {
    log.close();
  }
}

const { db, url } = storeArgs("recount");
if (!url && !existsSync(db)) {
  console.error(`recount: there is no database at ${db}.`);
  Deno.exit(2);
}
let stored: Stored;
try {
  stored = url ? await readPostgres(url) : readSqlite(db);
} catch (e) {
  console.error(`recount: cannot read the election: ${(e as Error).message}`);
  Deno.exit(1);
}
const ids = stored.parties.map((p) => p.id);
const base = openTally(ids, stored.limit);
const counts = { ...base.counts, ...stored.ballots };
const total = Object.values(stored.ballots).reduce((a, b) => a + b, 0);
// Every ballot counted, whatever the results mode: as one published step of them all.
const everything = { ...openPublication("live", 1, ids), counts, step: total };
const tally = publishedTally(stored.parties, {
  ...base,
  counts,
  total,
  status: stored.status,
  closedReason: stored.closedReason,
}, everything);
console.log(JSON.stringify(tally, null, 2));
console.error(`Ballot list digest: ${stored.digest}`);

const problems: string[] = [];
const mismatches = compareCounts({ ...base.counts, ...stored.counters }, counts);
if (mismatches.length > 0) problems.push(describeMismatches(mismatches));
problems.push(...await auditProblems(url, db, stored));
if (problems.length > 0) {
  for (const p of problems) console.error(`recount: ${p}`);
  Deno.exit(1);
}
console.error("recount: the ballots, the counters and the audit log agree.");
