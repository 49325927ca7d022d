/**
 * The election in PostgreSQL: one batch of operations per transaction. The
 * election row is locked FOR SHARE by casts (so an admin close, which locks
 * it FOR UPDATE, waits for them and every later cast sees it), and FOR UPDATE
 * when a limit is set or the batch closes, so that no two instances can both
 * take the last places under the limit.
 */
import type postgres from "postgres";
import type { ElectionSettings } from "../../election/election_config.ts";
import { VoteError, voteError } from "../../election/errors.ts";
import { newReceipt } from "../../election/receipt.ts";
import type { LedgerOp, LedgerResult } from "../batched_store.ts";
import { turnoutEntry, type TurnoutQuery, type TurnoutRow } from "../store.ts";
import { applyVote, closeTally, openTally, type TallyState } from "../../tally.ts";
import type { ClosedReason, TurnoutEntry } from "../../election/types.ts";
import type { BallotSeal } from "../ballot_seal.ts";
import { TALLY_SHARDS } from "./postgres_schema.ts";

type Query = postgres.Sql | postgres.TransactionSql;

/**
 * Reads the counting state: sealed counters opened and summed over their
 * rows, and the status.
 *
 * @param sql A pool or transaction.
 * @param settings The election's settings.
 * @param seal The ballot seal.
 * @returns The state as committed (as this transaction sees it).
 * @example
 * ```ts ignore
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
    sql`SELECT status, closed_reason FROM election WHERE id = 1`,
    sql`SELECT sealed FROM tallies`,
  ]);
  let state = openTally(settings.parties.map((p) => p.id), settings.limit);
  const counts: Record<string, number> = { ...state.counts };
  let total = 0;
  for (const row of rows) {
    for (const [party, votes] of Object.entries(JSON.parse(seal.open(row.sealed)))) {
      counts[party] = (counts[party] ?? 0) + (votes as number);
      total += votes as number;
    }
  }
  state = { ...state, counts, total };
  if (election[0].status === "closed") {
    state = { ...state, status: "closed", closedReason: election[0].closed_reason };
  }
  return state;
}

function refused(e: unknown): LedgerResult {
  if (e instanceof VoteError) return { ok: false, code: e.code, message: e.message };
  throw e;
}

/** Shuffles in place (Fisher–Yates), so ballots are not stored in arrival order. */
function shuffle<T>(items: T[]): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [items[i], items[j]] = [items[j], items[i]];
  }
  return items;
}

async function storeBallots(
  tx: postgres.TransactionSql,
  parties: string[],
  seal: BallotSeal,
): Promise<string[]> {
  const receipts = parties.map(() => newReceipt());
  let missing = receipts.map((_, i) => i);
  while (missing.length > 0) {
    const order = shuffle([...missing]);
    // Sealed bytes travel as hex text: the driver sends no bytea arrays.
    const sealed = order.map((i) => Buffer.from(seal.seal(parties[i])).toString("hex"));
    const stored = await tx`INSERT INTO ballots (receipt, sealed)
      SELECT r, decode(h, 'hex') FROM unnest(${
      order.map((i) => receipts[i])
    }::text[], ${sealed}::text[]) AS b (r, h) ON CONFLICT DO NOTHING RETURNING receipt`;
    const ok = new Set(stored.map((r) => r.receipt));
    missing = missing.filter((i) => !ok.has(receipts[i]));
    for (const i of missing) receipts[i] = newReceipt();
  }
  return receipts;
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
 * import { applyBatch } from "./postgres_ledger.ts";
 * await applyBatch(sql, [{ kind: "close", reason: "admin" }], { settings, shards: 16, seal });
 * ```
 */
export function applyBatch(
  sql: postgres.Sql,
  ops: readonly LedgerOp[],
  options: { settings: ElectionSettings; shards: number; seal: BallotSeal },
): Promise<{ results: LedgerResult[]; state: TallyState }> {
  const { settings, seal } = options;
  const shards = Math.min(options.shards, TALLY_SHARDS);
  const exclusive = settings.limit !== null || ops.some((op) => op.kind === "close");
  return sql.begin(async (tx) => {
    await (exclusive
      ? tx`SELECT 1 FROM election WHERE id = 1 FOR UPDATE`
      : tx`SELECT 1 FROM election WHERE id = 1 FOR SHARE`);
    const before = await readState(tx, settings, seal);
    // Register every new voter at once; the unique key says who voted already.
    const seen = new Set<string>();
    const candidates = ops.flatMap((op) => {
      if (op.kind !== "cast" || seen.has(op.ballot.voterId)) return [];
      if (!Object.hasOwn(before.counts, op.ballot.party)) return [];
      seen.add(op.ballot.voterId);
      return [op.ballot];
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
    let state = before;
    let closedBy: ClosedReason | null = null;
    const accepted: { index: number; party: string }[] = [];
    const results = ops.map((op, index): LedgerResult => {
      try {
        if (op.kind === "close") {
          state = closeTally(state, op.reason);
          closedBy = op.reason;
          return { ok: true };
        }
        const next = applyVote(state, op.ballot.party);
        if (!registered.delete(op.ballot.voterId)) throw voteError("already_voted");
        if (next.status === "closed") closedBy = "limit";
        state = next;
        accepted.push({ index, party: op.ballot.party });
        return { ok: true };
      } catch (e) {
        return refused(e);
      }
    });
    // Voters registered above whose vote came after the close are struck off again.
    if (registered.size > 0) await tx`DELETE FROM turnout WHERE voter_id = ANY(${[...registered]})`;
    if (accepted.length > 0) {
      const receipts = await storeBallots(tx, accepted.map((a) => a.party), seal);
      accepted.forEach((a, i) => results[a.index] = { ok: true, receipt: receipts[i] });
      // One sealed vector of every party's count per row: the row a commit rewrites says nothing of a party.
      const shard = Math.floor(Math.random() * shards);
      const [row] = await tx`SELECT sealed FROM tallies WHERE shard = ${shard} FOR UPDATE`;
      const vector: Record<string, number> = JSON.parse(seal.open(row.sealed));
      for (const [party, n] of Object.entries(state.counts)) {
        vector[party] = (vector[party] ?? 0) + n - before.counts[party];
      }
      await tx`UPDATE tallies SET sealed = ${seal.seal(JSON.stringify(vector))}
        WHERE shard = ${shard}`;
    }
    if (closedBy) {
      await tx`UPDATE election SET status = 'closed', closed_reason = ${closedBy},
        closed_at = now() WHERE id = 1`;
    }
    return { results, state: exclusive ? state : await readState(tx, settings, seal) };
  }) as Promise<{ results: LedgerResult[]; state: TallyState }>;
}

/**
 * Reads the turnout register in voting order.
 *
 * @param sql The pool.
 * @param query Paging and search.
 * @returns The entries, never a party.
 * @example
 * ```ts ignore
 * import { readTurnout } from "./postgres_ledger.ts";
 * await readTurnout(sql, { search: "pillai" });
 * ```
 */
export async function readTurnout(sql: Query, query: TurnoutQuery): Promise<TurnoutEntry[]> {
  const limit = Math.min(Math.max(query.limit ?? 100, 1), 1000);
  const search = query.search?.trim();
  const like = search ? `%${search.replace(/[\\%_]/g, (c) => `\\${c}`)}%` : null;
  const after = query.newestFirst ? 0 : query.afterSeq ?? 0;
  const order = query.newestFirst ? sql`seq DESC` : sql`seq`;
  const rows = await sql`SELECT seq::float8 AS seq, voter_id, name, age, address, voted_at
    FROM turnout WHERE seq > ${after} AND (${like}::text IS NULL
      OR voter_id ILIKE ${like} OR name ILIKE ${like} OR address ILIKE ${like})
    ORDER BY ${order} LIMIT ${limit}`;
  return (rows as unknown as TurnoutRow[]).map(turnoutEntry);
}
