/**
 * The key that voting codes are hashed with (`voting_code.ts`). It lives in a
 * file of its own beside the database, never in it: someone holding a copy of
 * the database alone cannot test a single guess of a code.
 */
import { basename, dirname, extname, join } from "node:path";

/** The key file cannot be read or is not a key. */
export class CodeKeyError extends Error {
  /**
   * Makes the error for a key file that cannot be used.
   *
   * @param message What is wrong with the file.
   */
  constructor(message: string) {
    super(message);
    this.name = "CodeKeyError";
  }
}

/**
 * Where an election's code key lives: beside its database (`--db`).
 *
 * @param db The database file (with PostgreSQL, the file that names the audit log's folder).
 * @returns The key file's path.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { codeKeyPath } from "./code_key.ts";
 * assert.equal(codeKeyPath("data/election.db"), "data/election.codes.key");
 * ```
 */
export function codeKeyPath(db: string): string {
  return join(dirname(db), `${basename(db, extname(db))}.codes.key`);
}

/**
 * Writes a key (hex, owner-only) to a file that must not exist yet; by
 * default a new random 256-bit one.
 *
 * @param path The key file.
 * @param key The key to write.
 * @returns The key.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { createCodeKey, readCodeKey } from "./code_key.ts";
 * const dir = await Deno.makeTempDir();
 * const key = await createCodeKey(`${dir}/e.codes.key`);
 * assert.deepEqual(await readCodeKey(`${dir}/e.codes.key`), key);
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export async function createCodeKey(
  path: string,
  key: Uint8Array = crypto.getRandomValues(new Uint8Array(32)),
): Promise<Uint8Array> {
  const hex = Array.from(key, (b) => b.toString(16).padStart(2, "0")).join("");
  await Deno.writeTextFile(path, hex + "\n", { createNew: true, mode: 0o600 });
  return key;
}

/**
 * Reads an election's code key.
 *
 * @param path The key file.
 * @returns The key.
 * @throws {CodeKeyError} When the file is missing or holds no key.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { CodeKeyError, readCodeKey } from "./code_key.ts";
 * await assert.rejects(readCodeKey("/nonexistent.codes.key"), CodeKeyError);
 * ```
 */
export async function readCodeKey(path: string): Promise<Uint8Array> {
  let text: string;
  try {
    text = (await Deno.readTextFile(path)).trim();
  } catch (e) {
    throw new CodeKeyError(
      `This election uses voting codes, but their key ${path} cannot be read (${
        (e as Error).message
      }). Copy it from the instance that imported the roll.`,
    );
  }
  if (!/^[0-9a-f]{64}$/.test(text)) throw new CodeKeyError(`${path} does not hold a code key.`);
  return Uint8Array.from(text.match(/../g)!, (h) => parseInt(h, 16));
}
