/**
 * The electoral roll's figures: importing a 1,000,000-voter roll with codes
 * (seconds and peak memory, in a process of its own), and vote throughput
 * with a roll and codes against the same run's bare `Deno.serve` and votes
 * without a roll.
 */
import { fileURLToPath } from "node:url";
import { makeEpic } from "../lib/election/voter_id.ts";
import { MANY_CLIENTS, startScript, startServer } from "../tests/_server.ts";
import { runWrk, type WrkResult } from "./_wrk.ts";

const IMPORT = fileURLToPath(new URL("./_import_roll.ts", import.meta.url));
const HELLO = fileURLToPath(new URL("./hello.ts", import.meta.url));
const VOTES_LUA = fileURLToPath(new URL("./votes.lua", import.meta.url));
const ROLL_VOTES_LUA = fileURLToPath(new URL("./roll_votes.lua", import.meta.url));

/** Writes a roll of `count` voters (IDs with the letters `letters`). */
export async function writeBenchRoll(path: string, count: number, letters = "QAA") {
  const file = await Deno.open(path, { write: true, create: true, truncate: true });
  const encoder = new TextEncoder();
  let lines = ["voter_id,name,age,address\n"];
  for (let i = 1; i <= count; i++) {
    const name = `Voter ${String.fromCharCode(65 + i % 26)}`;
    lines.push(`${makeEpic(letters, i % 1e6)},${name},${18 + i % 70},"${i} Roll Road, Pune"\n`);
    if (lines.length >= 10_000 || i === count) {
      await file.write(encoder.encode(lines.join("")));
      lines = [];
    }
  }
  // On disk before it returns: left to the kernel, its write-back (about 14 MB for
  // 300,000 voters) came some 30 s later, in the middle of a timed run, beside its commits' syncs.
  await file.sync();
  file.close();
}

/** The figures of an import. */
export interface ImportResult {
  voters: number;
  seconds: number;
  cpuSeconds: number;
  peakMb: number;
}

/** Imports `roll` with codes into a new SQLite election at `db`, in a process of its own. */
async function importRoll(roll: string, db: string, codesOut: string): Promise<ImportResult> {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", IMPORT, roll, db, "--codes", codesOut],
  }).output();
  if (!out.success) throw new Error(new TextDecoder().decode(out.stderr));
  return JSON.parse(new TextDecoder().decode(out.stdout).trim().split("\n").at(-1)!);
}

/** Imports a roll of `count` voters with codes into a new SQLite election. */
export async function benchRollImport(count = 999_999): Promise<ImportResult> {
  const dir = await Deno.makeTempDir({ prefix: "matdaan-roll-bench-" });
  try {
    await writeBenchRoll(`${dir}/roll.csv`, count);
    return await importRoll(`${dir}/roll.csv`, `${dir}/e.db`, `${dir}/codes.csv`);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

/** Throughput figures: hello-world, votes without a roll, votes with a roll and codes. */
export interface RollThroughput {
  hello: WrkResult;
  /** The open election's rounds together: requests and votes/s summed, p50 and p99 their medians. */
  open: WrkResult;
  /** The roll's rounds together, likewise. */
  roll: WrkResult;
  openRatio: number;
  rollRatio: number;
}

/** Several wrk rounds as one: requests summed over their time, latencies the rounds' medians. */
function combine(rounds: WrkResult[], seconds: number): WrkResult {
  const sum = (f: (r: WrkResult) => number) => rounds.reduce((a, r) => a + f(r), 0);
  const median = (f: (r: WrkResult) => number) => {
    const v = rounds.map(f).sort((a, b) => a - b);
    return v[Math.floor(v.length / 2)];
  };
  return {
    requests: sum((r) => r.requests),
    perSecond: sum((r) => r.requests) / seconds,
    non2xx: sum((r) => r.non2xx),
    errors: sum((r) => r.errors),
    p50Ms: median((r) => r.p50Ms),
    p99Ms: median((r) => r.p99Ms),
  };
}

/**
 * Measures, in one run, hello-world, open votes, and votes with a roll of
 * `voters` and codes: `seconds` of load each, the open election and the roll
 * taking turns in `rounds` rounds (after a warm-up of each), both servers
 * running throughout. Measured one after the other, the two figures also
 * measured whatever the machine's other work did in between (on a shared
 * 2-core machine the same code gave 0.75× and 1.08× in two runs).
 */
export async function benchRollThroughput(
  seconds = 10,
  connections = 64,
  voters = 300_000,
  rounds = 5,
): Promise<RollThroughput> {
  const dir = await Deno.makeTempDir({ prefix: "matdaan-roll-wrk-" });
  try {
    // The roll is written and imported before anything is timed, as for a real election
    // (the server measured resumes it fresh rather than carrying the import's garbage).
    // Imported between the open run and the roll run, as it was, the import's CPU and
    // its files' write-back fell on the roll run alone.
    await writeBenchRoll(`${dir}/roll.csv`, voters);
    await importRoll(`${dir}/roll.csv`, `${dir}/roll.db`, `${dir}/codes.csv`);
    await Deno.remove(`${dir}/roll.csv`);
    const hello = await startScript(HELLO, []);
    let helloResult: WrkResult;
    try {
      helloResult = await runWrk(`${hello.url}/`, { connections, seconds });
    } finally {
      await hello.stop();
    }
    const open = await startServer(["--db", `${dir}/open.db`, ...MANY_CLIENTS]);
    const roll = await startServer(["--db", `${dir}/roll.db`, ...MANY_CLIENTS]).catch(async (e) => {
      await open.stop();
      throw e;
    });
    try {
      // Each open run votes with voter IDs of its own first letter; each roll run goes on
      // down the roll where the last stopped (past any vote still in flight when it ended).
      let letter = 0;
      let rollUsed = 0;
      let rollAcknowledged = 0;
      const runOpen = (s: number) =>
        runWrk(open.url, {
          connections,
          seconds: s,
          script: VOTES_LUA,
          env: { VOTER_PREFIX: String.fromCharCode(67 + letter++) },
        });
      const runRoll = async (s: number) => {
        const r = await runWrk(roll.url, {
          connections,
          seconds: s,
          script: ROLL_VOTES_LUA,
          env: { CODES_FILE: `${dir}/codes.csv`, VOTER_OFFSET: String(rollUsed) },
        });
        rollUsed += r.requests + connections;
        rollAcknowledged += r.requests - r.non2xx;
        return r;
      };
      await runOpen(2);
      await runRoll(2);
      const openRounds: WrkResult[] = [];
      const rollRounds: WrkResult[] = [];
      const each = seconds / rounds;
      for (let i = 0; i < rounds; i++) {
        // Which goes first alternates, so that a change of load within a round is shared too.
        if (i % 2 === 0) {
          openRounds.push(await runOpen(each));
          rollRounds.push(await runRoll(each));
        } else {
          rollRounds.push(await runRoll(each));
          openRounds.push(await runOpen(each));
        }
      }
      if (rollUsed > voters) throw new Error(`The roll of ${voters} ran out of voters.`);
      const counted = (await (await fetch(`${roll.url}/api/tally`)).json()).total;
      const sent = rollUsed; // every request that can have been counted, in flight ones too
      if (counted < rollAcknowledged || counted > sent) {
        throw new Error(
          `The tally (${counted}) does not match the acknowledged votes (${rollAcknowledged}).`,
        );
      }
      const openResult = combine(openRounds, seconds);
      const rollResult = combine(rollRounds, seconds);
      if (rollResult.non2xx > 0) console.warn(`  ${rollResult.non2xx} roll vote(s) were refused`);
      return {
        hello: helloResult,
        open: openResult,
        roll: rollResult,
        openRatio: openResult.perSecond / helloResult.perSecond,
        rollRatio: rollResult.perSecond / helloResult.perSecond,
      };
    } finally {
      await Promise.all([open.stop(), roll.stop()]);
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

if (import.meta.main) {
  console.log(await benchRollImport());
  console.log(await benchRollThroughput());
}
