/** Test rolls: CSV files of the test voters (`_voters.ts`), and their codes after an import. */
import { parse } from "csv-parse/sync";
import { prepareRoll, type RollTarget } from "../lib/election/roll_import.ts";
import type { RollInfo } from "../lib/election/roll.ts";
import { voterId } from "./_voters.ts";
import type { Hono } from "hono";
import { createApp } from "../app.ts";
import { CodeThrottle } from "../lib/election/code_throttle.ts";
import { readCodeKey } from "../lib/election/code_key.ts";
import type { ElectionStore } from "../lib/store/store.ts";
import { sqliteRollTarget } from "../lib/store/sqlite/sqlite_roll.ts";
import { openSqliteStore } from "../lib/store/sqlite/sqlite_store.ts";

/** Writes a roll of voters `from` … `from + count - 1`; voter `underage` (if given) is 17. */
export async function writeRoll(
  path: string,
  count: number,
  options: { from?: number; underage?: number } = {},
): Promise<void> {
  const from = options.from ?? 0;
  const lines = ["voter_id,name,age,address"];
  for (let n = from; n < from + count; n++) {
    const name = `Voter ${String.fromCharCode(65 + n % 26)}`;
    lines.push(`${voterId(n)},${name},${n === options.underage ? 17 : 30},"${n} Roll Road, Pune"`);
  }
  await Deno.writeTextFile(path, lines.join("\r\n") + "\r\n");
}

/** Imports a roll through `target`; with codes, returns each voter's code by voter ID. */
export async function importTestRoll(
  target: RollTarget,
  options: { path: string; codes: boolean; keyPath: string },
): Promise<{ roll: RollInfo | null; codes: Map<string, string> }> {
  const codesOut = options.codes ? `${options.keyPath}.codes.csv` : undefined;
  const { createCodeKey } = await import("../lib/election/code_key.ts");
  const roll = await prepareRoll(target, {
    path: options.path,
    codes: options.codes,
    saveKey: async (key) => void await createCodeKey(options.keyPath, key),
    codesOut,
  });
  const codes = new Map<string, string>();
  if (codesOut) {
    const rows = parse(await Deno.readTextFile(codesOut), { columns: true, bom: true }) as {
      voter_id: string;
      code: string;
    }[];
    for (const r of rows) codes.set(r.voter_id, r.code);
  }
  return { roll, codes };
}

/**
 * The app of a SQLite election in `dir` whose roll of `count` test voters
 * has codes, with a code throttle of 3 wrong codes per (address, voter ID).
 * Returns the store (to shut down), the codes' key, and each voter's code by voter ID.
 */
export async function codesApp(
  dir: string,
  count: number,
  options: { underage?: number } = {},
): Promise<{ app: Hono; store: ElectionStore; codesKey: Uint8Array; codes: Map<string, string> }> {
  const path = `${dir}/e.db`;
  await writeRoll(`${dir}/roll.csv`, count, options);
  const { codes } = await importTestRoll(sqliteRollTarget(path), {
    path: `${dir}/roll.csv`,
    codes: true,
    keyPath: `${dir}/e.codes.key`,
  });
  const store = await openSqliteStore(path, { step: 1 });
  const codesKey = await readCodeKey(`${dir}/e.codes.key`);
  const app = createApp({ store, codesKey, codeThrottle: new CodeThrottle({ perPair: 3 }) });
  return { app, store, codesKey, codes };
}
