/**
 * Reading an electoral roll from a CSV file, streaming (a million rows never
 * sit in memory as text): a header row naming at least `voter_id`, `name`
 * and `age` (and optionally `address`; other columns are ignored), quoted
 * fields with commas and line breaks, a UTF-8 byte-order mark, CRLF or LF.
 * A file is checked whole first (`checkRollFile`): any bad row refuses it.
 */
import { createHash } from "node:crypto";
import { parse } from "csv-parse";
import { checkRollRow, type RollEntry } from "./roll.ts";

/** Problems shown in full; the rest are counted. */
export const MAX_SHOWN_PROBLEMS = 20;
const REQUIRED = ["voter_id", "name", "age"];

/** A roll file that cannot be used; `problems` holds one line per problem (at most 20). */
export class RollFileError extends Error {
  readonly problems: string[];
  readonly total: number;

  constructor(path: string, problems: string[], total = problems.length) {
    const more = total > problems.length ? `\n  … and ${total - problems.length} more` : "";
    super(
      `The roll ${path} was refused (${total} problem${
        total === 1 ? "" : "s"
      }; nothing stored):\n  ${problems.join("\n  ")}${more}`,
    );
    this.name = "RollFileError";
    this.problems = problems;
    this.total = total;
  }
}

/** Options for reading a roll. */
export interface RollReadOptions {
  /** Called every `progressEvery` rows with the rows read so far. */
  onProgress?: (rows: number) => void;
  /** Rows between progress calls (default 100,000). */
  progressEvery?: number;
}

interface RollRecord {
  line: number;
  cells: Record<string, string>;
}

async function openRoll(path: string): Promise<Deno.FsFile> {
  try {
    const file = await Deno.open(path);
    if (!(await file.stat()).isFile) {
      file.close();
      throw new RollFileError(path, [`${path} is not a file`]);
    }
    return file;
  } catch (e) {
    if (e instanceof RollFileError) throw e;
    const why = e instanceof Deno.errors.NotFound ? "no such file" : (e as Error).message;
    throw new RollFileError(path, [`cannot read ${path}: ${why}`]);
  }
}

/** Feeds the file to the parser as UTF-8 text, hashing its bytes; refuses other encodings. */
async function feed(
  path: string,
  parser: ReturnType<typeof parse>,
  hash: ReturnType<typeof createHash>,
): Promise<void> {
  const decoder = new TextDecoder("utf-8", { fatal: true });
  let first = true;
  try {
    const file = await openRoll(path);
    for await (const bytes of file.readable) {
      hash.update(bytes);
      if (
        first && bytes.length >= 2 && (bytes[0] === 0xff && bytes[1] === 0xfe ||
          bytes[0] === 0xfe && bytes[1] === 0xff)
      ) {
        throw new RollFileError(path, ["the file is in UTF-16: save it as UTF-8 CSV"]);
      }
      first = false;
      let text: string;
      try {
        text = decoder.decode(bytes, { stream: true });
      } catch {
        throw new RollFileError(path, ["the file is not UTF-8 text: save it as UTF-8 CSV"]);
      }
      if (text.includes("\0")) {
        throw new RollFileError(path, ["the file is not a CSV text file (it holds NUL bytes)"]);
      }
      // A parser that failed (a stray quote, say) never drains: stop feeding it then.
      if (!parser.write(text)) {
        // Whichever comes first; the other two listeners go too, or they pile up.
        await new Promise<void>((resolve) => {
          const done = () => {
            for (const event of ["drain", "error", "close"]) parser.off(event, done);
            resolve();
          };
          for (const event of ["drain", "error", "close"]) parser.on(event, done);
        });
      }
      if (parser.destroyed || parser.errored) return;
    }
    parser.end();
  } catch (e) {
    parser.destroy(e as Error);
  }
}

/** The file's records after the header, with the line each starts on. */
async function* records(
  path: string,
  hash = createHash("sha256"),
): AsyncGenerator<RollRecord> {
  const parser = parse({
    bom: true,
    relax_column_count: true,
    skip_empty_lines: true,
    info: true,
    record_delimiter: ["\r\n", "\n"],
    max_record_size: 1 << 20,
  });
  const feeding = feed(path, parser, hash);
  let columns: string[] | null = null;
  try {
    for await (
      const { record, info } of parser as AsyncIterable<
        { record: string[]; info: { lines: number } }
      >
    ) {
      const breaks = record.reduce((n, cell) => n + (cell.match(/\r\n|\n/g)?.length ?? 0), 0);
      const line = info.lines - breaks;
      if (columns === null) {
        columns = record.map((c) => c.trim().toLowerCase());
        const twice = columns.filter((c, i) => c !== "" && columns!.indexOf(c) !== i);
        if (twice.length > 0) {
          throw new RollFileError(path, [
            `line ${line}: the header row names ${[...new Set(twice)].join(", ")} twice`,
          ]);
        }
        const missing = REQUIRED.filter((c) => !columns!.includes(c));
        if (missing.length > 0) {
          throw new RollFileError(path, [
            `line ${line}: the header row must name the columns voter_id, name and age (and may name address); missing ${
              missing.join(", ")
            }, found "${record.join(",").slice(0, 80)}"`,
          ]);
        }
        continue;
      }
      const cells: Record<string, string> = {};
      columns.forEach((name, i) => {
        if (record[i] !== undefined && !(name in cells)) cells[name] = record[i];
      });
      yield { line, cells };
    }
  } catch (e) {
    if (e instanceof RollFileError) throw e;
    const err = e as Error & { lines?: number };
    throw new RollFileError(path, [
      `line ${err.lines ?? "?"}: not valid CSV: ${err.message.replace(/^[^:]*: /, "")}`,
    ]);
  } finally {
    await feeding;
  }
  if (columns === null) {
    throw new RollFileError(path, [
      "the file is empty: it needs a header row voter_id,name,age and one row per voter",
    ]);
  }
}

/** EPIC numbers as numbers (letters base 26, then the digits), a compact key for duplicates. */
function epicKey(id: string): number {
  const letters = (id.charCodeAt(0) - 65) * 676 + (id.charCodeAt(1) - 65) * 26 +
    id.charCodeAt(2) - 65;
  return letters * 1e7 + Number(id.slice(3));
}

/** What a whole scan found: the number of voters and the SHA-256 of the file. */
export interface RollSummary {
  voters: number;
  fingerprint: string;
}

/**
 * Reads a roll file in one pass: every row checked, and no voter ID twice.
 * Voters come in chunks while no problem has been found; after the first,
 * the scan goes on only to report the rest, and ends by throwing.
 *
 * @param path The CSV file.
 * @param options Chunk size and progress.
 * @returns The voters in chunks; the generator's return value is the summary.
 * @throws {RollFileError} With the first 20 problems (line numbers) and their count.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { RollFileError, scanRoll } from "./roll_file.ts";
 * const dir = await Deno.makeTempDir();
 * await Deno.writeTextFile(`${dir}/roll.csv`, "voter_id,name,age,address\nwkh1186253,Asha Rao,34,\"1\nMG Road\"\n");
 * const chunks = await Array.fromAsync(scanRoll(`${dir}/roll.csv`));
 * assert.deepEqual(chunks[0][0], { voterId: "WKH1186253", name: "Asha Rao", age: 34, address: "1 MG Road" });
 * await Deno.writeTextFile(`${dir}/bad.csv`, "voter_id,name,age\nWKH1186253,Asha,34\nwkh-1186253,Asha,34\n");
 * await assert.rejects(Array.fromAsync(scanRoll(`${dir}/bad.csv`)), /line 3: voter ID WKH1186253 is already on line 2/);
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export async function* scanRoll(
  path: string,
  options: RollReadOptions & { chunkSize?: number } = {},
): AsyncGenerator<RollEntry[], RollSummary> {
  const every = options.progressEvery ?? 100_000;
  const chunkSize = options.chunkSize ?? 5000;
  const hash = createHash("sha256");
  const seen = new Map<number, number>();
  const problems: string[] = [];
  let total = 0;
  let rows = 0;
  let chunk: RollEntry[] = [];
  for await (const { line, cells } of records(path, hash)) {
    rows++;
    if (rows % every === 0) options.onProgress?.(rows);
    const checked = checkRollRow(cells);
    let problem: string | null = null;
    if (!checked.ok) problem = checked.problems.join("; ");
    else {
      const key = epicKey(checked.entry.voterId);
      const earlier = seen.get(key);
      if (earlier !== undefined) {
        problem = `voter ID ${checked.entry.voterId} is already on line ${earlier}`;
      } else seen.set(key, line);
    }
    if (problem) {
      total++;
      if (problems.length < MAX_SHOWN_PROBLEMS) problems.push(`line ${line}: ${problem}`);
      chunk = [];
    } else if (total === 0 && checked.ok) {
      chunk.push(checked.entry);
      if (chunk.length >= chunkSize) {
        yield chunk;
        chunk = [];
      }
    }
  }
  if (rows === 0) problems.push("the roll has a header row but no voters"), total++;
  if (total > 0) throw new RollFileError(path, problems, total);
  if (chunk.length > 0) yield chunk;
  return { voters: rows, fingerprint: hash.digest("hex") };
}

/**
 * Checks a whole roll file without keeping its voters.
 *
 * @param path The CSV file.
 * @param options Progress reporting.
 * @returns The number of voters and the SHA-256 of the file.
 * @throws {RollFileError} With the first 20 problems (line numbers) and their count.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { checkRollFile, RollFileError } from "./roll_file.ts";
 * const dir = await Deno.makeTempDir();
 * await Deno.writeTextFile(`${dir}/roll.csv`, "\uFEFFvoter_id,name,age,address\r\nWKH1186253,Asha Rao,34,\"12 MG Road, Pune\"\r\n");
 * assert.equal((await checkRollFile(`${dir}/roll.csv`)).voters, 1);
 * await Deno.writeTextFile(`${dir}/bad.csv`, "voter_id,name,age\nWKH1186263,Asha,abc\n");
 * await assert.rejects(checkRollFile(`${dir}/bad.csv`), RollFileError);
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export async function checkRollFile(
  path: string,
  options: RollReadOptions = {},
): Promise<RollSummary> {
  const scan = scanRoll(path, options);
  for (;;) {
    const next = await scan.next();
    if (next.done) return next.value;
  }
}
