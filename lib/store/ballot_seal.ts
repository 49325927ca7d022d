/**
 * Sealed ballots for PostgreSQL: a ballot's party, and the counters, are
 * stored encrypted (AES-256-GCM) under a key derived from the audit key,
 * which is never in the database. PostgreSQL writes a voter's register row
 * and their ballot in one transaction, so both carry the same `xmin`, sit in
 * voting order (`ctid`, and so `pg_dump`'s order), and appear together in
 * the write-ahead log; sealed, what they pair a voter with is unreadable
 * without the key.
 */
import { createCipheriv, createDecipheriv, createHmac, randomBytes } from "node:crypto";

/** How many opened boxes `openRemembered` keeps (the counters' rows, and a few older ones). */
const REMEMBERED = 256;

/** A box's bytes as a key for the boxes opened lately. */
function boxId(box: Uint8Array): string {
  return Buffer.from(box.buffer, box.byteOffset, box.byteLength).toString("base64");
}

/** Encrypts and decrypts ballots and counters under one key. */
export class BallotSeal {
  readonly #key: Uint8Array;
  readonly #opened = new Map<string, string>();
  /** A value that names the key without revealing it (stored to refuse a different key). */
  readonly check: string;

  /**
   * Derives the sealing key.
   *
   * @param secret The audit key (`auditKey()`); the sealing key is derived from it.
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { BallotSeal } from "./ballot_seal.ts";
   * const seal = new BallotSeal("k".repeat(32));
   * const box = seal.seal("bjp");
   * assert.notDeepEqual(box, seal.seal("bjp")); // a fresh nonce each time
   * assert.equal(seal.open(box), "bjp");
   * assert.throws(() => new BallotSeal("x".repeat(32)).open(box));
   * ```
   */
  constructor(secret: string) {
    this.#key = createHmac("sha256", secret).update("matdaan ballots").digest();
    this.check = createHmac("sha256", secret).update("matdaan ballot key check").digest("hex");
  }

  /** Encrypts text: nonce (12 bytes), ciphertext, tag (16 bytes). */
  seal(text: string): Uint8Array {
    const iv = randomBytes(12);
    const cipher = createCipheriv("aes-256-gcm", this.#key, iv);
    const body = Buffer.concat([cipher.update(text, "utf8"), cipher.final()]);
    return Buffer.concat([iv, body, cipher.getAuthTag()]);
  }

  /**
   * `open`, remembering the boxes opened lately by their bytes: the counters
   * are read in every batch (16 sealed rows, one of which the batch before
   * rewrote), and opening each again cost the main thread more than the vote.
   * A changed byte is a different box, opened and checked anew.
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { BallotSeal } from "./ballot_seal.ts";
   * const seal = new BallotSeal("k".repeat(32));
   * const box = seal.seal('{"bjp":3}');
   * assert.equal(seal.openRemembered(box), '{"bjp":3}');
   * assert.equal(seal.openRemembered(box), '{"bjp":3}');
   * const forged = Uint8Array.from(box);
   * forged[20] ^= 1;
   * assert.throws(() => seal.openRemembered(forged));
   * ```
   */
  openRemembered(box: Uint8Array): string {
    const id = boxId(box);
    let text = this.#opened.get(id);
    if (text === undefined) {
      text = this.open(box);
      this.#remember(id, text);
    }
    return text;
  }

  /**
   * `seal`, remembering the box as opened: a counter row this instance
   * rewrites is read back in the same batch, and need not be opened again.
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { BallotSeal } from "./ballot_seal.ts";
   * const seal = new BallotSeal("k".repeat(32));
   * const box = seal.sealRemembered('{"bjp":3}');
   * assert.equal(seal.openRemembered(box), '{"bjp":3}');
   * assert.equal(new BallotSeal("k".repeat(32)).open(box), '{"bjp":3}');
   * ```
   */
  sealRemembered(text: string): Uint8Array {
    const box = this.seal(text);
    this.#remember(boxId(box), text);
    return box;
  }

  #remember(id: string, text: string) {
    if (this.#opened.size >= REMEMBERED) this.#opened.clear();
    this.#opened.set(id, text);
  }

  /** Decrypts what `seal` made; throws when the key is wrong or the bytes were changed. */
  open(box: Uint8Array): string {
    const bytes = Buffer.from(box);
    const decipher = createDecipheriv("aes-256-gcm", this.#key, bytes.subarray(0, 12));
    decipher.setAuthTag(bytes.subarray(bytes.length - 16));
    return Buffer.concat([decipher.update(bytes.subarray(12, bytes.length - 16)), decipher.final()])
      .toString("utf8");
  }
}
