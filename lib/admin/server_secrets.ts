/** The administrator's password and the TLS files, read once at start. */

/** A password or certificate file that cannot be used. */
export class SecretsError extends Error {
  /**
   * Makes the error.
   *
   * @param message Which file, and what is wrong with it.
   */
  constructor(message: string) {
    super(message);
    this.name = "SecretsError";
  }
}

async function readText(path: string, what: string): Promise<string> {
  try {
    return await Deno.readTextFile(path);
  } catch (e) {
    throw new SecretsError(`cannot read the ${what} ${path}: ${(e as Error).message}`);
  }
}

/**
 * Checks a password the administrator chose: guesses from many addresses are
 * only delayed, never stopped, so its length is the defence.
 *
 * @param given The password.
 * @returns The same password.
 * @throws {SecretsError} When it has fewer than 12 characters.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { checkAdminPassword } from "./server_secrets.ts";
 * assert.equal(checkAdminPassword("correct horse battery"), "correct horse battery");
 * assert.throws(() => checkAdminPassword("too short"), /at least 12 characters/);
 * ```
 */
export function checkAdminPassword(given: string): string {
  if ([...given].length < 12) {
    throw new SecretsError(`the administrator's password must have at least 12 characters.`);
  }
  return given;
}

/**
 * The password that overrides the election's own: the first line of `file`,
 * else `envValue`, else null (the election's stored password holds).
 *
 * @param file The `--admin-password-file`, if given.
 * @param envValue `ADMIN_PASSWORD`, if set (an empty value counts as unset).
 * @returns The password, or null.
 * @throws {SecretsError} When the file cannot be read or its password is too short.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { adminPassword } from "./server_secrets.ts";
 * assert.equal(await adminPassword(undefined, "correct horse battery"), "correct horse battery");
 * assert.equal(await adminPassword(undefined, undefined), null);
 * ```
 */
export async function adminPassword(
  file: string | undefined,
  envValue: string | undefined,
): Promise<string | null> {
  const given = file !== undefined
    ? (await readText(file, "password file")).split(/\r?\n/)[0]
    : envValue;
  if (given === undefined || given === "") return null;
  return checkAdminPassword(given);
}

/**
 * Reads the PEM certificate and key for `Deno.serve`.
 *
 * @param files The `--cert` and `--key` paths.
 * @returns Their text.
 * @throws {SecretsError} When either cannot be read or is not PEM.
 * @example
 * ```ts ignore
 * // Illustrative: needs PEM files (tests/tls_test.ts makes real ones with openssl).
 * import { readTls } from "./server_secrets.ts";
 * const { cert, key } = await readTls({ cert: "cert.pem", key: "key.pem" });
 * ```
 */
export async function readTls(
  files: { cert: string; key: string },
): Promise<{ cert: string; key: string }> {
  const cert = await readText(files.cert, "certificate");
  const key = await readText(files.key, "key");
  if (!cert.includes("-----BEGIN CERTIFICATE-----")) {
    throw new SecretsError(`${files.cert} is not a PEM certificate.`);
  }
  if (!key.includes("PRIVATE KEY-----")) {
    throw new SecretsError(`${files.key} is not a PEM private key.`);
  }
  return { cert, key };
}
