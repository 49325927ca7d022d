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
  open: WrkResult;
  roll: WrkResult;
  openRatio: number;
  rollRatio: number;
}

/** Measures, in one run, hello-world, open votes, and votes with a roll of `voters` and codes. */
export async function benchRollThroughput(
  seconds = 10,
  connections = 64,
  voters = 300_000,
): Promise<RollThroughput> {
  const dir = await Deno.makeTempDir({ prefix: "matdaan-roll-wrk-" });
  try {
    const hello = await startScript(HELLO, []);
    let helloResult: WrkResult;
    try {
      helloResult = await runWrk(`${hello.url}/`, { connections, seconds });
    } finally {
      await hello.stop();
    }
    const open = await startServer(["--db", `${dir}/open.db`, ...MANY_CLIENTS]);
    let openResult: WrkResult;
    try {
      openResult = await runWrk(open.url, { connections, seconds, script: VOTES_LUA });
    } finally {
      await open.stop();
    }
    // The roll is imported beforehand, as for a real election, so the server
    // measured resumes it fresh rather than carrying the import's garbage.
    await writeBenchRoll(`${dir}/roll.csv`, voters);
    await importRoll(`${dir}/roll.csv`, `${dir}/roll.db`, `${dir}/codes.csv`);
    const server = await startServer(["--db", `${dir}/roll.db`, ...MANY_CLIENTS]);
    let rollResult: WrkResult;
    try {
      rollResult = await runWrk(server.url, {
        connections,
        seconds,
        script: ROLL_VOTES_LUA,
        env: { CODES_FILE: `${dir}/codes.csv` },
      });
      const counted = (await (await fetch(`${server.url}/api/tally`)).json()).total;
      const acknowledged = rollResult.requests - rollResult.non2xx;
      if (counted < acknowledged || counted > acknowledged + connections) {
        throw new Error(
          `The tally (${counted}) does not match the acknowledged votes (${acknowledged}).`,
        );
      }
      if (rollResult.non2xx > 0) console.warn(`  ${rollResult.non2xx} roll vote(s) were refused`);
    } finally {
      await server.stop();
    }
    return {
      hello: helloResult,
      open: openResult,
      roll: rollResult,
      openRatio: openResult.perSecond / helloResult.perSecond,
      rollRatio: rollResult.perSecond / helloResult.perSecond,
    };
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

if (import.meta.main) {
  console.log(await benchRollImport());
  console.log(await benchRollThroughput());
}
