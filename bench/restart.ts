/**
 * Restart: the time from starting the server to its first answer, on a
 * database that already holds many votes.
 */
import { SqliteLedger } from "../lib/store/sqlite/sqlite_ledger.ts";
import { makeEpic } from "../lib/election/voter_id.ts";
import { startServer } from "../tests/_server.ts";

const PARTIES = ["bjp", "congress", "aap", "nota"];

/** Fills a new election database with `votes` votes through the real ledger. */
export function fillDatabase(path: string, votes: number): void {
  const ledger = new SqliteLedger(path, { step: 1 });
  for (let n = 0; n < votes;) {
    const ops = [];
    for (let i = 0; i < 20_000 && n < votes; i++, n++) {
      const letters = `R${String.fromCharCode(65 + Math.floor(n / 1e6) % 26)}X`;
      const ballot = {
        name: "Restart Voter",
        age: 40,
        address: "2 Disk Street",
        party: PARTIES[n % 4],
      };
      ops.push({
        kind: "cast" as const,
        ballot: { ...ballot, voterId: makeEpic(letters, n % 1e6) },
      });
    }
    ledger.apply(ops);
  }
  ledger.close();
}

/** The figures of the restart run. */
export interface RestartResult {
  votes: number;
  /** From spawning the process to the first answer of `GET /api/tally`: the median of `runs`. */
  firstAnswerMs: number;
  /** Each timed restart, in milliseconds. */
  runs: number[];
}

/**
 * Starts the server on a database of `votes` votes and times its first
 * answer, `restarts` times (one restart on a shared machine is mostly noise).
 */
export async function benchRestart(votes = 1_000_000, restarts = 5): Promise<RestartResult> {
  const dir = await Deno.makeTempDir({ prefix: "matdaan-restart-" });
  try {
    fillDatabase(`${dir}/election.db`, votes);
    // A first start makes what a real restart finds (the election's stored
    // password, its sessions and audit files); the starts after it are timed.
    const first = await startServer(["--db", `${dir}/election.db`]);
    await first.stop();
    const runs: number[] = [];
    for (let i = 0; i < restarts; i++) {
      const started = performance.now();
      const server = await startServer(["--db", `${dir}/election.db`]);
      try {
        const tally = await (await fetch(`${server.url}/api/tally`)).json();
        runs.push(performance.now() - started);
        if (tally.total !== votes) {
          throw new Error(`Expected ${votes} votes, found ${tally.total}.`);
        }
      } finally {
        await server.stop();
      }
    }
    const sorted = [...runs].sort((a, b) => a - b);
    return { votes, firstAnswerMs: sorted[Math.floor(sorted.length / 2)], runs };
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

if (import.meta.main) console.log(await benchRestart(Number(Deno.args[0] ?? 1_000_000)));
