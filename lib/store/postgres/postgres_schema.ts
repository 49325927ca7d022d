/**
 * The PostgreSQL schema, as numbered migrations applied at start. Every
 * instance runs them under one advisory lock, so instances that start
 * together apply each migration exactly once.
 *
 * As in SQLite, the turnout register (who voted, when) and the ballots
 * (receipt, party) are separate tables; a ballot row has no voter reference,
 * no timestamp and no serial key. Counters are spread over several rows per
 * party (`shard`) so that concurrent commits do not queue on one hot row.
 */
import type postgres from "postgres";
import { type ElectionSettings, reconcileElection } from "../../election/election_config.ts";
import type { ElectionRequest } from "../store.ts";
import type { BallotSeal } from "../ballot_seal.ts";
import { type SettingsRow, storedSettings } from "../ledger.ts";

/** Migrations in order; the index + 1 is the version. Never edit one that has shipped. */
const MIGRATIONS = [
  `CREATE TABLE election (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    vote_limit INTEGER,
    parties TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('open', 'closed')),
    closed_reason TEXT,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    closed_at TIMESTAMPTZ
  );
  CREATE TABLE counts (
    party TEXT NOT NULL,
    shard INTEGER NOT NULL,
    votes BIGINT NOT NULL,
    PRIMARY KEY (party, shard)
  );
  CREATE TABLE turnout (
    seq BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    voter_id TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    age INTEGER NOT NULL,
    address TEXT NOT NULL,
    voted_at TIMESTAMPTZ NOT NULL DEFAULT now()
  );
  CREATE TABLE ballots (receipt TEXT PRIMARY KEY, party TEXT NOT NULL);`,
  // 2: results modes and published steps (issue 11). The register keeps the
  // step a voter's vote was published in instead of a sequence number and a
  // time; voters registered before steps existed form step 0.
  `ALTER TABLE election
    ADD COLUMN results_mode TEXT NOT NULL DEFAULT 'live'
      CHECK (results_mode IN ('live', 'turnout', 'sealed')),
    ADD COLUMN step_size INTEGER NOT NULL DEFAULT 10,
    ADD COLUMN step BIGINT NOT NULL DEFAULT 0,
    ADD COLUMN published TEXT NOT NULL DEFAULT '{}';
  UPDATE election SET published = coalesce((SELECT json_object_agg(party, votes)::text
    FROM (SELECT party, sum(votes) AS votes FROM counts GROUP BY party) c), '{}');
  ALTER TABLE turnout DROP COLUMN seq, DROP COLUMN voted_at,
    ADD COLUMN step BIGINT NOT NULL DEFAULT 0;
  ALTER TABLE turnout ALTER COLUMN step DROP DEFAULT;
  CREATE INDEX turnout_by_step ON turnout (step, voter_id);`,
  // Sealed ballots and counters (`ballot_seal.ts`); `sealIn` moves version 1's plaintext over.
  `ALTER TABLE ballots RENAME TO ballots_v1;
  ALTER TABLE counts RENAME TO counts_v1;
  CREATE TABLE ballots (receipt TEXT PRIMARY KEY, sealed BYTEA NOT NULL);
  CREATE TABLE tallies (shard INTEGER PRIMARY KEY, sealed BYTEA NOT NULL);
  CREATE TABLE sealing (id INTEGER PRIMARY KEY CHECK (id = 1), key_check TEXT NOT NULL);`,
  // The audit log: one keyed chain for the election, shared by every instance (`pg_audit_log.ts`).
  `CREATE TABLE audit (
    seq INTEGER PRIMARY KEY,
    time TEXT NOT NULL,
    actor TEXT NOT NULL,
    address TEXT NOT NULL,
    event TEXT NOT NULL,
    detail TEXT NOT NULL,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL
  );
  CREATE FUNCTION audit_append_only() RETURNS trigger LANGUAGE plpgsql AS
    $$ BEGIN RAISE EXCEPTION 'the audit log is append-only'; END $$;
  CREATE TRIGGER audit_no_change BEFORE UPDATE OR DELETE OR TRUNCATE ON audit
    FOR EACH STATEMENT EXECUTE FUNCTION audit_append_only();`,
  // 5: the election day (issue 15), as SQLite's version 4: the phase before
  // the close, its revision, the opening (epoch ms, or by the administrator)
  // and the closing time. Elections already running opened at start.
  `ALTER TABLE election
    ADD COLUMN phase TEXT NOT NULL DEFAULT 'open' CHECK (phase IN ('pending', 'mock', 'open')),
    ADD COLUMN day_revision BIGINT NOT NULL DEFAULT 0,
    ADD COLUMN opens_at BIGINT,
    ADD COLUMN opens_by_admin BOOLEAN NOT NULL DEFAULT false,
    ADD COLUMN closes_at BIGINT;`,
];

/** Counter rows (each holds every party's count, sealed); commits spread over them. */
export const TALLY_SHARDS = 16;

/**
 * Records the sealing key's check value in a new database and moves any
 * plaintext ballots and counters of schema version 1 into sealed form; in a
 * database already sealed, refuses a different key.
 */
async function sealIn(tx: postgres.TransactionSql, seal: BallotSeal, parties: string[]) {
  const [row] = await tx`SELECT key_check FROM sealing WHERE id = 1`;
  if (row) {
    if (row.key_check !== seal.check) {
      throw new Error(
        "This database's ballots are sealed under another key: give every instance the same MATDAAN_AUDIT_KEY (or key file).",
      );
    }
    return;
  }
  await tx`INSERT INTO sealing (id, key_check) VALUES (1, ${seal.check})`;
  const counts: Record<string, number> = Object.fromEntries(parties.map((p) => [p, 0]));
  const [legacy] = await tx`SELECT to_regclass('ballots_v1') IS NOT NULL AS present`;
  if (legacy.present) {
    for (const r of await tx`SELECT party, sum(votes)::int AS n FROM counts_v1 GROUP BY party`) {
      counts[r.party] = r.n;
    }
    const old = await tx`SELECT receipt, party FROM ballots_v1`;
    for (const b of old) {
      await tx`INSERT INTO ballots (receipt, sealed) VALUES (${b.receipt}, ${seal.seal(b.party)})`;
    }
    await tx`DROP TABLE ballots_v1, counts_v1`;
  }
  for (let shard = 0; shard < TALLY_SHARDS; shard++) {
    const vector = shard === 0 ? counts : Object.fromEntries(parties.map((p) => [p, 0]));
    await tx`INSERT INTO tallies (shard, sealed) VALUES (${shard}, ${
      seal.seal(JSON.stringify(vector))
    })`;
  }
}

/** An arbitrary constant naming the migration lock among advisory locks. */
const MIGRATION_LOCK = 0x6d617464;

/** The newest schema version this code knows. */
export const SCHEMA_VERSION: number = MIGRATIONS.length;

/**
 * Brings the database to the newest schema and creates or resumes the election.
 *
 * @param sql A connection pool to the election's database.
 * @param request The limit and parties asked for; undefined means "as stored".
 * @returns The settings to run with.
 * @throws {ElectionMismatchError} When the request contradicts the stored election.
 * @example
 * ```ts ignore
 * // Illustrative: it needs a running PostgreSQL (tests/postgres_store_test.ts runs it).
 * import postgres from "postgres";
 * import { migrate } from "./postgres_schema.ts";
 * const sql = postgres("postgres://root@127.0.0.1:5432/matdaan");
 * (await migrate(sql, { limit: 100 }, seal)).limit; // 100 (or the stored limit)
 * ```
 */
export function migrate(
  sql: postgres.Sql,
  request: ElectionRequest,
  seal: BallotSeal,
): Promise<ElectionSettings> {
  return sql.begin(async (tx) => {
    await tx`SELECT pg_advisory_xact_lock(${MIGRATION_LOCK})`;
    await tx`CREATE TABLE IF NOT EXISTS schema_migrations (
      version INTEGER PRIMARY KEY, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())`;
    const [{ version }] = await tx`SELECT coalesce(max(version), 0)::int AS version
      FROM schema_migrations`;
    if (version > SCHEMA_VERSION) {
      throw new Error(`This database was written by a newer version (schema ${version}).`);
    }
    for (let v = version + 1; v <= SCHEMA_VERSION; v++) {
      await tx.unsafe(MIGRATIONS[v - 1]);
      await tx`INSERT INTO schema_migrations (version) VALUES (${v})`;
    }
    const [row] = await tx`SELECT vote_limit, parties, results_mode, step_size,
      opens_at::float8 AS opens_at, opens_by_admin, closes_at::float8 AS closes_at
      FROM election WHERE id = 1`;
    const stored = row ? storedSettings(row as unknown as SettingsRow) : null;
    const settings = reconcileElection(stored, request);
    const { opensAt, closesAt } = settings.schedule;
    if (row) {
      await tx`UPDATE election SET parties = ${JSON.stringify(settings.parties)},
        closes_at = ${closesAt} WHERE id = 1`;
    } else {
      await tx`INSERT INTO election (id, vote_limit, parties, status, results_mode, step_size,
          phase, opens_at, opens_by_admin, closes_at)
        VALUES (1, ${settings.limit}, ${JSON.stringify(settings.parties)}, 'open',
          ${settings.results}, ${settings.step}, ${opensAt === null ? "open" : "pending"},
          ${typeof opensAt === "number" ? opensAt : null}, ${opensAt === "admin"}, ${closesAt})`;
    }
    await sealIn(tx, seal, settings.parties.map((p) => p.id));
    return settings;
  }) as Promise<ElectionSettings>;
}
