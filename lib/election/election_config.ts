/** Reconciles the election the command line asks for with the one a database holds. */
import { DEFAULT_PARTIES } from "./parties.ts";
import type { ElectionRequest } from "../store/store.ts";
import type { Party } from "./types.ts";

/** The election settings a database records. */
export interface ElectionSettings {
  /** Votes after which voting closes by itself; null for no limit. */
  limit: number | null;
  /** The parties on the ballot, in ballot order. */
  parties: Party[];
}

/** The command line contradicts the stored election. */
export class ElectionMismatchError extends Error {
  /**
   * Makes the error.
   *
   * @param message What the database holds and what was asked for instead.
   */
  constructor(message: string) {
    super(message);
    this.name = "ElectionMismatchError";
  }
}

function mismatch(message: string): ElectionMismatchError {
  return new ElectionMismatchError(
    `${message} Start with --new-election to begin a new election (the old database is kept).`,
  );
}

function describe(parties: readonly Party[]): string {
  return parties.map((p) => `${p.id} (${p.name})`).join(", ");
}

/**
 * Decides the settings to run with: a new database takes the request (or the
 * defaults); a stored election is resumed, and any requested value that
 * contradicts it is an error. Colours and logos may change; ids and names may not.
 *
 * @param stored The settings in the database, or null for a new one.
 * @param request What the command line asked for.
 * @returns The settings to run with.
 * @throws {ElectionMismatchError} When the request contradicts the stored election.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { reconcileElection } from "./election_config.ts";
 * assert.equal(reconcileElection(null, { limit: 100 }).limit, 100);
 * assert.equal(reconcileElection({ limit: 100, parties: [] }, {}).limit, 100);
 * // A restart may not change the rules of a running election.
 * assert.throws(() => reconcileElection({ limit: 100, parties: [] }, { limit: 50 }), /limit of 100/);
 * ```
 */
export function reconcileElection(
  stored: ElectionSettings | null,
  request: ElectionRequest,
): ElectionSettings {
  if (stored === null) {
    return { limit: request.limit ?? null, parties: [...(request.parties ?? DEFAULT_PARTIES)] };
  }
  if (request.limit !== undefined && request.limit !== stored.limit) {
    const was = stored.limit === null ? "no limit" : `a limit of ${stored.limit} votes`;
    const now = request.limit === null ? "no limit" : `--limit ${request.limit}`;
    throw mismatch(`The stored election has ${was}, but ${now} was given.`);
  }
  let parties = stored.parties;
  if (request.parties !== undefined) {
    const same = request.parties.length === stored.parties.length &&
      request.parties.every((p, i) =>
        p.id === stored.parties[i].id && p.name === stored.parties[i].name
      );
    if (!same) {
      throw mismatch(
        `The stored election's parties are ${describe(stored.parties)}, but ${
          describe(request.parties)
        } were given.`,
      );
    }
    parties = [...request.parties];
  }
  return { limit: stored.limit, parties };
}
