/**
 * The election in PostgreSQL: one batch of operations per transaction. The
 * election row is locked FOR SHARE by casts (so an admin close, which locks
 * it FOR UPDATE, waits for them and every later cast sees it), and FOR UPDATE
 * when a limit is set or the batch closes, so that no two instances can both
 * take the last places under the limit. A step is published under FOR UPDATE
 * only (`publishDue`), so it is one election-wide decision.
 */
import type postgres from "postgres";
import type { ElectionSettings } from "../../election/election_config.ts";
import type { BatchOutcome, LedgerOp } from "../batched_store.ts";
import * as ledger from "../ledger.ts";
import { turnoutEntry, type TurnoutQuery, type TurnoutRow } from "../store.ts";
import type { TallyState } from "../../tally.ts";
import type { TurnoutEntry } from "../../election/types.ts";
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
  const [election, rows] = await Promise.all([
    sql<(ledger.ElectionRow & PublicationRow)[]>`SELECT status, closed_reason, phase,
      day_revision::float8 AS day_revision, results_mode,
      step_size, step::float8 AS step, published FROM election WHERE id = 1`,
    sql`SELECT sealed FROM tallies`,
  ]);
  // Sealed vectors of every party's count, opened and added up.
  const counts = rows.flatMap((row) =>
    Object.entries(JSON.parse(settings.seal.openRemembered(row.sealed)) as Record<string, number>)
      .map(([party, votes]) => ({ party, votes }))
  );
  return {
    state: ledger.stateFromRows(settings, election[0], counts),
    publication: publicationFromRow(settings, election[0]),
  };
}

/** Publishes the next step if it is due; the caller holds the election row FOR UPDATE. */
async function publishIn(tx: postgres.TransactionSql, settings: SealedSettings): Promise<Stored> {
  const stored = await readStored(tx, settings);
  const publication = advancePublication(stored.publication, stored.state);
  if (publication === stored.publication) return stored;
  await tx`UPDATE election SET step = ${publication.step},
    published = ${JSON.stringify(publication.counts)} WHERE id = 1`;
  return { state: stored.state, publication };
}

/**
 * Publishes the next step if it is due, for the whole election. It locks
 * the election row FOR UPDATE, so it waits until every batch that holds the
 * shared lock (on any instance) has committed: the counts it then reads hold
 * exactly the votes of the voters registered with the pending step, and no
 * batch registers a voter with that step afterwards.
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
  return sql.begin(async (tx) => {
    await tx`SELECT 1 FROM election WHERE id = 1 FOR UPDATE`;
    return await publishIn(tx, settings);
  }) as Promise<Stored>;
}

/**
 * Inserts the accepted ballots, sealed, in random order, drawing a new
 * receipt for any taken one. Sealed bytes travel as hex text: the driver
 * sends no bytea arrays.
 */
async function storeBallots(
  tx: postgres.TransactionSql,
  parties: string[],
  seal: BallotSeal,
): Promise<string[]> {
  const draw = new ledger.ReceiptDraw(parties);
  for (let rows = draw.pending(); rows.length > 0; rows = draw.pending()) {
    const sealed = rows.map((r) => Buffer.from(seal.seal(r.party)).toString("hex"));
    const stored = await tx`INSERT INTO ballots (receipt, sealed)
      SELECT r, decode(h, 'hex') FROM unnest(${
      rows.map((r) => r.receipt)
    }::text[], ${sealed}::text[]) AS b (r, h)
      ON CONFLICT DO NOTHING RETURNING receipt`;
    draw.stored(stored.map((r) => r.receipt));
  }
  return draw.receipts;
}

/**
 * Applies operations in order in one transaction; the results hold for the
 * committed state only, so the caller acknowledges after this resolves.
 *
 * @param sql The pool.
 * @param ops The operations, in arrival order.
 * @param options The settings (with the seal), the number of counter rows to spread over, the
 *   roll; `findRoll`: read the roll inside the transaction instead (until an instance knows
 *   whether the election has one: another may import it before the first vote).
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
  options: { settings: SealedSettings; shards: number; roll?: RollInfo | null; findRoll?: boolean },
): Promise<BatchOutcome> {
  const { settings } = options;
  const shards = Math.min(options.shards, TALLY_SHARDS);
  const exclusive = settings.limit !== null || ops.some((op) => op.kind !== "cast");
  return sql.begin(async (tx) => {
    await (exclusive
      ? tx`SELECT 1 FROM election WHERE id = 1 FOR UPDATE`
      : tx`SELECT 1 FROM election WHERE id = 1 FOR SHARE`);
    // No step is published while this lock is held, so the pending step stays the same.
    const { state: before, publication: published } = await readStored(tx, settings);
    const step = pendingStep(published);
    // Read under the election's lock, which a roll import holds until its commit.
    const found = options.findRoll ? await readPostgresRoll(tx) : undefined;
    const roll = found === undefined ? options.roll : found;
    // With a roll, each cast is checked against it and takes the roll's details.
    const admitted = roll
      ? await admitBatch(tx, ops.map((op) => op.kind === "cast" ? op : null), roll.codes)
      : null;
    // Register every new voter at once; the unique key says who voted already.
    const seen = new Set<string>();
    const candidates = ops.flatMap((op, i) => {
      if (op.kind !== "cast" || seen.has(op.ballot.voterId)) return [];
      if (!Object.hasOwn(before.counts, op.ballot.party)) return [];
      const ballot = admitted ? admitted[i] : op.ballot;
      if (!ballot || ballot instanceof VoteError) return [];
      seen.add(op.ballot.voterId);
      return [ballot];
    }).sort((a, b) => a.voterId < b.voterId ? -1 : 1); // one lock order for every instance
    const registered = new Set<string>();
    // Votes may be taken if voting is open or a mock poll runs, or opens in this batch
    // (its votes behind an opening were refused as already cast: no register row for them).
    const takes = before.status === "open" || before.mock ||
      ops.some((op) => op.kind === "open" || op.kind === "mock");
    if (takes && candidates.length > 0) {
      const rows = await tx`INSERT INTO turnout (voter_id, name, age, address, step)
        SELECT *, ${step}::bigint FROM unnest(${candidates.map((b) => b.voterId)}::text[], ${
        candidates.map((b) => b.name)
      }::text[], ${candidates.map((b) => b.age)}::int[], ${
        candidates.map((b) => b.address)
      }::text[])
        ON CONFLICT (voter_id) DO NOTHING RETURNING voter_id`;
      for (const r of rows) registered.add(r.voter_id);
    }
    const plan = ledger.planBatch(before, ops, (b, index) => {
      const admission = admitted?.[index];
      if (admission instanceof VoteError) throw admission;
      return registered.delete(b.voterId);
    });
    // Voters registered above whose vote came after the close are struck off again.
    if (registered.size > 0) await tx`DELETE FROM turnout WHERE voter_id = ANY(${[...registered]})`;
    let results = plan.results;
    if (plan.accepted.length > 0) {
      results = ledger.withReceipts(
        plan,
        await storeBallots(tx, plan.accepted.map((a) => a.party), settings.seal),
      );
    }
    let clearedBy: string | undefined;
    if (plan.cleared) clearedBy = await clearVotes(tx, settings);
    else if (plan.accepted.length > 0) {
      // One sealed vector of every party's count per row: the row a commit rewrites names no party.
      const shard = Math.floor(Math.random() * shards);
      const [row] = await tx`SELECT sealed FROM tallies WHERE shard = ${shard} FOR UPDATE`;
      const vector: Record<string, number> = JSON.parse(settings.seal.openRemembered(row.sealed));
      for (const [party, added] of ledger.countChanges(before, plan.state)) {
        vector[party] = (vector[party] ?? 0) + added;
      }
      await tx`UPDATE tallies SET sealed = ${settings.seal.seal(JSON.stringify(vector))}
        WHERE shard = ${shard}`;
    }
    if (plan.dayChanged) {
      await tx`UPDATE election SET phase = ${ledger.phaseOf(plan.state)},
        day_revision = ${plan.state.revision ?? 0} WHERE id = 1`;
    }
    if (plan.closedBy) {
      await tx`UPDATE election SET status = 'closed', closed_reason = ${plan.closedBy},
        closed_at = now() WHERE id = 1`;
    }
    if (!exclusive) {
      // Under the shared lock a step is never published (that would mean
      // upgrading the lock, which deadlocks with other batches doing the same):
      // `publishDue` does it next, in a transaction of its own.
      return { results, roll: found, ...await readStored(tx, settings), clearedBy };
    }
    return { results, roll: found, ...await publishIn(tx, settings), clearedBy };
  }) as Promise<BatchOutcome>;
}

/**
 * Removes every vote (a mock poll's): register rows, ballots, every counter
 * row back to zero and the publication to step 0. The store then rewrites
 * the tables (`VACUUM FULL`) so that no dead row keeps them.
 *
 * @returns This transaction's id (32 bits, as `backend_xmin` shows them).
 */
async function clearVotes(tx: postgres.TransactionSql, settings: SealedSettings): Promise<string> {
  await tx`DELETE FROM turnout`;
  await tx`DELETE FROM ballots`;
  const zero = JSON.stringify(Object.fromEntries(settings.parties.map((p) => [p.id, 0])));
  for (let shard = 0; shard < TALLY_SHARDS; shard++) {
    await tx`UPDATE tallies SET sealed = ${settings.seal.seal(zero)} WHERE shard = ${shard}`;
  }
  await tx`UPDATE election SET step = 0, published = ${zero} WHERE id = 1`;
  const [{ xid }] =
    await tx`SELECT (pg_current_xact_id()::text::numeric % 4294967296)::text AS xid`;
  return xid;
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
