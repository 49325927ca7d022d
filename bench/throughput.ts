/**
 * Vote throughput: wrk loads `POST /api/votes` with distinct valid votes at
 * concurrency 64, and a bare Deno.serve hello-world the same way, in one run.
 */
import { fileURLToPath } from "node:url";
import { MANY_CLIENTS, startScript, startServer } from "../tests/_server.ts";
import { runWrk, type WrkResult } from "./_wrk.ts";

const HELLO = fileURLToPath(new URL("./hello.ts", import.meta.url));
const VOTES_LUA = fileURLToPath(new URL("./votes.lua", import.meta.url));

/** The figures of one throughput run. */
export interface ThroughputResult {
  hello: WrkResult;
  /** Votes through the default (guarded) HTTP server. */
  votes: WrkResult;
  /** Votes through `--http-server deno` (Deno.serve), for comparison. */
  votesDeno: WrkResult;
  acknowledged: number;
  counted: number;
  ratio: number;
  /** votesDeno ÷ hello. */
  ratioDeno: number;
}

/**
 * Measures hello-world requests/s, then votes/s on a fresh database with no limit.
 * Afterwards the tally must hold every acknowledged vote (and at most the
 * requests still in flight when wrk stopped).
 */
export async function benchThroughput(seconds = 10, connections = 64): Promise<ThroughputResult> {
  const hello = await startScript(HELLO, []);
  let helloResult: WrkResult;
  try {
    helloResult = await runWrk(`${hello.url}/`, { connections, seconds });
  } finally {
    await hello.stop();
  }

  const guarded = await benchVotes([], seconds, connections);
  const deno = await benchVotes(["--http-server", "deno"], seconds, connections);
  return {
    hello: helloResult,
    votes: guarded.votes,
    votesDeno: deno.votes,
    acknowledged: guarded.acknowledged,
    counted: guarded.counted,
    ratio: guarded.votes.perSecond / helloResult.perSecond,
    ratioDeno: deno.votes.perSecond / helloResult.perSecond,
  };
}

/** Loads one server (started with `args`) with distinct valid votes. */
async function benchVotes(args: string[], seconds: number, connections: number) {
  const dir = await Deno.makeTempDir({ prefix: "matdaan-bench-" });
  const server = await startServer([
    "--db",
    `${dir}/election.db`,
    "--step",
    "10",
    ...MANY_CLIENTS,
    ...args,
  ]);
  try {
    const votes = await runWrk(server.url, {
      connections,
      seconds,
      script: VOTES_LUA,
      env: { VOTER_PREFIX: String.fromCharCode(65 + Math.floor(Math.random() * 26)) },
    });
    const acknowledged = votes.requests - votes.non2xx;
    // The published total lags the count by less than one step (10 votes).
    const counted = (await (await fetch(`${server.url}/api/tally`)).json()).total;
    if (counted <= acknowledged - 10 || counted > acknowledged + connections) {
      throw new Error(
        `The tally (${counted}) does not match the acknowledged votes (${acknowledged}).`,
      );
    }
    if (votes.non2xx > 0) console.warn(`  ${votes.non2xx} vote request(s) were refused`);
    return { votes, acknowledged, counted };
  } finally {
    await server.stop();
    await Deno.remove(dir, { recursive: true });
  }
}

if (import.meta.main) console.log(await benchThroughput());
