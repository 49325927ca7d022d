/**
 * The election in PostgreSQL: one batch of operations per transaction. The
 * election row is locked FOR SHARE by casts (so an admin close, which locks
 * it FOR UPDATE, waits for them and every later cast sees it), and FOR UPDATE
 * when a limit is set or the batch closes, so that no two instances can both
 * take the last places under the limit.
 */
import type postgres from "postgres";
import type { ElectionSettings } from "../../election/election_config.ts";
import type { BatchOutcome, LedgerOp } from "../batched_store.ts";
import * as ledger from "../ledger.ts";
import { turnoutEntry, type TurnoutQuery, type TurnoutRow } from "../store.ts";
import type { TallyState } from "../../tally.ts";
import type { TurnoutEntry } from "../../election/types.ts";
import type { BallotSeal } from "../ballot_seal.ts";
import { TALLY_SHARDS } from "./postgres_schema.ts";
import type { RollInfo } from "../../election/roll.ts";
import { VoteError } from "../../election/errors.ts";
import { admitBatch } from "./postgres_roll.ts";

/** Where a read runs: the pool, or a transaction to see its own writes. */
export type Query = postgres.Sql | postgres.TransactionSql;

/**
 * Reads the counting state: sealed counter vectors opened and summed over
 * their rows, and the status.
 *
 * @param sql A pool or transaction.
 * @param settings The election's settings.
 * @param seal The ballot seal.
 * @returns The state as committed (as this transaction sees it).
 * @example
 * ```ts ignore
 * // Illustrative: it needs a running PostgreSQL (tests/postgres_store_test.ts runs it).
 * import { readState } from "./postgres_ledger.ts";
 * (await readState(sql, settings, seal)).total; // 0 in a new election
 * ```
 */
export async function readState(
  sql: Query,
  settings: ElectionSettings,
  seal: BallotSeal,
): Promise<TallyState> {
  const [election, rows] = await Promise.all([
    sql<ledger.ElectionRow[]>`SELECT status, closed_reason FROM election WHERE id = 1`,
    sql`SELECT sealed FROM tallies`,
  ]);
  const counts = rows.flatMap((row) =>
    Object.entries(JSON.parse(seal.open(row.sealed)) as Record<string, number>)
      .map(([party, votes]) => ({ party, votes }))
  );
  return ledger.stateFromRows(settings, election[0], counts);
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
 * @param options The settings, the number of counter rows to spread over, and the ballot seal.
 * @returns One result per operation, and the state after the commit.
 * @example
 * ```ts ignore
 * // Illustrative: it needs a running PostgreSQL (tests/postgres_store_test.ts runs it).
 * import { applyBatch } from "./postgres_ledger.ts";
 * await applyBatch(sql, [{ kind: "close", reason: "admin" }], { settings, shards: 16, seal });
 * ```
 */
export function applyBatch(
  sql: postgres.Sql,
  ops: readonly LedgerOp[],
  options: {
    settings: ElectionSettings;
    shards: number;
    seal: BallotSeal;
    roll?: RollInfo | null;
  },
): Promise<BatchOutcome> {
  const { settings, seal, roll } = options;
  const shards = Math.min(options.shards, TALLY_SHARDS);
  const exclusive = settings.limit !== null || ops.some((op) => op.kind === "close");
  return sql.begin(async (tx) => {
    await (exclusive
      ? tx`SELECT 1 FROM election WHERE id = 1 FOR UPDATE`
      : tx`SELECT 1 FROM election WHERE id = 1 FOR SHARE`);
    const before = await readState(tx, settings, seal);
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
    if (before.status === "open" && candidates.length > 0) {
      const rows = await tx`INSERT INTO turnout (voter_id, name, age, address)
        SELECT * FROM unnest(${candidates.map((b) => b.voterId)}::text[], ${
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
        await storeBallots(tx, plan.accepted.map((a) => a.party), seal),
      );
      // One sealed vector of every party's count per row: the row a commit rewrites names no party.
      const shard = Math.floor(Math.random() * shards);
      const [row] = await tx`SELECT sealed FROM tallies WHERE shard = ${shard} FOR UPDATE`;
      const vector: Record<string, number> = JSON.parse(seal.open(row.sealed));
      for (const [party, added] of ledger.countChanges(before, plan.state)) {
        vector[party] = (vector[party] ?? 0) + added;
      }
      await tx`UPDATE tallies SET sealed = ${seal.seal(JSON.stringify(vector))}
        WHERE shard = ${shard}`;
    }
    if (plan.closedBy) {
      await tx`UPDATE election SET status = 'closed', closed_reason = ${plan.closedBy},
        closed_at = now() WHERE id = 1`;
    }
    return { results, state: exclusive ? plan.state : await readState(tx, settings, seal) };
  }) as Promise<BatchOutcome>;
}

/**
 * Reads the turnout register in voting order.
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
  const { afterSeq, limit, like, newestFirst } = ledger.registerQuery(query);
  const order = newestFirst ? sql`seq DESC` : sql`seq`;
  const rows = await sql`SELECT seq::float8 AS seq, voter_id, name, age, address, voted_at
    FROM turnout WHERE seq > ${afterSeq} AND (${like}::text IS NULL
      OR voter_id ILIKE ${like} OR name ILIKE ${like} OR address ILIKE ${like})
    ORDER BY ${order} LIMIT ${limit}`;
  return (rows as unknown as TurnoutRow[]).map(turnoutEntry);
}
