/** The administrator's password and the TLS files, read once at start. */
import { randomPassword } from "./admin_auth.ts";

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
 * The administrator's password: the first line of `file`, else `envValue`,
 * else a new random one (`generated` tells the caller to print it once).
 *
 * @param file The `--admin-password-file`, if given.
 * @param envValue `ADMIN_PASSWORD`, if set.
 * @returns The password and whether it was generated.
 * @throws {SecretsError} When the file cannot be read or its password is too short.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { adminPassword } from "./server_secrets.ts";
 * assert.equal((await adminPassword(undefined, "correct horse battery")).password, "correct horse battery");
 * ```
 */
export async function adminPassword(
  file: string | undefined,
  envValue: string | undefined,
): Promise<{ password: string; generated: boolean }> {
  const given = file !== undefined
    ? (await readText(file, "password file")).split(/\r?\n/)[0]
    : envValue;
  if (given === undefined || given === "") return { password: randomPassword(), generated: true };
  if (given.length < 8) {
    throw new SecretsError(`the administrator's password must have at least 8 characters.`);
  }
  return { password: given, generated: false };
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
