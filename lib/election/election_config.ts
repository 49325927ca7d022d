/** Reconciles the election the command line asks for with the one a database holds. */
import { DEFAULT_PARTIES } from "./parties.ts";
import type { ElectionRequest } from "../store/store.ts";
import type { Party, ResultsMode } from "./types.ts";
import { DEFAULT_STEP } from "./publication.ts";

/** The election settings a database records. */
export interface ElectionSettings {
  /** Votes after which voting closes by itself; null for no limit. */
  limit: number | null;
  /** The parties on the ballot, in ballot order. */
  parties: Party[];
  /** What the public sees while voting is open. */
  results: ResultsMode;
  /** The fewest votes a published step adds. */
  step: number;
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
 * const fresh = reconcileElection(null, { limit: 100 });
 * assert.deepEqual([fresh.limit, fresh.results, fresh.step], [100, "live", 10]);
 * const stored = { limit: 100, parties: [], results: "sealed" as const, step: 25 };
 * assert.equal(reconcileElection(stored, {}).results, "sealed");
 * // A restart may not change the rules of a running election.
 * assert.throws(() => reconcileElection(stored, { step: 10 }), /--new-election/);
 * assert.throws(() => reconcileElection(stored, { limit: 50 }), /limit of 100/);
 * ```
 */
export function reconcileElection(
  stored: ElectionSettings | null,
  request: ElectionRequest,
): ElectionSettings {
  if (stored === null) {
    return {
      limit: request.limit ?? null,
      parties: [...(request.parties ?? DEFAULT_PARTIES)],
      results: request.results ?? "live",
      step: request.step ?? DEFAULT_STEP,
    };
  }
  if (request.results !== undefined && request.results !== stored.results) {
    throw mismatch(
      `The stored election publishes results as "${stored.results}", but --results ${request.results} was given.`,
    );
  }
  if (request.step !== undefined && request.step !== stored.step) {
    throw mismatch(
      `The stored election publishes steps of ${stored.step} votes, but --step ${request.step} was given.`,
    );
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
  return { ...stored, parties };
}
