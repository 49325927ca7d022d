/**
 * The command line shared by the tools that read a stored election
 * (`recount`, `audit-verify`): `--db FILE` (default `data/election.db`) or
 * `--database-url URL`. A bad command line prints one line and exits 2.
 */
import { parseArgs } from "node:util";

/** Where the election is: a SQLite file, or a PostgreSQL URL when given. */
export interface StoreArgs {
  /** The SQLite file (default `data/election.db`). */
  db: string;
  /** The PostgreSQL connection URL, when the election is there. */
  url?: string;
}

/** Parses `Deno.args` for `command` (its name prefixes any error line). */
export function storeArgs(command: string): StoreArgs {
  try {
    const { values } = parseArgs({
      args: Deno.args,
      options: { db: { type: "string" }, "database-url": { type: "string" } },
    });
    return { db: values.db ?? "data/election.db", url: values["database-url"] };
  } catch (e) {
    console.error(`${command}: ${(e as Error).message}`);
    Deno.exit(2);
  }
}
