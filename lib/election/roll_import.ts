/**
 * Bringing a roll into an election: checked whole first (any bad row refuses
 * the file and nothing is stored), then stored in one transaction with each
 * voter's code as a keyed hash, while the codes are written once to the
 * `--codes-out` CSV and the `--slips` page. Those files appear under their
 * names only after the roll is committed, and are never written again.
 */
import { ElectionMismatchError } from "./election_config.ts";
import { csvRow } from "../admin/csv.ts";
import { BOM } from "../admin/result_export.ts";
import { nameKey, type RollFill, type RollInfo, type StoredRollEntry } from "./roll.ts";
import { checkRollFile, RollFileError, scanRoll } from "./roll_file.ts";
import { newVotingCode } from "./voting_code.ts";
import { codeHash } from "./code_hash.ts";
import { slipHtml, SLIPS_FOOTER, slipsHeader } from "./voter_slips.ts";
import type { Locale } from "../i18n/format.ts";

/** Where a roll is stored: what is there already, and a one-transaction write. */
export interface RollTarget {
  /** Whether an election and a roll are stored already. */
  inspect(): Promise<{ election: boolean; roll: RollInfo | null }>;
  /** Runs `fill` in one transaction, then stores the roll's description that it returns. */
  write(fill: RollFill): Promise<unknown>;
}

/** What the command line asks about the roll. */
export interface RollRequest {
  /** The roll's CSV file, or undefined for "as stored" (or no roll). */
  path?: string;
  /** Whether each voter gets a one-time code. */
  codes: boolean;
  /** Saves the codes' key (a new one, made here), once the roll has passed every check. */
  saveKey?: (key: Uint8Array) => Promise<void>;
  /** Writes `voter_id,name,code` here at import. */
  codesOut?: string;
  /** Writes printable voter slips here at import. */
  slips?: { path: string; boothUrl: string; title: string; locale?: Locale };
  /** Progress: rows read so far. */
  onProgress?: (rows: number) => void;
  /** Voters stored per insert (default 5,000; a running server takes smaller ones, to stay responsive). */
  chunkSize?: number;
}

function mismatch(message: string): ElectionMismatchError {
  return new ElectionMismatchError(
    `${message} Start with --new-election to begin a new election (the old database is kept).`,
  );
}

/** A file written under a temporary name and renamed once complete. */
class PendingFile {
  #file: Deno.FsFile;
  #buffer: string[] = [];
  #size = 0;
  readonly path: string;
  readonly #encoder = new TextEncoder();

  private constructor(path: string, file: Deno.FsFile) {
    this.path = path;
    this.#file = file;
  }

  static async create(path: string): Promise<PendingFile> {
    return new PendingFile(
      path,
      await Deno.open(`${path}.partial`, {
        write: true,
        create: true,
        truncate: true,
        mode: 0o600,
      }),
    );
  }

  async write(text: string) {
    this.#buffer.push(text);
    this.#size += text.length;
    if (this.#size > 1 << 16) await this.flush();
  }

  async flush() {
    const bytes = this.#encoder.encode(this.#buffer.join(""));
    this.#buffer = [];
    this.#size = 0;
    for (let off = 0; off < bytes.length;) off += await this.#file.write(bytes.subarray(off));
  }

  async finish() {
    await this.flush();
    await this.#file.sync();
    this.#file.close();
    await Deno.rename(`${this.path}.partial`, this.path);
  }

  async abandon() {
    try {
      this.#file.close();
    } catch { /* closed already */ }
    await Deno.remove(`${this.path}.partial`).catch(() => {});
  }
}

/**
 * Decides what the roll request means for the stored election, and imports
 * the roll into a new one.
 *
 * @param target The store's roll tables.
 * @param request The roll file, codes and outputs asked for.
 * @returns The election's roll, or null for an open election.
 * @throws {RollFileError} For a roll file with any bad row (nothing is stored).
 * @throws {ElectionMismatchError} When the request contradicts the stored election.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { prepareRoll } from "./roll_import.ts";
 * const dir = await Deno.makeTempDir();
 * await Deno.writeTextFile(`${dir}/roll.csv`, "voter_id,name,age\nWKH1186253,Asha Rao,34\n");
 * const stored: unknown[] = [];
 * const target = {
 *   inspect: () => Promise.resolve({ election: false, roll: null }),
 *   write: async (fill: (insert: (rows: unknown[]) => Promise<void>) => Promise<unknown>) => {
 *     await fill((rows) => Promise.resolve(void stored.push(...rows)));
 *   },
 * };
 * const roll = await prepareRoll(target, { path: `${dir}/roll.csv`, codes: false });
 * assert.equal(roll?.voters, 1);
 * assert.equal(stored.length, 1);
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export async function prepareRoll(
  target: RollTarget,
  request: RollRequest,
): Promise<RollInfo | null> {
  const stored = await target.inspect();
  if (stored.election || stored.roll) {
    if (request.path === undefined) return stored.roll;
    if (!stored.roll) {
      throw mismatch("The stored election has no electoral roll, but --roll was given.");
    }
    const { fingerprint } = await checkRollFile(request.path);
    if (fingerprint !== stored.roll.fingerprint) {
      throw mismatch(`The stored election has another electoral roll than ${request.path}.`);
    }
    if (request.codes !== stored.roll.codes) {
      throw mismatch(
        `The stored election ${stored.roll.codes ? "uses" : "does not use"} voting codes.`,
      );
    }
    if (request.codesOut || request.slips) {
      throw mismatch(
        "Codes and slips are written only once, when the roll is imported; re-issue a lost code from the admin panel.",
      );
    }
    return stored.roll;
  }
  if (request.path === undefined) return null;
  const path = request.path;
  const outputs: PendingFile[] = [];
  const create = async (file: string) => {
    try {
      const pending = await PendingFile.create(file);
      outputs.push(pending);
      return pending;
    } catch (e) {
      for (const f of outputs) await f.abandon();
      const why = e instanceof Deno.errors.NotCapable || e instanceof Deno.errors.PermissionDenied
        ? "not allowed (deno task start writes only under data/)"
        : (e as Error).message;
      throw new RollFileError(path, [{
        problems: [{ key: "roll_problem_cannot_write", params: { path: file, why } }],
      }]);
    }
  };
  const codesOut = request.codesOut ? await create(request.codesOut) : null;
  const slips = request.slips ? await create(request.slips.path) : null;
  const key = request.codes ? crypto.getRandomValues(new Uint8Array(32)) : null;
  let info: RollInfo | null = null;
  try {
    // A byte-order mark, as in every export, so spreadsheets show names in any script.
    await codesOut?.write(BOM + csvRow(["voter_id", "name", "code"]));
    await slips?.write(slipsHeader(request.slips!.title, request.slips!.locale));
    await target.write(async (insert) => {
      // One pass: voters are stored as they are read, and any problem in the
      // file throws at the end of the scan, which rolls the transaction back.
      const scan = scanRoll(path, {
        onProgress: request.onProgress,
        chunkSize: request.chunkSize,
      });
      for (;;) {
        const next = await scan.next();
        if (next.done) {
          info = {
            voters: next.value.voters,
            codes: request.codes,
            fingerprint: next.value.fingerprint,
          };
          break;
        }
        const chunk = next.value;
        const stored: StoredRollEntry[] = [];
        const lines: string[] = [];
        for (const entry of chunk) {
          const code = key ? newVotingCode() : null;
          stored.push({
            ...entry,
            nameKey: nameKey(entry.name),
            codeHash: code && codeHash(key!, entry.voterId, code),
          });
          if (code && codesOut) lines.push(csvRow([entry.voterId, entry.name, code]));
          if (code && slips) await slips.write(await slipHtml({ ...entry, code }, request.slips!));
        }
        await codesOut?.write(lines.join(""));
        await insert(stored);
      }
      await slips?.write(SLIPS_FOOTER);
      await codesOut?.flush();
      await slips?.flush();
      if (key) await request.saveKey!(key);
      return info!;
    });
    for (const f of outputs) await f.finish();
  } catch (e) {
    for (const f of outputs) await f.abandon();
    throw e;
  }
  return info!;
}
