/**
 * Reading an electoral roll from a CSV file, streaming (a million rows never
 * sit in memory as text): a header row naming at least `voter_id`, `name`
 * and `age` (and optionally `address`; other columns are ignored), quoted
 * fields with commas and line breaks, a UTF-8 byte-order mark, CRLF or LF.
 * A file is checked whole first (`checkRollFile`): any bad row refuses it.
 */
import { createHash } from "node:crypto";
import { parse } from "csv-parse";
import { checkRollRow, type RollEntry, type RollProblem } from "./roll.ts";
import { describeRollProblem, type RollFileProblem } from "./roll_problems.ts";

/** Problems shown in full; the rest are counted. */
export const MAX_SHOWN_PROBLEMS = 20;
const REQUIRED = ["voter_id", "name", "age"];

/**
 * A roll file that cannot be used: `problems` holds one English line per
 * problem (at most 20), `details` the same as catalogue messages (for the
 * panel's languages), `total` how many there were.
 */
export class RollFileError extends Error {
  /** One English line per problem (at most 20). */
  readonly problems: string[];
  /** The same problems as catalogue messages, for the panel's languages. */
  readonly details: RollFileProblem[];
  /** How many problems there were in all. */
  readonly total: number;

  /**
   * Makes the error for a roll file that cannot be used.
   *
   * @param path The file.
   * @param details The problems to show (the scan keeps at most 20).
   * @param total How many problems there were in all.
   */
  constructor(path: string, details: RollFileProblem[], total = details.length) {
    const problems = details.map((d) => describeRollProblem("en", d));
    const more = total > problems.length ? `\n  … and ${total - problems.length} more` : "";
    super(
      `The roll ${path} was refused (${total} problem${
        total === 1 ? "" : "s"
      }; nothing stored):\n  ${problems.join("\n  ")}${more}`,
    );
    this.name = "RollFileError";
    this.problems = problems;
    this.details = details;
    this.total = total;
  }
}

/** A problem of the whole file, on no line. */
function only(problem: RollProblem): RollFileProblem {
  return { problems: [problem] };
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
      throw new RollFileError(path, [only({ key: "roll_problem_not_file", params: { path } })]);
    }
    return file;
  } catch (e) {
    if (e instanceof RollFileError) throw e;
    const why = e instanceof Deno.errors.NotFound ? "no such file" : (e as Error).message;
    throw new RollFileError(path, [
      only({ key: "roll_problem_cannot_read", params: { path, why } }),
    ]);
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
        throw new RollFileError(path, [only({ key: "roll_problem_utf16" })]);
      }
      first = false;
      let text: string;
      try {
        text = decoder.decode(bytes, { stream: true });
      } catch {
        throw new RollFileError(path, [only({ key: "roll_problem_not_utf8" })]);
      }
      if (text.includes("\0")) {
        throw new RollFileError(path, [only({ key: "roll_problem_nul" })]);
      }
      // A parser that failed (a stray quote, say) never drains: stop feeding it then.
      if (!parser.write(text)) {
        await new Promise<void>((resolve) => {
          // Every listener goes once one fires: a million-row file waits here thousands of times.
          const wake = () => {
            for (const event of ["drain", "error", "close"]) parser.off(event, wake);
            resolve();
          };
          for (const event of ["drain", "error", "close"]) parser.once(event, wake);
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
          throw new RollFileError(path, [{
            line,
            problems: [{
              key: "roll_problem_header_twice",
              params: { columns: [...new Set(twice)].join(", ") },
            }],
          }]);
        }
        const missing = REQUIRED.filter((c) => !columns!.includes(c));
        if (missing.length > 0) {
          throw new RollFileError(path, [{
            line,
            problems: [{
              key: "roll_problem_header_missing",
              params: { missing: missing.join(", "), found: record.join(",").slice(0, 80) },
            }],
          }]);
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
    throw new RollFileError(path, [{
      line: err.lines ?? "?",
      problems: [{
        key: "roll_problem_csv",
        params: { detail: err.message.replace(/^[^:]*: /, "") },
      }],
    }]);
  } finally {
    await feeding;
  }
  if (columns === null) {
    throw new RollFileError(path, [only({ key: "roll_problem_empty" })]);
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
  /** Voters in the file. */
  voters: number;
  /** SHA-256 of the file's bytes, in hex. */
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
  const problems: RollFileProblem[] = [];
  let total = 0;
  let rows = 0;
  let chunk: RollEntry[] = [];
  let lastYield = performance.now();
  for await (const { line, cells } of records(path, hash)) {
    rows++;
    if (rows % every === 0) options.onProgress?.(rows);
    // Parsed rows arrive as promise continuations, which never let timers or sockets
    // in: a server importing from its admin panel would stop answering for seconds.
    if (rows % 256 === 0 && performance.now() - lastYield > 20) {
      await new Promise((resolve) => setTimeout(resolve, 0));
      lastYield = performance.now();
    }
    const checked = checkRollRow(cells);
    let problem: RollProblem[] | null = null;
    if (!checked.ok) problem = checked.problems;
    else {
      const key = epicKey(checked.entry.voterId);
      const earlier = seen.get(key);
      if (earlier !== undefined) {
        problem = [{
          key: "roll_problem_duplicate",
          params: { voterId: checked.entry.voterId, earlier: String(earlier) },
        }];
      } else seen.set(key, line);
    }
    if (problem) {
      total++;
      if (problems.length < MAX_SHOWN_PROBLEMS) problems.push({ line, problems: problem });
      chunk = [];
    } else if (total === 0 && checked.ok) {
      chunk.push(checked.entry);
      if (chunk.length >= chunkSize) {
        yield chunk;
        chunk = [];
      }
    }
  }
  if (rows === 0) problems.push(only({ key: "roll_problem_no_voters" })), total++;
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
