/**
 * Importing the electoral roll from the admin panel, in two steps: an upload
 * is kept in a staging folder and checked whole (the same checks and
 * messages as `--roll`), then, once the administrator confirms the preview,
 * imported with the command line's own code (`prepareRoll`) into the running
 * election, which accepts it only while it is open, has no roll and no vote.
 * With codes, the codes CSV is written once, at the import, and the codes
 * and the printable slips (made from it as they download: a QR code costs
 * about a millisecond, too long to make a million in one request) can each
 * be downloaded once; the file is unlinked once both downloads have started,
 * and never written again (a lost code is re-issued).
 */
import { join } from "node:path";
import { parse } from "csv-parse";
import { slipHtml, SLIPS_FOOTER, slipsHeader } from "../election/voter_slips.ts";
import { receiveUpload } from "./roll_upload_stream.ts";
import { prepareRoll } from "../election/roll_import.ts";
import { RollFileError, scanRoll } from "../election/roll_file.ts";
import type { RollEntry, RollInfo } from "../election/roll.ts";
import type { RollFileProblem } from "../election/roll_problems.ts";
import type { ElectionStore } from "../store/store.ts";

/**
 * Where the admin panel stages roll uploads (and codes not yet downloaded)
 * for the election at `db`: a folder beside it, emptied at every start.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { rollUploadsDir } from "./roll_uploads.ts";
 * assert.equal(rollUploadsDir("data/election.db"), "data/election.db.roll-import");
 * ```
 */
export function rollUploadsDir(db: string): string {
  return `${db}.roll-import`;
}

/** How the panel's imports are set up. */
export interface RollUploadsOptions {
  /** The staging folder (created, mode 0700; emptied at start): uploads, codes and slips wait here. */
  dir: string;
  /** The largest roll file taken, in bytes. */
  maxBytes: number;
  /** Saves a new codes' key once the roll has passed every check (as `--codes` does). */
  saveKey: (key: Uint8Array) => Promise<void>;
  /** How long an upload waits for its confirmation, in milliseconds (default one hour). */
  ttlMs?: number;
  /** The clock, in epoch milliseconds (default `Date.now`). */
  now?: () => number;
}

/** What an upload shows before the import: its voters, or its problems. */
export type RollPreview =
  | {
    ok: true;
    /** Names the upload in the confirm form. */
    token: string;
    filename: string;
    voters: number;
    /** The first few voters, as they will be stored. */
    sample: RollEntry[];
    codes: boolean;
  }
  | {
    ok: false;
    filename: string;
    /** The problems (at most 20), as catalogue messages: `describeRollProblem` words them. */
    problems: RollFileProblem[];
    /** How many problems in all. */
    total: number;
  };

/** A file the administrator may download once. */
export interface RollDownload {
  /** The one-time download's id: 32 random hex digits. */
  id: string;
  /** What it holds: the codes CSV or the printable slips. */
  kind: "codes" | "slips";
}

/** A confirmation naming no waiting upload (expired, confirmed already, or never made). */
export class RollUploadGone extends Error {
  constructor() {
    super("This upload is no longer waiting for confirmation: upload the roll file again.");
    this.name = "RollUploadGone";
  }
}

/** An import's codes CSV (`voter_id,name,code`), until both its downloads have started. */
interface CodesFile {
  path: string;
  /** Downloads not started yet. */
  left: number;
  boothUrl: string;
  title: string;
}

/** The printable slips page, made from the codes CSV as it is read. */
function slipsFrom(file: Deno.FsFile, codes: CodesFile): ReadableStream<Uint8Array> {
  const rows = file.readable.pipeThrough(new TextDecoderStream());
  async function* html() {
    yield slipsHeader(codes.title);
    const parser = parse({ bom: true, columns: true });
    const feeding = (async () => {
      try {
        for await (const text of rows) {
          if (!parser.write(text)) await new Promise((r) => parser.once("drain", r));
        }
        parser.end();
      } catch (e) {
        parser.destroy(e as Error);
      }
    })();
    let made = 0;
    for await (const row of parser as AsyncIterable<Record<string, string>>) {
      // A QR code is a millisecond of CPU: let votes and other requests in between slips.
      if (++made % 20 === 0) await new Promise((resolve) => setTimeout(resolve, 0));
      yield await slipHtml(
        { voterId: row.voter_id, name: row.name, code: row.code },
        { boothUrl: codes.boothUrl, title: codes.title },
      );
    }
    await feeding;
    yield SLIPS_FOOTER;
  }
  return ReadableStream.from(html()).pipeThrough(new TextEncoderStream());
}

interface Staged {
  path: string;
  filename: string;
  codes: boolean;
  expires: number;
}

const SAMPLE_ROWS = 5;
const FILES = {
  codes: { name: "voting-codes.csv", type: "text/csv; charset=utf-8" },
  slips: { name: "voter-slips.html", type: "text/html; charset=utf-8" },
} as const;

function randomId(): string {
  return Array.from(
    crypto.getRandomValues(new Uint8Array(16)),
    (b) => b.toString(16).padStart(2, "0"),
  )
    .join("");
}

/** The panel's roll uploads: staged files, previews, the import, and one-time downloads. */
export class RollUploads {
  /** The largest roll file taken, in bytes. */
  readonly maxBytes: number;
  readonly #options: RollUploadsOptions;
  readonly #staged = new Map<string, Staged>();
  readonly #downloads = new Map<string, { kind: "codes" | "slips"; codes: CodesFile }>();

  private constructor(options: RollUploadsOptions) {
    this.#options = options;
    this.maxBytes = options.maxBytes;
  }

  /**
   * Makes the staging folder, emptied of what a previous run left (uploads,
   * and codes nobody downloaded: they are never kept past a restart).
   *
   * @param options The folder, the size limit and the key's saver.
   * @returns The uploads.
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { RollUploads } from "./roll_uploads.ts";
   * const dir = await Deno.makeTempDir();
   * const uploads = await RollUploads.open({ dir: `${dir}/up`, maxBytes: 1 << 20, saveKey: async () => {} });
   * const form = new FormData();
   * form.set("roll", new File(["voter_id,name,age\nWKH1186253,Asha Rao,34\n"], "roll.csv"));
   * const request = new Request("http://x/", { method: "POST", body: form });
   * const preview = await uploads.upload(request.body!, request.headers.get("content-type")!);
   * assert.equal(preview.ok && preview.voters, 1);
   * await Deno.remove(dir, { recursive: true });
   * ```
   */
  static async open(options: RollUploadsOptions): Promise<RollUploads> {
    await Deno.remove(options.dir, { recursive: true }).catch((e) => {
      if (!(e instanceof Deno.errors.NotFound)) throw e;
    });
    await Deno.mkdir(options.dir, { recursive: true, mode: 0o700 });
    return new RollUploads(options);
  }

  #now(): number {
    return (this.#options.now ?? Date.now)();
  }

  /** Removes uploads whose confirmation did not come in time. */
  async #expire() {
    for (const [token, staged] of this.#staged) {
      if (staged.expires > this.#now()) continue;
      this.#staged.delete(token);
      await Deno.remove(staged.path).catch(() => {});
    }
  }

  /**
   * Takes an upload (form fields `roll`, the file, and `codes`, `yes` or
   * `no`) and checks it whole; a file with problems is not kept.
   *
   * @param body The request body.
   * @param contentType The request's `Content-Type`.
   * @returns The preview.
   * @throws {RollUploadError} For a body that is too large, not a form, or without a file.
   */
  async upload(body: ReadableStream<Uint8Array>, contentType: string): Promise<RollPreview> {
    await this.#expire();
    const token = randomId();
    const path = join(this.#options.dir, `${token}.csv`);
    const got = await receiveUpload(body, contentType, {
      path,
      field: "roll",
      maxBytes: this.maxBytes,
    });
    const filename = got.filename.slice(0, 200);
    const sample: RollEntry[] = [];
    let voters = 0;
    try {
      const scan = scanRoll(path);
      for (;;) {
        const next = await scan.next();
        if (next.done) {
          voters = next.value.voters;
          break;
        }
        if (sample.length < SAMPLE_ROWS) sample.push(...next.value.slice(0, SAMPLE_ROWS));
      }
    } catch (e) {
      await Deno.remove(path).catch(() => {});
      if (!(e instanceof RollFileError)) throw e;
      return { ok: false, filename, problems: e.details, total: e.total };
    }
    const codes = got.fields.codes !== "no";
    this.#staged.set(token, {
      path,
      filename,
      codes,
      expires: this.#now() + (this.#options.ttlMs ?? 3_600_000),
    });
    return { ok: true, token, filename, voters, sample, codes };
  }

  /**
   * Imports a previewed upload into the running election.
   *
   * @param token The upload's token from its preview.
   * @param store The running election.
   * @param options The booth's public address and the title printed on slips; `useKey` takes
   *   a new codes' key once it is saved, before the roll that needs it is committed.
   * @returns The roll as stored, and the files to download once (with codes).
   * @throws {RollUploadGone} For a token that names no waiting upload.
   * @throws {RollImportRefused} When the election refuses a roll (nothing stored).
   */
  async confirm(
    token: string,
    store: ElectionStore,
    options: { boothUrl: string; title: string; useKey?: (key: Uint8Array) => void },
  ): Promise<{ info: RollInfo; downloads: RollDownload[] }> {
    await this.#expire();
    const staged = this.#staged.get(token);
    if (!staged) throw new RollUploadGone();
    this.#staged.delete(token); // one confirmation: a second click finds nothing
    const ids = { codes: randomId(), slips: randomId() };
    const codesPath = join(this.#options.dir, `${ids.codes}.codes.csv`);
    try {
      const info = await prepareRoll({
        // The running election's own checks are inside `importRoll`'s transaction.
        inspect: () => Promise.resolve({ election: false, roll: null }),
        write: (fill) => store.importRoll(fill),
      }, {
        path: staged.path,
        codes: staged.codes,
        saveKey: async (key) => {
          await this.#options.saveKey(key);
          options.useKey?.(key);
        },
        codesOut: staged.codes ? codesPath : undefined,
        // Each chunk's codes and inserts run without a break: small ones keep requests flowing.
        chunkSize: 1000,
      });
      const downloads: RollDownload[] = [];
      if (staged.codes) {
        const codes = {
          path: codesPath,
          left: 2,
          boothUrl: options.boothUrl,
          title: options.title,
        };
        for (const kind of ["codes", "slips"] as const) {
          this.#downloads.set(ids[kind], { kind, codes });
          downloads.push({ id: ids[kind], kind });
        }
      }
      return { info: info!, downloads };
    } finally {
      await Deno.remove(staged.path).catch(() => {});
    }
  }

  /**
   * Drops an upload that was not confirmed.
   *
   * @param token The upload's token.
   * @returns Whether an upload was waiting.
   */
  async discard(token: string): Promise<boolean> {
    const staged = this.#staged.get(token);
    if (!staged) return false;
    this.#staged.delete(token);
    await Deno.remove(staged.path).catch(() => {});
    return true;
  }

  /**
   * Opens a download for the one time it is given; once both of an import's
   * downloads have started, its codes file is unlinked (an open download
   * still reads it to the end).
   *
   * @param id The download's id.
   * @returns The body with its name and type, or null when it was taken or never made.
   */
  async take(id: string): Promise<
    { body: ReadableStream<Uint8Array>; kind: "codes" | "slips"; name: string; type: string } | null
  > {
    const download = this.#downloads.get(id);
    if (!download) return null;
    this.#downloads.delete(id);
    const { codes, kind } = download;
    const file = await Deno.open(codes.path);
    if (--codes.left === 0) await Deno.remove(codes.path);
    const body = kind === "codes" ? file.readable : slipsFrom(file, codes);
    return { body, kind, ...FILES[kind] };
  }

  /** Downloads not taken yet. */
  get pendingDownloads(): number {
    return this.#downloads.size;
  }
}
