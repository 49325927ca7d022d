/**
 * Test databases: a fresh PostgreSQL database per call, dropped afterwards.
 * PostgreSQL is found at DATABASE_URL or 127.0.0.1:5432. When it is missing
 * the tests fail under CI=true and are ignored (`ignore: !await postgresAvailable()`),
 * loudly, otherwise: a skip shows as a skip, never as a pass.
 */
import postgres from "postgres";

const BASE = Deno.env.get("DATABASE_URL") ?? "postgres://root@127.0.0.1:5432/postgres";

/** Creates and drops databases on the test server. */
export interface TestDatabases {
  /** A new, empty database; returns its URL. */
  create(): Promise<string>;
  /** Drops every database this object created. */
  dispose(): Promise<void>;
}

function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.href;
}

async function connectAdmin(): Promise<postgres.Sql | null> {
  for (const url of [BASE, BASE.replace("//root@", "//postgres@")]) {
    const sql = postgres(url, { max: 1, onnotice: () => {}, connect_timeout: 3 });
    try {
      await sql`SELECT 1`;
      return sql;
    } catch {
      await sql.end({ timeout: 0 });
    }
  }
  return null;
}

let probe: Promise<boolean> | undefined;

/**
 * Whether the test server answers, for a test's `ignore:`. Warns loudly when
 * it does not; under CI=true a missing server throws, so the module fails.
 */
export function postgresAvailable(): Promise<boolean> {
  probe ??= connectAdmin().then(async (admin) => {
    if (admin) {
      await admin.end();
      return true;
    }
    const message = `PostgreSQL is not reachable at ${BASE}`;
    if (Deno.env.get("CI") === "true") throw new Error(`${message}; CI needs it.`);
    console.warn(`\n!!! ${message}: PostgreSQL tests IGNORED !!!\n`);
    return false;
  });
  return probe;
}

/** Connects to the test server; throws when it is missing (guard with `postgresAvailable`). */
export async function testDatabases(): Promise<TestDatabases> {
  const admin = await connectAdmin();
  if (!admin) throw new Error(`PostgreSQL is not reachable at ${BASE}.`);
  const names: string[] = [];
  const prefix = `matdaan_test_${crypto.randomUUID().slice(0, 8)}`;
  const adminUrl = (await admin`SELECT current_user AS u`)[0].u === "postgres"
    ? BASE.replace("//root@", "//postgres@")
    : BASE;
  return {
    async create() {
      const name = `${prefix}_${names.length + 1}`;
      await admin.unsafe(`CREATE DATABASE ${name}`);
      names.push(name);
      return withDatabase(adminUrl, name);
    },
    async dispose() {
      for (const name of names) await admin.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.end();
    },
  };
}
