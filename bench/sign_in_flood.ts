/**
 * A flood of failed sign-ins beside the votes: vote latency alone, then with
 * a second wrk sending wrong passwords to /admin/login as fast as it can; and
 * how many audit entries the flood left. After a warm-up, alone and flooded
 * runs alternate `rounds` times and each side reports its median run (by
 * p99): on a shared machine one run's p99 is mostly the neighbours' noise.
 */
import { fileURLToPath } from "node:url";
import { DatabaseSync } from "node:sqlite";
import { MANY_CLIENTS, startServer } from "../tests/_server.ts";
import { runWrk, type WrkResult } from "./_wrk.ts";

const VOTES_LUA = fileURLToPath(new URL("./votes.lua", import.meta.url));
const SIGN_IN_LUA = fileURLToPath(new URL("./sign_in.lua", import.meta.url));

/** The figures of one run. */
export interface SignInFloodResult {
  /** The median (by p99) of the runs of votes alone. */
  alone: WrkResult;
  /** The median (by p99) of the runs of votes beside the flood. */
  flooded: WrkResult;
  /** The flood, its requests summed over the rounds. */
  flood: WrkResult;
  /** Failed sign-in entries the audit log holds afterwards. */
  auditEntries: number;
  rounds: number;
}

function medianByP99(runs: WrkResult[]): WrkResult {
  return [...runs].sort((a, b) => a.p99Ms - b.p99Ms)[Math.floor(runs.length / 2)];
}

/** Votes for `seconds` alone, then as long again beside a sign-in flood, `rounds` times. */
export async function benchSignInFlood(seconds = 3, rounds = 3): Promise<SignInFloodResult> {
  const dir = await Deno.makeTempDir({ prefix: "matdaan-bench-signin-" });
  const server = await startServer(["--db", `${dir}/election.db`, ...MANY_CLIENTS], {
    env: { ADMIN_PASSWORD: "correct horse battery" },
  });
  // Each run's voters start with their own letter (an EPIC number has three letters first: a
  // two-character prefix made every vote invalid, and the bench timed refusals).
  const votes = async (prefix: string) => {
    const run = await runWrk(`${server.url}/api/votes`, {
      connections: 32,
      seconds,
      script: VOTES_LUA,
      env: { VOTER_PREFIX: prefix },
    });
    if (run.non2xx > 0) throw new Error(`${run.non2xx} of ${run.requests} votes were refused.`);
    return run;
  };
  try {
    await votes("W"); // warm-up: the first run would pay for the JIT
    const alone: WrkResult[] = [];
    const flooded: WrkResult[] = [];
    const floods: WrkResult[] = [];
    for (let round = 0; round < rounds; round++) {
      alone.push(await votes(String.fromCharCode(65 + 2 * round)));
      const [withFlood, flood] = await Promise.all([
        votes(String.fromCharCode(66 + 2 * round)),
        runWrk(`${server.url}/admin/login`, { connections: 32, seconds, script: SIGN_IN_LUA }),
      ]);
      flooded.push(withFlood);
      floods.push(flood);
    }
    await server.stop(); // flushes the failed sign-ins still counted
    const db = new DatabaseSync(`${dir}/election.audit.db`, { readOnly: true });
    const { n } = db.prepare("SELECT count(*) AS n FROM audit WHERE event = 'login-failed'")
      .get() as { n: number };
    db.close();
    const flood = { ...floods[0], requests: floods.reduce((sum, f) => sum + f.requests, 0) };
    return {
      alone: medianByP99(alone),
      flooded: medianByP99(flooded),
      flood,
      auditEntries: n,
      rounds,
    };
  } finally {
    await server.stop();
    await Deno.remove(dir, { recursive: true });
  }
}

if (import.meta.main) {
  const r = await benchSignInFlood();
  console.log(
    `votes alone: ${
      r.alone.perSecond.toFixed(0)
    }/s p50 ${r.alone.p50Ms} ms p99 ${r.alone.p99Ms} ms`,
  );
  console.log(
    `votes beside ${r.flood.requests} failed sign-ins: ${r.flooded.perSecond.toFixed(0)}/s ` +
      `p50 ${r.flooded.p50Ms} ms p99 ${r.flooded.p99Ms} ms ` +
      `(p99 ×${(r.flooded.p99Ms / r.alone.p99Ms).toFixed(2)}); audit entries: ${r.auditEntries}`,
  );
}
