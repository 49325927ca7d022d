/**
 * Vote throughput on PostgreSQL: `POST /api/votes` under wrk (64 connections,
 * about 10 s) against one instance, then two instances sharing one database.
 * Votes per second are counted from the committed tally, not from requests.
 * Run alone: `deno run -A bench/postgres_bench.ts`.
 */
import { fileURLToPath } from "node:url";
import { postgresAvailable, testDatabases } from "../tests/_postgres.ts";
import { MANY_CLIENTS, type ServerProcess, startServer } from "../tests/_server.ts";

const SCRIPT = fileURLToPath(new URL("./postgres_votes.lua", import.meta.url));
const SECONDS = 10;
const CONNECTIONS = 64;

/** One measured configuration. */
export interface BenchFigure {
  name: string;
  votesPerSecond: number;
  instances: number;
  seconds: number;
}

async function wrk(url: string, connections: number, prefix: string): Promise<void> {
  const out = await new Deno.Command("wrk", {
    args: ["-t1", `-c${connections}`, `-d${SECONDS}s`, "-s", SCRIPT, url],
    env: { EPIC_PREFIX: prefix },
    stdout: "piped",
    stderr: "piped",
  }).output();
  if (!out.success) throw new Error(new TextDecoder().decode(out.stderr));
}

async function measure(name: string, servers: ServerProcess[]): Promise<BenchFigure> {
  const share = CONNECTIONS / servers.length;
  await Promise.all(servers.map((s, i) => wrk(s.url, share, `B${"ABCDEFGH"[i]}Q`)));
  const tally = await (await fetch(`${servers[0].url}/api/tally`)).json();
  return {
    name,
    votesPerSecond: Math.round(tally.total / SECONDS),
    instances: servers.length,
    seconds: SECONDS,
  };
}

/**
 * Measures vote throughput with one and with two instances on PostgreSQL.
 *
 * @returns One figure per configuration (empty when PostgreSQL or wrk is missing).
 * @example
 * ```ts ignore
 * import { benchPostgres } from "./postgres_bench.ts";
 * for (const f of await benchPostgres()) console.log(f.name, f.votesPerSecond);
 * ```
 */
export async function benchPostgres(): Promise<BenchFigure[]> {
  if (!await postgresAvailable()) return [];
  const dbs = await testDatabases();
  const figures: BenchFigure[] = [];
  try {
    for (const count of [1, 2]) {
      const url = await dbs.create();
      const servers = await Promise.all(
        Array.from(
          { length: count },
          () => startServer(["--database-url", url, "--step", "10", ...MANY_CLIENTS]),
        ),
      );
      try {
        const label = count === 1 ? "one instance" : `${count} instances`;
        figures.push(await measure(`PostgreSQL, ${label}: POST /api/votes`, servers));
      } finally {
        await Promise.all(servers.map((s) => s.stop()));
      }
    }
  } finally {
    await dbs.dispose();
  }
  return figures;
}

if (import.meta.main) {
  for (const f of await benchPostgres()) {
    console.log(`${f.name}: ${f.votesPerSecond} votes/s`);
  }
}
