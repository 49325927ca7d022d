/**
 * Imports a roll file into a new SQLite election and prints, as JSON, the
 * seconds it took, the CPU seconds it used (less sensitive than the wall
 * clock to a machine shared with others) and the process's peak resident
 * memory (VmHWM). Run as its own process by `roll.ts`, so the peak is the
 * import's alone.
 *
 * Usage: deno run -A bench/_import_roll.ts ROLL.csv DB [--codes CODES_OUT]
 */
import { cpuUsage } from "node:process";
import { codeKeyPath, createCodeKey } from "../lib/election/code_key.ts";
import { prepareRoll } from "../lib/election/roll_import.ts";
import { sqliteRollTarget } from "../lib/store/sqlite/sqlite_roll.ts";

const [rollPath, db, flag, codesOut] = Deno.args;
const codes = flag === "--codes";
const started = performance.now();
const roll = await prepareRoll(sqliteRollTarget(db), {
  path: rollPath,
  codes,
  saveKey: async (key) => void await createCodeKey(codeKeyPath(db), key),
  codesOut: codes ? codesOut : undefined,
});
const seconds = (performance.now() - started) / 1000;
const cpu = cpuUsage();
const cpuSeconds = (cpu.user + cpu.system) / 1e6;
const peak = Number(Deno.readTextFileSync("/proc/self/status").match(/VmHWM:\s+(\d+)/)?.[1] ?? 0);
console.log(JSON.stringify({ voters: roll?.voters, seconds, cpuSeconds, peakMb: peak / 1024 }));
