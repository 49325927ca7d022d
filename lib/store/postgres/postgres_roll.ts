/**
 * The electoral roll in PostgreSQL: `roll_meta` and `roll`, as in SQLite
 * (`../sqlite/sqlite_roll.ts`). The tables are created with the roll, in
 * the import's own transaction under an advisory lock, and joined to the
 * turnout register by voter ID only, never to the ballots.
 */
import type postgres from "postgres";
import {
  type NotVotedQuery,
  type RollEntry,
  type RollFill,
  RollImportRefused,
  type RollInfo,
  type RollProof,
} from "../../election/roll.ts";
import {
  type Admission,
  admission,
  admitVoter,
  type RollRow,
} from "../../election/roll_admission.ts";
import { VoteError } from "../../election/errors.ts";
import type { Ballot } from "../../election/types.ts";
import type { RollTarget } from "../../election/roll_import.ts";

type Query = postgres.Sql | postgres.TransactionSql;

/** Names the roll import's lock among advisory locks. */
const ROLL_LOCK = 0x726f6c6c;

const ROLL_SCHEMA = `
CREATE TABLE IF NOT EXISTS roll_meta (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  voters INTEGER NOT NULL,
  codes BOOLEAN NOT NULL,
  fingerprint TEXT NOT NULL,
  imported_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE TABLE IF NOT EXISTS roll (
  voter_id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  name_key TEXT NOT NULL,
  age INTEGER NOT NULL,
  address TEXT NOT NULL,
  code_hash TEXT
);`;

/**
 * Reads the stored roll's description, or null when the election has none.
 *
 * @param sql A pool or transaction.
 * @returns The roll's size, codes and fingerprint.
 * @example
 * ```ts ignore
 * // Illustrative: it needs a running PostgreSQL (tests/postgres_store_test.ts runs it).
 * import { readPostgresRoll } from "./postgres_roll.ts";
 * (await readPostgresRoll(sql))?.voters; // 2000
 * ```
 */
export async function readPostgresRoll(sql: Query): Promise<RollInfo | null> {
  const [{ exists }] = await sql`SELECT to_regclass('roll_meta') IS NOT NULL AS exists`;
  if (!exists) return null;
  const [row] = await sql`SELECT voters, codes, fingerprint FROM roll_meta WHERE id = 1`;
  return row ? { voters: row.voters, codes: row.codes, fingerprint: row.fingerprint } : null;
}

/**
 * Whether the database already holds an election (and its roll).
 *
 * @param sql A pool.
 * @returns Whether an election is stored, and its roll.
 * @example
 * ```ts ignore
 * // Illustrative: it needs a running PostgreSQL (tests/postgres_store_test.ts runs it).
 * import { inspectPostgresElection } from "./postgres_roll.ts";
 * (await inspectPostgresElection(sql)).election; // false on a new database
 * ```
 */
export async function inspectPostgresElection(
  sql: Query,
): Promise<{ election: boolean; roll: RollInfo | null }> {
  const [{ exists }] = await sql`SELECT to_regclass('election') IS NOT NULL AS exists`;
  const election = exists && (await sql`SELECT 1 FROM election WHERE id = 1`).length > 0;
  return { election, roll: await readPostgresRoll(sql) };
}

/**
 * Stores a roll before the election starts, in one transaction. With
 * `beforeFirstVote` (an import into a running election, from the admin
 * panel) the election must be open, without a roll and without a vote; the
 * election row stays locked until the commit, so no batch of any instance
 * commits meanwhile, and each batch after it finds the roll (`applyBatch`).
 *
 * @param sql A pool.
 * @param fill Calls `insert` with each chunk of voters, and returns the roll's description.
 * @param options `beforeFirstVote`: the database holds a running election.
 * @returns The roll's description.
 * @throws {Error} Without `beforeFirstVote`, when an election or a roll is already stored.
 * @throws {RollImportRefused} With `beforeFirstVote`, when the election refuses a roll.
 * @example
 * ```ts ignore
 * // Illustrative: it needs a running PostgreSQL (tests/postgres_store_test.ts runs it).
 * import { importPostgresRoll } from "./postgres_roll.ts";
 * await importPostgresRoll(sql, async (insert) => (await insert(rows), info));
 * ```
 */
export async function importPostgresRoll(
  sql: postgres.Sql,
  fill: RollFill,
  options: { beforeFirstVote?: boolean } = {},
): Promise<RollInfo> {
  return await sql.begin(async (tx) => {
    await tx`SELECT pg_advisory_xact_lock(${ROLL_LOCK})`;
    if (options.beforeFirstVote) {
      // The lock every batch takes (FOR SHARE or FOR UPDATE) first.
      const [election] = await tx`SELECT status FROM election WHERE id = 1 FOR UPDATE`;
      if (election?.status === "closed") throw new RollImportRefused("voting_closed");
      if (await readPostgresRoll(tx)) throw new RollImportRefused("roll_stored");
      if ((await tx`SELECT 1 FROM turnout LIMIT 1`).length > 0) {
        throw new RollImportRefused("votes_cast");
      }
    } else {
      const stored = await inspectPostgresElection(tx);
      if (stored.election || stored.roll) {
        throw new Error("This database already holds an election; its roll cannot be replaced.");
      }
    }
    await tx.unsafe(ROLL_SCHEMA);
    const info = await fill(async (rows) => {
      await tx`INSERT INTO roll (voter_id, name, name_key, age, address, code_hash)
        SELECT * FROM unnest(${rows.map((r) => r.voterId)}::text[], ${
        rows.map((r) => r.name)
      }::text[], ${rows.map((r) => r.nameKey)}::text[], ${rows.map((r) => r.age)}::int[], ${
        rows.map((r) => r.address)
      }::text[], ${rows.map((r) => r.codeHash) as string[]}::text[])`;
    });
    await tx`INSERT INTO roll_meta (id, voters, codes, fingerprint)
      VALUES (1, ${info.voters}, ${info.codes}, ${info.fingerprint})`;
    return info;
  });
}

/** Where `prepareRoll` finds and writes the roll of the election in the database `sql` reaches. */
export function postgresRollTarget(sql: postgres.Sql): RollTarget {
  return {
    inspect: () => inspectPostgresElection(sql),
    write: (fill) => importPostgresRoll(sql, fill),
  };
}

/**
 * The voters on the roll who have not voted yet, in voter ID order.
 *
 * @param sql A pool.
 * @param query Paging and search.
 * @returns The voters (none without a roll).
 * @example
 * ```ts ignore
 * // Illustrative: it needs a running PostgreSQL (tests/postgres_store_test.ts runs it).
 * import { readNotVoted } from "./postgres_roll.ts";
 * await readNotVoted(sql, { search: "rao" });
 * ```
 */
export async function readNotVoted(sql: Query, query: NotVotedQuery): Promise<RollEntry[]> {
  if (!(await readPostgresRoll(sql))) return [];
  const limit = Math.min(Math.max(query.limit ?? 100, 1), 1000);
  const search = query.search?.trim();
  const like = search ? `%${search.replace(/[\\%_]/g, (c) => `\\${c}`)}%` : null;
  const rows = await sql`SELECT r.voter_id, r.name, r.age, r.address FROM roll r
    WHERE r.voter_id COLLATE "C" > ${query.afterVoterId ?? ""} AND (${like}::text IS NULL
      OR r.voter_id ILIKE ${like} OR r.name ILIKE ${like} OR r.address ILIKE ${like})
      -- Only published steps count as voted: the list must not shrink vote by vote.
      AND NOT EXISTS (SELECT 1 FROM turnout t WHERE t.voter_id = r.voter_id
        AND t.step <= (SELECT CASE WHEN status = 'closed' THEN ${Number.MAX_SAFE_INTEGER}
          ELSE step END FROM election WHERE id = 1))
    ORDER BY r.voter_id COLLATE "C" LIMIT ${limit}`;
  return rows.map((r) => ({ voterId: r.voter_id, name: r.name, age: r.age, address: r.address }));
}

/**
 * Replaces a voter's code hash unless they voted (`ElectionStore.reissueCode`).
 *
 * @param sql A pool.
 * @param voterId The voter.
 * @param hash The new code's hash.
 * @returns What happened.
 * @example
 * ```ts ignore
 * // Illustrative: it needs a running PostgreSQL (tests/postgres_store_test.ts runs it).
 * import { reissuePostgresCode } from "./postgres_roll.ts";
 * await reissuePostgresCode(sql, "WKH1186253", hash); // "reissued"
 * ```
 */
export async function reissuePostgresCode(
  sql: Query,
  voterId: string,
  hash: string,
): Promise<"reissued" | "not_on_roll" | "already_voted"> {
  if (!(await readPostgresRoll(sql))) return "not_on_roll";
  const changed = await sql`UPDATE roll SET code_hash = ${hash} WHERE voter_id = ${voterId}
    AND NOT EXISTS (SELECT 1 FROM turnout WHERE voter_id = ${voterId}) RETURNING 1`;
  if (changed.length > 0) return "reissued";
  const listed = await sql`SELECT 1 FROM roll WHERE voter_id = ${voterId}`;
  return listed.length > 0 ? "already_voted" : "not_on_roll";
}

/**
 * Checks every cast of a batch against the roll with one query: for each
 * operation, the ballot with the roll's details, a refusal, or null for an
 * operation that is not a cast.
 *
 * @param tx The batch's transaction.
 * @param ops The casts' ballots and proofs (null for other operations).
 * @param codes Whether the election uses codes.
 * @returns One entry per operation.
 * @example
 * ```ts ignore
 * // Illustrative: it needs a running PostgreSQL (tests/postgres_store_test.ts runs it).
 * import { admitBatch } from "./postgres_roll.ts";
 * const admitted = await admitBatch(tx, [{ ballot, proof }], false);
 * ```
 */
export async function admitBatch(
  tx: Query,
  ops: ({ ballot: Ballot; proof?: RollProof } | null)[],
  codes: boolean,
): Promise<(Ballot | VoteError | null)[]> {
  const ids = [...new Set(ops.flatMap((op) => op ? [op.ballot.voterId] : []))];
  const rows = ids.length === 0 ? [] : await tx`SELECT voter_id, name, name_key, age, address,
    code_hash FROM roll WHERE voter_id = ANY(${ids})`;
  const byId = new Map(rows.map((r) => [r.voter_id as string, r]));
  return ops.map((op) => {
    if (!op) return null;
    try {
      const row = byId.get(op.ballot.voterId);
      return admitVoter(
        op.ballot,
        op.proof,
        row as Parameters<typeof admitVoter>[2],
        codes,
      );
    } catch (e) {
      if (e instanceof VoteError) return e;
      throw e;
    }
  });
}

/**
 * The roll's answer for one voter, casting nothing (`ElectionStore.admission`).
 *
 * @param sql The connection.
 * @param voterId The normalised voter ID.
 * @param proof The name key or code hash the voter brought.
 * @param codes Whether the election uses codes.
 * @returns `admitted` or the refusal's code.
 * @example
 * ```ts ignore
 * // Illustrative: it needs a running PostgreSQL (tests/postgres_store_test.ts runs it).
 * import { readAdmission } from "./postgres_roll.ts";
 * await readAdmission(sql, "WKH1186253", { nameKey: "asharao" }, false); // "admitted"
 * ```
 */
export async function readAdmission(
  sql: Query,
  voterId: string,
  proof: RollProof,
  codes: boolean,
): Promise<Admission> {
  const [row] = await sql`SELECT name, name_key, age, address, code_hash FROM roll
    WHERE voter_id = ${voterId}`;
  return admission(proof, row as RollRow | undefined, codes);
}
