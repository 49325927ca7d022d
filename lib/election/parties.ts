/** The parties on the ballot: the defaults, and lists read from a file. */
import * as v from "valibot";
import { dirname, isAbsolute, join } from "node:path";
import type { Party } from "./types.ts";

/** The default ballot. Logos are original artwork in `static/logos/`. */
export const DEFAULT_PARTIES: readonly Party[] = [
  {
    id: "bjp",
    name: "BJP",
    color: "#f57c00",
    logo: "static/logos/bjp.svg",
    symbol: { en: "an orange flower", hi: "नारंगी फूल" },
  },
  {
    id: "congress",
    name: "Congress",
    color: "#1e88e5",
    logo: "static/logos/congress.svg",
    symbol: { en: "a blue open hand", hi: "नीला खुला हाथ" },
  },
  {
    id: "aap",
    name: "AAP",
    color: "#1a237e",
    logo: "static/logos/aap.svg",
    symbol: { en: "a broom", hi: "झाड़ू" },
  },
  {
    id: "nota",
    name: "NOTA",
    color: "#616161",
    logo: "static/logos/nota.svg",
    symbol: { en: "a crossed-out ballot paper", hi: "काटा हुआ मतपत्र" },
  },
];

const PartySchema = v.object({
  id: v.pipe(
    v.string(),
    v.regex(
      /^[a-z0-9][a-z0-9-]{0,31}$/,
      "an id is 1 to 32 lower-case letters, digits or hyphens",
    ),
  ),
  name: v.pipe(
    v.string(),
    v.trim(),
    v.nonEmpty("a name is required"),
    v.maxLength(60, "a name has at most 60 characters"),
  ),
  color: v.pipe(
    v.string(),
    v.regex(/^#[0-9a-fA-F]{6}$/, "a color is written #rrggbb"),
  ),
  logo: v.pipe(v.string(), v.nonEmpty("a logo file is required")),
  symbol: v.optional(
    v.union([
      v.pipe(v.string(), v.maxLength(120)),
      v.record(v.picklist(["en", "hi"]), v.pipe(v.string(), v.maxLength(120))),
    ], 'a symbol is a description in words, or one per language ({"en": …, "hi": …})'),
  ),
});

const PartyListSchema = v.pipe(
  v.array(PartySchema, "the file must hold a JSON list of parties"),
  v.minLength(2, "a ballot needs at least two parties"),
  v.maxLength(50, "a ballot has at most 50 parties"),
  v.check(
    (list) => new Set(list.map((p) => p.id)).size === list.length,
    "party ids must be unique",
  ),
);

/** A parties file that cannot be used; the message names the file and the fault. */
export class PartiesFileError extends Error {
  /**
   * Makes the error.
   *
   * @param message The file and what is wrong with it.
   */
  constructor(message: string) {
    super(message);
    this.name = "PartiesFileError";
  }
}

/**
 * Checks a decoded parties list; logo paths are resolved against `baseDir`.
 *
 * @param data The decoded JSON.
 * @param baseDir The folder relative logo paths start from.
 * @returns The parties.
 * @throws {PartiesFileError} When the list is not valid.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseParties, PartiesFileError } from "./parties.ts";
 * const list = parseParties([
 *   { id: "a", name: "A", color: "#112233", logo: "a.png" },
 *   { id: "b", name: "B", color: "#445566", logo: "/art/b.png" },
 * ], "/srv");
 * assert.equal(list[0].logo, "/srv/a.png");
 * assert.equal(list[1].logo, "/art/b.png");
 * assert.throws(
 *   () => parseParties([{ id: "a", name: "A", color: "red", logo: "a.png" }], "/srv"),
 *   PartiesFileError,
 * );
 * ```
 */
export function parseParties(data: unknown, baseDir: string): Party[] {
  const parsed = v.safeParse(PartyListSchema, data);
  if (!parsed.success) {
    const issue = parsed.issues[0];
    const where = issue.path?.map((p) => String(p.key)).join(".");
    throw new PartiesFileError(
      where ? `party ${where}: ${issue.message}` : issue.message,
    );
  }
  return parsed.output.map((p) => ({
    ...p,
    logo: isAbsolute(p.logo) ? p.logo : join(baseDir, p.logo),
  }));
}

/**
 * Reads a JSON parties file: a list of `{id, name, color, logo}`.
 *
 * @param path The file to read.
 * @returns The parties, logos resolved against the file's folder.
 * @throws {PartiesFileError} When the file cannot be read or is not valid.
 * @example
 * ```ts ignore
 * // Illustrative: needs a parties file on disk (tests/ read real ones).
 * import { readPartiesFile } from "./parties.ts";
 * const parties = await readPartiesFile("parties.json");
 * ```
 */
export async function readPartiesFile(path: string): Promise<Party[]> {
  let text: string;
  try {
    text = await Deno.readTextFile(path);
  } catch (e) {
    throw new PartiesFileError(
      `cannot read parties file ${path}: ${(e as Error).message}`,
    );
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    throw new PartiesFileError(
      `parties file ${path} is not valid JSON: ${(e as Error).message}`,
    );
  }
  try {
    return parseParties(data, dirname(path));
  } catch (e) {
    throw new PartiesFileError(`parties file ${path}: ${(e as Error).message}`);
  }
}
