/**
 * A flood of failed sign-ins beside the votes: vote latency alone, then with
 * a second wrk sending wrong passwords to /admin/login as fast as it can; and
 * how many audit entries the flood left.
 */
import { fileURLToPath } from "node:url";
import { DatabaseSync } from "node:sqlite";
import { startServer } from "../tests/_server.ts";
import { runWrk, type WrkResult } from "./_wrk.ts";

const VOTES_LUA = fileURLToPath(new URL("./votes.lua", import.meta.url));
const SIGN_IN_LUA = fileURLToPath(new URL("./sign_in.lua", import.meta.url));

/** The figures of one run. */
export interface SignInFloodResult {
  alone: WrkResult;
  flooded: WrkResult;
  flood: WrkResult;
  /** Failed sign-in entries the audit log holds afterwards. */
  auditEntries: number;
}

/** Votes for `seconds` alone, then as long again beside a sign-in flood. */
export async function benchSignInFlood(seconds = 5): Promise<SignInFloodResult> {
  const dir = await Deno.makeTempDir({ prefix: "matdaan-bench-signin-" });
  const server = await startServer(["--db", `${dir}/election.db`], {
    env: { ADMIN_PASSWORD: "correct horse battery" },
  });
  try {
    const alone = await runWrk(`${server.url}/api/votes`, {
      connections: 32,
      seconds,
      script: VOTES_LUA,
      env: { VOTER_PREFIX: "S" },
    });
    const [flooded, flood] = await Promise.all([
      runWrk(`${server.url}/api/votes`, {
        connections: 32,
        seconds,
        script: VOTES_LUA,
        env: { VOTER_PREFIX: "T" },
      }),
      runWrk(`${server.url}/admin/login`, { connections: 32, seconds, script: SIGN_IN_LUA }),
    ]);
    await server.stop(); // flushes the failed sign-ins still counted
    const db = new DatabaseSync(`${dir}/election.audit.db`, { readOnly: true });
    const { n } = db.prepare("SELECT count(*) AS n FROM audit WHERE event = 'login-failed'")
      .get() as { n: number };
    db.close();
    return { alone, flooded, flood, auditEntries: n };
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
