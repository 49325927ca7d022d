/** Test rolls: CSV files of the test voters (`_voters.ts`), and their codes after an import. */
import { parse } from "csv-parse/sync";
import { prepareRoll, type RollTarget } from "../lib/election/roll_import.ts";
import type { RollInfo } from "../lib/election/roll.ts";
import { voterId } from "./_voters.ts";

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
