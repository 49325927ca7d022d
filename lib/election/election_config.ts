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
  /** When voting opens and closes. */
  schedule: Schedule;
}

/** When voting opens and closes, as stored with the election. */
export interface Schedule {
  /** Epoch ms when voting opens by itself; `"admin"`: by hand; null: at start. */
  opensAt: number | "admin" | null;
  /** Epoch ms when voting closes by itself, or null. */
  closesAt: number | null;
}

/** The schedule of an election that opens at start and never closes by the clock. */
export const AT_START: Schedule = { opensAt: null, closesAt: null };

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
 * The closing time may change (polls are extended, as for voters queueing at
 * the close), though never to before the opening; the opening time may not.
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
 * // The closing time may move; the opening may not.
 * const day = { ...stored, schedule: { opensAt: 1000, closesAt: 5000 } };
 * assert.equal(reconcileElection(day, { closesAt: 9000 }).schedule.closesAt, 9000);
 * assert.throws(() => reconcileElection(day, { opensAt: "admin" }), /opens at/);
 * assert.throws(() => reconcileElection(day, { closesAt: 500 }), /before it opens/);
 * ```
 */
export function reconcileElection(
  stored: Omit<ElectionSettings, "schedule"> & { schedule?: Schedule } | null,
  request: ElectionRequest,
): ElectionSettings {
  if (stored === null) {
    return {
      limit: request.limit ?? null,
      parties: [...(request.parties ?? DEFAULT_PARTIES)],
      results: request.results ?? "live",
      step: request.step ?? DEFAULT_STEP,
      schedule: { opensAt: request.opensAt ?? null, closesAt: request.closesAt ?? null },
    };
  }
  const schedule = reconcileSchedule(stored.schedule ?? AT_START, request);
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
  return { ...stored, parties, schedule };
}

function describeOpening(opensAt: Schedule["opensAt"]): string {
  if (opensAt === null) return "opened at start";
  if (opensAt === "admin") return "opens when the administrator opens it";
  return `opens at ${new Date(opensAt).toISOString()}`;
}

function reconcileSchedule(stored: Schedule, request: ElectionRequest): Schedule {
  if (request.opensAt !== undefined && request.opensAt !== stored.opensAt) {
    throw mismatch(
      `The stored election ${describeOpening(stored.opensAt)}, but --opens-at ${
        typeof request.opensAt === "number"
          ? new Date(request.opensAt).toISOString()
          : request.opensAt
      } was given.`,
    );
  }
  if (request.closesAt === undefined || request.closesAt === stored.closesAt) return stored;
  if (
    request.closesAt !== null && typeof stored.opensAt === "number" &&
    request.closesAt <= stored.opensAt
  ) {
    throw new ElectionMismatchError(
      `--closes-at ${
        new Date(request.closesAt).toISOString()
      } would close voting before it opens (${new Date(stored.opensAt).toISOString()}).`,
    );
  }
  return { ...stored, closesAt: request.closesAt };
}
