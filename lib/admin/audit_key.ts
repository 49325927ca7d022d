/**
 * The audit log's key: entries are chained with HMAC-SHA256 under it, so
 * that someone holding the database and audit files, but not the key, cannot
 * write a chain that verifies. It never lives in the data folder.
 */
import { existsSync, linkSync, mkdirSync, readFileSync, unlinkSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";

/**
 * Where the key comes from: the environment variable `MATDAAN_AUDIT_KEY`
 * (the key itself, at least 32 characters), else the file named by
 * `MATDAAN_AUDIT_KEY_FILE`, else `~/.config/matdaan/audit.key`, made with a
 * random key (readable by its owner only) the first time. Instances sharing
 * one PostgreSQL database must share the key.
 *
 * @param env The environment to read (default: the process's).
 * @returns The key.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { auditKey } from "./audit_key.ts";
 * const key = auditKey({ MATDAAN_AUDIT_KEY: "k".repeat(32) });
 * assert.equal(key, "k".repeat(32));
 * ```
 */
export function auditKey(env: Record<string, string | undefined> = Deno.env.toObject()): string {
  const direct = env.MATDAAN_AUDIT_KEY;
  if (direct !== undefined) {
    if (direct.length < 32) throw new Error("MATDAAN_AUDIT_KEY must be at least 32 characters.");
    return direct;
  }
  const home = env.HOME ?? ".";
  const path = env.MATDAAN_AUDIT_KEY_FILE ?? join(home, ".config", "matdaan", "audit.key");
  if (!existsSync(path)) {
    mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
    const bytes = crypto.getRandomValues(new Uint8Array(32));
    const temp = `${path}.${crypto.randomUUID()}`;
    writeFileSync(temp, Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("") + "\n", {
      mode: 0o600,
    });
    // A link never replaces a key another process made meanwhile.
    try {
      linkSync(temp, path);
    } catch (e) {
      if ((e as { code?: string }).code !== "EEXIST") throw e;
    } finally {
      unlinkSync(temp);
    }
  }
  const key = readFileSync(path, "utf8").split("\n")[0].trim();
  if (key.length < 32) throw new Error(`The audit key in ${path} is shorter than 32 characters.`);
  return key;
}
