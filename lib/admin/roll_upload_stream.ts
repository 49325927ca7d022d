/**
 * Receiving an electoral roll uploaded from the admin panel: a
 * `multipart/form-data` body (a plain HTML form, no JavaScript needed) is
 * parsed as it streams in (`@fastify/busboy`), and its one file goes straight
 * to disk, so a large roll never sits in memory; past the size limit the
 * upload is refused and the partial file removed.
 */
import { Busboy } from "@fastify/busboy";
import { createWriteStream } from "node:fs";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";

/** Why an upload was refused: too large, not a form with a file, or no file chosen. */
export type UploadRefusal = "too_large" | "not_multipart" | "no_file";

/** An upload that cannot be taken; nothing of it is kept. */
export class RollUploadError extends Error {
  /** Why the upload was refused. */
  readonly reason: UploadRefusal;

  /**
   * Makes the error for a refused upload.
   *
   * @param reason Why it was refused.
   */
  constructor(reason: UploadRefusal) {
    super(
      {
        too_large: "The roll file is larger than the upload limit.",
        not_multipart: "The upload must be a form with a file (multipart/form-data).",
        no_file: "No roll file was chosen.",
      }[reason],
    );
    this.name = "RollUploadError";
    this.reason = reason;
  }
}

/** What the form carried: the file (written to `path`) and its other fields. */
export interface ReceivedUpload {
  /** Bytes of the file. */
  bytes: number;
  /** The file's name as the browser gave it (shown only). */
  filename: string;
  /** The form's text fields (at most 10, each at most 1 KiB). */
  fields: Record<string, string>;
}

/**
 * Streams a multipart form's file field to `path` (created with mode 0600).
 *
 * @param body The request body.
 * @param contentType The request's `Content-Type` (with its boundary).
 * @param options `path`: where the file goes; `field`: the file field's name; `maxBytes`: the
 *   largest file taken.
 * @returns The file's size and name, and the form's text fields.
 * @throws {RollUploadError} `too_large`, `not_multipart` or `no_file`; the partial file is removed.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { receiveUpload } from "./roll_upload_stream.ts";
 * const form = new FormData();
 * form.set("codes", "yes");
 * form.set("roll", new File(["voter_id,name,age\n"], "roll.csv"));
 * const request = new Request("http://x/", { method: "POST", body: form });
 * const path = await Deno.makeTempFile();
 * const got = await receiveUpload(request.body!, request.headers.get("content-type")!, {
 *   path, field: "roll", maxBytes: 1024,
 * });
 * assert.deepEqual(got, { bytes: 18, filename: "roll.csv", fields: { codes: "yes" } });
 * assert.equal(await Deno.readTextFile(path), "voter_id,name,age\n");
 * await Deno.remove(path);
 * ```
 */
export async function receiveUpload(
  body: ReadableStream<Uint8Array>,
  contentType: string,
  options: { path: string; field: string; maxBytes: number },
): Promise<ReceivedUpload> {
  if (!contentType.toLowerCase().startsWith("multipart/form-data")) {
    await body.cancel();
    throw new RollUploadError("not_multipart");
  }
  let parser: InstanceType<typeof Busboy>;
  try {
    parser = new Busboy({
      headers: { "content-type": contentType },
      limits: { files: 1, fileSize: options.maxBytes, fields: 10, fieldSize: 1024, parts: 12 },
    });
  } catch {
    await body.cancel();
    throw new RollUploadError("not_multipart");
  }
  const fields: Record<string, string> = {};
  let file: Promise<void> | null = null;
  let fileStream: Readable | null = null;
  let filename = "";
  let bytes = 0;
  let tooLarge = false;
  parser.on("field", (name: string, value: string) => {
    fields[name] = value;
  });
  parser.on("file", (name: string, stream: Readable, original: string) => {
    if (name !== options.field || file !== null) return void stream.resume();
    filename = original ?? "";
    fileStream = stream;
    stream.on("data", (chunk: Uint8Array) => bytes += chunk.length);
    stream.on("limit", () => {
      // Stop reading at once: the rest of a too-large body is never read.
      tooLarge = true;
      parser.destroy(new RollUploadError("too_large"));
    });
    file = pipeline(stream, createWriteStream(options.path, { mode: 0o600 }));
    // A form cut off inside the file fails this pipeline too; it is awaited below, but it must
    // never reject unheard meanwhile (an unhandled rejection ends the server).
    file.catch(() => {});
  });
  try {
    await pipeline(Readable.fromWeb(body as never), parser);
    await file;
  } catch {
    // The file's writer is ended (its source destroyed) before its file is removed, so nothing is left.
    (fileStream as Readable | null)?.destroy();
    await (file as Promise<void> | null)?.catch(() => {});
    await Deno.remove(options.path).catch(() => {});
    // A malformed form (a cut-off body, no boundary) reads as "not a form with a file".
    throw new RollUploadError(tooLarge ? "too_large" : "not_multipart");
  }
  if (tooLarge || file === null || (bytes === 0 && filename === "")) {
    await Deno.remove(options.path).catch(() => {});
    throw new RollUploadError(tooLarge ? "too_large" : "no_file");
  }
  return { bytes, filename, fields };
}
