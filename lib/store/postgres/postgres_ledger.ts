/**
 * The election in PostgreSQL: one batch of operations per transaction. The
 * election row is locked FOR SHARE by casts (so an admin close, which locks
 * it FOR UPDATE, waits for them and every later cast sees it), and FOR UPDATE
 * when a limit is set or the batch closes, so that no two instances can both
 * take the last places under the limit, or when the batch is expected to
 * complete a step. A step is published under FOR UPDATE only (by such a
 * batch, or by `publishDue` after a batch that completed one unexpectedly),
 * so it is one election-wide decision.
 */
import type postgres from "postgres";
import type { ElectionSettings } from "../../election/election_config.ts";
import type { BatchOutcome, LedgerOp } from "../batched_store.ts";
import * as ledger from "../ledger.ts";
import { turnoutEntry, type TurnoutQuery, type TurnoutRow } from "../store.ts";
import type { TallyState } from "../../tally.ts";
import type { Ballot, TurnoutEntry } from "../../election/types.ts";
import {
  advancePublication,
  pendingStep,
  type Publication,
  publicationFromRow,
  type PublicationRow,
} from "../../election/publication.ts";
import type { RollInfo } from "../../election/roll.ts";
import { VoteError } from "../../election/errors.ts";
import { admitBatch, readPostgresRoll } from "./postgres_roll.ts";
import type { BallotSeal } from "../ballot_seal.ts";
import { TALLY_SHARDS } from "./postgres_schema.ts";

/** The election's settings, with the seal its ballots and counters are stored under. */
export type SealedSettings = ElectionSettings & { seal: BallotSeal };

/** Where a read runs: the pool, or a transaction to see its own writes. */
export type Query = postgres.Sql | postgres.TransactionSql;

/** The counting state and the publication, as one read saw them. */
export interface Stored {
  /** The counting state. */
  state: TallyState;
  /** The publication. */
  publication: Publication;
}

/** A counter row as read: its shard and its sealed vector of every party's count. */
interface TallyRow {
  shard: number;
  sealed: Uint8Array;
}

/** The election row's columns that `readStored` reads. */
type StoredElectionRow = ledger.ElectionRow & PublicationRow;

/**
 * The two reads of `readStored`, sent at once and not awaited: in a
 * transaction they travel in one write with the statements around them.
 */
function storedReads(sql: Query) {
  return [
    sql<StoredElectionRow[]>`SELECT status, closed_reason, phase,
      day_revision::float8 AS day_revision, results_mode,
      step_size, step::float8 AS step, published FROM election WHERE id = 1`.execute(),
    sql<TallyRow[]>`SELECT shard, sealed FROM tallies`.execute(),
  ] as const;
}

/** A counter row's vector, opened (`openRemembered`: most rows are as the last read saw them). */
function openVector(seal: BallotSeal, sealed: Uint8Array): Record<string, number> {
  return JSON.parse(seal.openRemembered(sealed));
}

/** The state and the publication from the election row and every counter row. */
function storedFrom(
  settings: SealedSettings,
  election: StoredElectionRow,
  tallies: readonly TallyRow[],
): Stored {
  // Sealed vectors of every party's count, opened and added up.
  const counts = tallies.flatMap((row) =>
    Object.entries(openVector(settings.seal, row.sealed)).map(([party, votes]) => ({
      party,
      votes,
    }))
  );
  return {
    state: ledger.stateFromRows(settings, election, counts),
    publication: publicationFromRow(settings, election),
  };
}

/**
 * Reads the counting state (counters summed over their rows, and the status)
 * and the publication (the last published step).
 *
 * @param sql A pool or transaction.
 * @param settings The election's settings.
 * @returns Both as committed (as this transaction sees them).
 * @example
 * ```ts ignore
 * // Illustrative: it needs a running PostgreSQL (tests/postgres_store_test.ts runs it).
 * import { readStored } from "./postgres_ledger.ts";
 * (await readStored(sql, settings)).state.total; // 0 in a new election
 * ```
 */
export async function readStored(sql: Query, settings: SealedSettings): Promise<Stored> {
  const [election, tallies] = await Promise.all(storedReads(sql));
  return storedFrom(settings, election[0], tallies);
}

/**
 * Runs `work` as one transaction on a connection of its own. `work` sends
 * `BEGIN` itself, together with its first statements, and `COMMIT` with its
 * last ones: a batch costs two or three writes to the socket instead of one
 * per statement (the driver sends the statements queued in one turn of the
 * event loop at once, and PostgreSQL runs them in order). Each statement
 * still takes its own snapshot when it starts, after the locks of the
 * statements before it are granted. On any failure the transaction is rolled
 * back (after a `COMMIT` that ran, the `ROLLBACK` only warns), and a
 * statement after a failed one fails too, so a `COMMIT` sent behind a failed
 * statement commits nothing.
 */
async function transaction<T>(
  sql: postgres.Sql,
  work: (tx: postgres.ReservedSql) => Promise<T>,
): Promise<T> {
  const tx = await sql.reserve();
  // A connection that closed goes back to the pool by itself (to be opened again): released
  // as well, the pool would hand it out as open.
  let closed = false;
  try {
    return await work(tx);
  } catch (e) {
    closed = connectionLost(e) || await tx`ROLLBACK`.then(() => false, () => true);
    throw e;
  } finally {
    if (!closed) tx.release();
  }
}

/** Whether an error says the connection itself failed (the driver's or the socket's). */
function connectionLost(e: unknown): boolean {
  const code = String((e as { code?: unknown })?.code ?? "");
  return /^CONNECTION_|^E[A-Z]{3,}$/.test(code); // no SQLSTATE class starts with E
}

/** Publishes the next step if it is due, once the election row is held FOR UPDATE. */
function publicationAfter(stored: Stored): Publication | null {
  const publication = advancePublication(stored.publication, stored.state);
  return publication === stored.publication ? null : publication;
}

/** The statement that records a published step. */
function publishStatement(tx: postgres.ReservedSql, publication: Publication) {
  return tx`UPDATE election SET step = ${publication.step},
    published = ${JSON.stringify(publication.counts)} WHERE id = 1`.execute();
}

/**
 * Publishes the next step if it is due, for the whole election. It locks
 * the election row FOR UPDATE, so it waits until every batch that holds the
 * shared lock (on any instance) has committed: the counts it then reads hold
 * exactly the votes of the voters registered with the pending step, and no
 * batch registers a voter with that step afterwards. The reads are sent with
 * the lock but run after it is granted (each statement's own snapshot).
 *
 * @param sql The pool.
 * @param settings The election's settings.
 * @returns The state and the publication after it.
 * @example
 * ```ts ignore
 * // Illustrative: it needs a running PostgreSQL (tests/postgres_store_test.ts runs it).
 * import { publishDue } from "./postgres_ledger.ts";
 * (await publishDue(sql, settings)).publication.step; // 1 once ten votes are in
 * ```
 */
export function publishDue(sql: postgres.Sql, settings: SealedSettings): Promise<Stored> {
  return transaction(sql, async (tx) => {
    const [, , election, tallies] = await Promise.all([
      tx`BEGIN`.execute(),
      tx`SELECT 1 FROM election WHERE id = 1 FOR UPDATE`.execute(),
      ...storedReads(tx),
    ]);
    const stored = storedFrom(settings, election[0], tallies);
    const publication = publicationAfter(stored);
    if (!publication) {
      await tx`COMMIT`;
      return stored;
    }
    await Promise.all([publishStatement(tx, publication), tx`COMMIT`.execute()]);
    return { state: stored.state, publication };
  });
}

/** The shard the next batch of this process rewrites: in turn, so that its batches in flight differ. */
let nextShard = Math.floor(Math.random() * TALLY_SHARDS);

/** Cast batches' new voters, once each, in one lock order for every instance. */
function sortedVoters(ballots: Ballot[]): Ballot[] {
  return ballots.sort((a, b) => a.voterId < b.voterId ? -1 : 1);
}

/**
 * Inserts the new voters' register rows with the pending step; the unique key
 * says who voted already. `takes`: only while votes may be taken (SQL of the
 * election row when the batch holds only casts, so it travels with the reads).
 */
function registerVoters(
  tx: postgres.ReservedSql,
  voters: Ballot[],
  step: number | null,
): postgres.PendingQuery<postgres.Row[]> {
  const columns = tx`unnest(${voters.map((b) => b.voterId)}::text[], ${
    voters.map((b) => b.name)
  }::text[], ${voters.map((b) => b.age)}::int[], ${voters.map((b) => b.address)}::text[])`;
  return (step === null
    // Votes are taken while voting is open or a mock poll runs (`applyVote`).
    ? tx`INSERT INTO turnout (voter_id, name, age, address, step)
      SELECT v.*, e.step + 1 FROM ${columns} AS v, election e
      WHERE e.id = 1 AND e.status = 'open' AND e.phase <> 'pending'
      ON CONFLICT (voter_id) DO NOTHING RETURNING voter_id`
    : tx`INSERT INTO turnout (voter_id, name, age, address, step)
      SELECT *, ${step}::bigint FROM ${columns}
      ON CONFLICT (voter_id) DO NOTHING RETURNING voter_id`).execute();
}

/**
 * Applies operations in order in one transaction; the results hold for the
 * committed state only, so the caller acknowledges after this resolves.
 *
 * A batch of casts without a roll costs two writes to PostgreSQL: `BEGIN`,
 * the election row's lock, the counter row's lock, the reads and the new
 * voters' register rows; then the ballots, the counter row, the reads of the
 * state after and `COMMIT`. A receipt taken already (one chance in 2^60)
 * fails the batch, which the store runs again with new receipts.
 *
 * @param sql The pool.
 * @param ops The operations, in arrival order.
 * @param options The settings (with the seal), the number of counter rows to spread over, the
 *   roll; `findRoll`: read the roll inside the transaction instead (until an instance knows
 *   whether the election has one: another may import it before the first vote); `publishing`:
 *   the batch is likely to complete a step, so it takes the election's lock FOR UPDATE and
 *   publishes the step itself (as a batch with a limit or an operation other than a cast does).
 * @returns One result per operation, and the state after the commit.
 * @example
 * ```ts ignore
 * // Illustrative: it needs a running PostgreSQL (tests/postgres_store_test.ts runs it).
 * import { applyBatch } from "./postgres_ledger.ts";
 * await applyBatch(sql, [{ kind: "close", reason: "admin" }], { settings, shards: 16 });
 * ```
 */
export function applyBatch(
  sql: postgres.Sql,
  ops: readonly LedgerOp[],
  options: {
    settings: SealedSettings;
    shards: number;
    roll?: RollInfo | null;
    findRoll?: boolean;
    publishing?: boolean;
  },
): Promise<BatchOutcome> {
  const { settings } = options;
  const shards = Math.min(options.shards, TALLY_SHARDS);
  const shard = nextShard++ % shards;
  const exclusive = options.publishing || settings.limit !== null ||
    ops.some((op) => op.kind !== "cast");
  // Without a roll, a batch of casts registers its voters with the reads (no cast's
  // details depend on them): by party on the ballot, each voter ID once.
  const direct = !options.findRoll && !options.roll && ops.every((op) => op.kind === "cast");
  const onBallot = new Set(settings.parties.map((p) => p.id));
  // Every cast's ballot is sealed before the transaction, not while it holds its locks.
  const sealed = ops.map((op) =>
    op.kind === "cast" && onBallot.has(op.ballot.party)
      ? Buffer.from(settings.seal.seal(op.ballot.party)).toString("hex")
      : ""
  );
  return transaction(sql, async (tx) => {
    const seen = new Set<string>();
    const directVoters = direct
      ? sortedVoters(ops.flatMap((op) => {
        if (op.kind !== "cast" || seen.has(op.ballot.voterId)) return [];
        if (!onBallot.has(op.ballot.party)) return [];
        seen.add(op.ballot.voterId);
        return [op.ballot];
      }))
      : [];
    // Sent together; each runs once the lock before it is granted, so it reads the state as
    // committed then (never a snapshot taken before a lock wait). No step is published while
    // the election's lock is held, so the pending step stays the same.
    const [, , , election, tallies, directRows] = await Promise.all([
      tx`BEGIN`.execute(),
      (exclusive
        ? tx`SELECT 1 FROM election WHERE id = 1 FOR UPDATE`
        : tx`SELECT 1 FROM election WHERE id = 1 FOR SHARE`).execute(),
      // The counter row this batch adds to, locked before its voters' rows (one order for all).
      tx`SELECT 1 FROM tallies WHERE shard = ${shard} FOR UPDATE`.execute(),
      ...storedReads(tx),
      directVoters.length > 0 ? registerVoters(tx, directVoters, null) : [],
    ]);
    const { state: before, publication: published } = storedFrom(settings, election[0], tallies);
    const step = pendingStep(published);
    // Read under the election's lock, which a roll import holds until its commit.
    const found = options.findRoll ? await readPostgresRoll(tx) : undefined;
    const roll = found === undefined ? options.roll : found;
    // With a roll, each cast is checked against it and takes the roll's details.
    const admitted = roll
      ? await admitBatch(tx, ops.map((op) => op.kind === "cast" ? op : null), roll.codes)
      : null;
    const registered = new Set<string>();
    for (const r of directRows) registered.add(r.voter_id);
    if (!direct) {
      const candidates = sortedVoters(ops.flatMap((op, i) => {
        if (op.kind !== "cast" || seen.has(op.ballot.voterId)) return [];
        if (!Object.hasOwn(before.counts, op.ballot.party)) return [];
        const ballot = admitted ? admitted[i] : op.ballot;
        if (!ballot || ballot instanceof VoteError) return [];
        seen.add(op.ballot.voterId);
        return [ballot];
      }));
      // Votes may be taken if voting is open or a mock poll runs, or opens in this batch
      // (its votes behind an opening were refused as already cast: no register row for them).
      const takes = before.status === "open" || before.mock ||
        ops.some((op) => op.kind === "open" || op.kind === "mock");
      if (takes && candidates.length > 0) {
        for (const r of await registerVoters(tx, candidates, step)) registered.add(r.voter_id);
      }
    }
    const plan = ledger.planBatch(before, ops, (b, index) => {
      const admission = admitted?.[index];
      if (admission instanceof VoteError) throw admission;
      return registered.delete(b.voterId);
    });
    const writes: Promise<unknown>[] = [];
    // Voters registered above whose vote came after the close are struck off again.
    if (registered.size > 0) {
      writes.push(tx`DELETE FROM turnout WHERE voter_id = ANY(${[...registered]})`.execute());
    }
    const receipts = plan.accepted.length > 0 ? storeBallots(tx, plan.accepted, sealed) : null;
    if (receipts) writes.push(receipts.stored);
    let clearedBy: string | undefined;
    if (plan.cleared) {
      await Promise.all(writes.splice(0));
      clearedBy = await clearVotes(tx, settings);
    } else if (plan.accepted.length > 0) {
      // One sealed vector of every party's count per row: the row a commit rewrites names no party.
      const row = tallies.find((t) => t.shard === shard);
      if (!row) throw new Error(`The counter row ${shard} is missing.`);
      const vector = openVector(settings.seal, row.sealed);
      for (const [party, added] of ledger.countChanges(before, plan.state)) {
        vector[party] = (vector[party] ?? 0) + added;
      }
      writes.push(
        tx`UPDATE tallies SET sealed = ${
          settings.seal.sealRemembered(JSON.stringify(vector))
        } WHERE shard = ${shard}`.execute(),
      );
    }
    if (plan.dayChanged) {
      writes.push(tx`UPDATE election SET phase = ${ledger.phaseOf(plan.state)},
        day_revision = ${plan.state.revision ?? 0} WHERE id = 1`.execute());
    }
    if (plan.closedBy) {
      writes.push(tx`UPDATE election SET status = 'closed', closed_reason = ${plan.closedBy},
        closed_at = now() WHERE id = 1`.execute());
    }
    let stored: Stored;
    if (exclusive) {
      // Under FOR UPDATE no other transaction changes the counters or the election row
      // meanwhile: the state after the batch is the one it writes, and the batch publishes the
      // step it completes. (Under the shared lock a step is never published: that would mean
      // upgrading the lock, which deadlocks with other batches doing the same; `publishDue`
      // does it next, in a transaction of its own.)
      const base = plan.cleared
        ? { ...published, step: 0, counts: zeroCounts(settings) }
        : published;
      const publication = advancePublication(base, plan.state);
      if (publication !== base) writes.push(publishStatement(tx, publication));
      await Promise.all([...writes, tx`COMMIT`.execute()]);
      stored = { state: writtenState(settings, election[0], plan), publication };
    } else {
      // The state after the batch, read behind its writes, with the COMMIT: other instances'
      // batches may have committed meanwhile, and completed a step.
      const [[electionAfter, talliesAfter]] = await Promise.all([
        Promise.all(storedReads(tx)),
        tx`COMMIT`.execute(),
        ...writes,
      ]);
      stored = storedFrom(settings, electionAfter[0], talliesAfter);
    }
    const results = receipts ? ledger.withReceipts(plan, receipts.draw.receipts) : plan.results;
    return { results, roll: found, ...stored, clearedBy };
  });
}

/**
 * The counting state a batch leaves, as reading it back would give: the
 * election row as the batch found and updated it, and its counts.
 */
function writtenState(
  settings: SealedSettings,
  found: StoredElectionRow,
  plan: ledger.BatchPlan,
): TallyState {
  const row: StoredElectionRow = {
    ...found,
    ...(plan.dayChanged
      ? { phase: ledger.phaseOf(plan.state), day_revision: plan.state.revision ?? 0 }
      : {}),
    ...(plan.closedBy ? { status: "closed" as const, closed_reason: plan.closedBy } : {}),
  };
  const counts = Object.entries(plan.state.counts).map(([party, votes]) => ({ party, votes }));
  return ledger.stateFromRows(settings, row, counts);
}

/**
 * Inserts the accepted ballots, sealed before the transaction, in random
 * order (`ReceiptDraw`), sent with the batch's last statements. Sealed bytes
 * travel as hex text: the driver sends no bytea arrays.
 */
function storeBallots(
  tx: postgres.ReservedSql,
  accepted: readonly { index: number; party: string }[],
  sealed: readonly string[],
) {
  const draw = new ledger.ReceiptDraw(accepted.map((a) => a.party));
  const place = new Map(draw.receipts.map((receipt, i) => [receipt, accepted[i].index]));
  const rows = draw.pending();
  const stored = tx`INSERT INTO ballots (receipt, sealed)
    SELECT r, decode(h, 'hex') FROM unnest(${rows.map((r) => r.receipt)}::text[], ${
    rows.map((r) => sealed[place.get(r.receipt)!])
  }::text[]) AS b (r, h)`.execute();
  return { draw, stored };
}

/**
 * Removes every vote (a mock poll's): register rows, ballots, every counter
 * row back to zero and the publication to step 0. The store then rewrites
 * the tables (`VACUUM FULL`) so that no dead row keeps them.
 *
 * @returns This transaction's id (32 bits, as `backend_xmin` shows them).
 */
async function clearVotes(tx: postgres.ReservedSql, settings: SealedSettings): Promise<string> {
  await tx`DELETE FROM turnout`;
  await tx`DELETE FROM ballots`;
  const zero = JSON.stringify(zeroCounts(settings));
  for (let shard = 0; shard < TALLY_SHARDS; shard++) {
    await tx`UPDATE tallies SET sealed = ${settings.seal.seal(zero)} WHERE shard = ${shard}`;
  }
  await tx`UPDATE election SET step = 0, published = ${zero} WHERE id = 1`;
  const [{ xid }] =
    await tx`SELECT (pg_current_xact_id()::text::numeric % 4294967296)::text AS xid`;
  return xid;
}

/** Every party at zero votes. */
function zeroCounts(settings: SealedSettings): Record<string, number> {
  return Object.fromEntries(settings.parties.map((p) => [p.id, 0]));
}

/** The tables a cleared mock poll leaves dead rows in. */
export const MOCK_POLL_TABLES = ["turnout", "ballots", "tallies", "election"] as const;

/**
 * Reads the register of the published steps (every step once closed), by
 * step and then voter ID.
 *
 * @param sql The pool.
 * @param query Paging and search.
 * @returns The entries, never a party.
 * @example
 * ```ts ignore
 * // Illustrative: it needs a running PostgreSQL (tests/postgres_store_test.ts runs it).
 * import { readTurnout } from "./postgres_ledger.ts";
 * await readTurnout(sql, { search: "pillai" });
 * ```
 */
export async function readTurnout(sql: Query, query: TurnoutQuery): Promise<TurnoutEntry[]> {
  const { after, limit, like, newestFirst } = ledger.registerQuery(query);
  const order = newestFirst ? sql`step DESC, voter_id` : sql`step, voter_id`;
  const rows = await sql`SELECT step::float8 AS step, voter_id, name, age, address
    FROM turnout WHERE step <= (SELECT CASE WHEN status = 'closed' OR phase = 'mock'
        THEN ${Number.MAX_SAFE_INTEGER}
        ELSE step END FROM election WHERE id = 1)
      AND (step, voter_id) > (${after.step}::bigint, ${after.voterId}::text)
      AND (${like}::text IS NULL
      OR voter_id ILIKE ${like} OR name ILIKE ${like} OR address ILIKE ${like})
    ORDER BY ${order} LIMIT ${limit}`;
  return (rows as unknown as TurnoutRow[]).map(turnoutEntry);
}
