/**
 * What the public and the administrator may see of a running election: the
 * results mode, and live results published in anonymous steps.
 *
 * Votes are gathered into steps of at least `stepSize` votes. A step is
 * decided in the transaction that completes it (so it is election-wide, the
 * same on every instance) and only then do its party counts, its share of
 * the turnout total and its voters in the register become visible, all
 * together. Within a step nothing says who voted before whom, so the counts
 * can be linked to the step's voters only as a group.
 */
import { electionResult, type TallyState } from "../tally.ts";
import type { Party, ResultsMode, Tally } from "./types.ts";
import type { Schedule } from "./election_config.ts";

export type { ResultsMode } from "./types.ts";

/** The results modes, in the order the README describes them. */
export const RESULTS_MODES: readonly ResultsMode[] = ["live", "turnout", "sealed"];

/** The step size when none is given. */
export const DEFAULT_STEP = 10;

/** The published part of an election, as the store keeps it beside the counters. */
export interface Publication {
  /** Who sees the counts while voting is open (`live`, `turnout` or `sealed`). */
  mode: ResultsMode;
  /** The fewest votes a step adds. */
  stepSize: number;
  /** Steps published so far; the votes being cast now belong to step `step + 1`. */
  step: number;
  /** Votes by party as of the last published step. */
  counts: Readonly<Record<string, number>>;
}

/**
 * Starts the publication of a new election: nothing published yet.
 *
 * @param mode The results mode.
 * @param stepSize The fewest votes a step adds.
 * @param partyIds The parties on the ballot.
 * @returns Step 0, every party at zero.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { openPublication } from "./publication.ts";
 * const p = openPublication("live", 10, ["bjp", "aap"]);
 * assert.equal(p.step, 0);
 * assert.deepEqual(p.counts, { bjp: 0, aap: 0 });
 * ```
 */
export function openPublication(
  mode: ResultsMode,
  stepSize: number,
  partyIds: readonly string[],
): Publication {
  return { mode, stepSize, step: 0, counts: Object.fromEntries(partyIds.map((id) => [id, 0])) };
}

function sum(counts: Readonly<Record<string, number>>): number {
  let total = 0;
  for (const votes of Object.values(counts)) total += votes;
  return total;
}

/** The election row's publication columns, as both databases store them. */
export interface PublicationRow {
  /** The `results_mode` column: `live`, `turnout` or `sealed`. */
  results_mode: ResultsMode;
  /** The `step_size` column: the fewest votes a published step adds. */
  step_size: number;
  /** Steps published so far. */
  step: number | string;
  /** The counts of the last published step, as JSON. */
  published: string;
}

/**
 * Reads the publication from the election row.
 *
 * @param settings The parties on the ballot.
 * @param row The election row's publication columns.
 * @returns The publication, every party on the ballot counted.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { publicationFromRow } from "./publication.ts";
 * const parties = [{ id: "bjp", name: "BJP", color: "#f97d09", logo: "b.svg" }];
 * const row = { results_mode: "live" as const, step_size: 10, step: "2", published: '{"bjp":20}' };
 * assert.deepEqual(publicationFromRow({ parties }, row).counts, { bjp: 20 });
 * assert.equal(publicationFromRow({ parties }, row).step, 2);
 * ```
 */
export function publicationFromRow(
  settings: { parties: readonly Party[] },
  row: PublicationRow,
): Publication {
  const empty = openPublication(row.results_mode, row.step_size, settings.parties.map((p) => p.id));
  return {
    ...empty,
    step: Number(row.step),
    counts: { ...empty.counts, ...JSON.parse(row.published) },
  };
}

/**
 * Votes counted but not yet published.
 *
 * @param publication The publication.
 * @param state The counting state.
 * @returns How many votes the next step holds so far.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { openPublication, pendingVotes } from "./publication.ts";
 * import { applyVote, openTally } from "../tally.ts";
 * const state = applyVote(openTally(["bjp"], null), "bjp");
 * assert.equal(pendingVotes(openPublication("live", 10, ["bjp"]), state), 1);
 * ```
 */
export function pendingVotes(publication: Publication, state: TallyState): number {
  return state.total - sum(publication.counts);
}

/**
 * Publishes the next step once it holds at least `stepSize` votes, and
 * everything once voting has closed (whatever the step). Call it in the
 * transaction that counted the votes, after counting them.
 *
 * @param publication The publication before the transaction.
 * @param state The counting state after it.
 * @returns The same publication, or the next step.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { advancePublication, openPublication } from "./publication.ts";
 * import { applyVote, closeTally, openTally } from "../tally.ts";
 * let state = openTally(["bjp", "aap"], null);
 * let p = openPublication("live", 2, ["bjp", "aap"]);
 * state = applyVote(state, "bjp");
 * p = advancePublication(p, state);
 * assert.equal(p.step, 0); // one vote is not a step
 * state = applyVote(state, "aap");
 * p = advancePublication(p, state);
 * assert.deepEqual([p.step, p.counts], [1, { bjp: 1, aap: 1 }]);
 * state = closeTally(applyVote(state, "aap"), "admin");
 * assert.equal(advancePublication(p, state).step, 2); // the close publishes the rest
 * ```
 */
export function advancePublication(publication: Publication, state: TallyState): Publication {
  // Before the opening every vote is a mock poll's: none is ever published as a step.
  if (state.status === "pending") return publication;
  const pending = pendingVotes(publication, state);
  const closing = state.status === "closed" && pending > 0;
  if (!closing && pending < publication.stepSize) return publication;
  return { ...publication, step: publication.step + 1, counts: { ...state.counts } };
}

/**
 * The step a vote counted now belongs to (published with it).
 *
 * @param publication The publication before the vote's transaction.
 * @returns The step number the register records beside the voter.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { openPublication, pendingStep } from "./publication.ts";
 * assert.equal(pendingStep(openPublication("live", 10, [])), 1);
 * ```
 */
export function pendingStep(publication: Publication): number {
  return publication.step + 1;
}

/**
 * Whether the register rows of `step` may be shown: once their step is
 * published, or once voting has closed.
 *
 * @param publication The publication.
 * @param closed Whether voting has closed.
 * @returns The last step whose voters may be shown.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { openPublication, visibleStep } from "./publication.ts";
 * const p = { ...openPublication("live", 10, []), step: 3 };
 * assert.equal(visibleStep(p, false), 3);
 * assert.equal(visibleStep(p, true), Number.MAX_SAFE_INTEGER);
 * ```
 */
export function visibleStep(publication: Publication, closed: boolean): number {
  return closed ? Number.MAX_SAFE_INTEGER : publication.step;
}

/**
 * Builds the tally everyone sees (`GET /api/tally`, `/ws/tally`, the pages,
 * the admin panel), following the results mode while voting is open: `live`
 * shows party counts and the total as of the last step; `turnout` the total
 * as it is and no party counts; `sealed` neither. Once closed, everything.
 * A mock poll (before the opening) is shown in full: its votes are for show.
 * Nothing in it changes by a single vote except `turnout`'s total.
 *
 * @param parties The parties on the ballot, in order.
 * @param state The counting state.
 * @param publication The publication.
 * @param schedule When voting opens and closes (the tally's `day`), if known.
 * @returns The public tally.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { openPublication, publishedTally } from "./publication.ts";
 * import { applyVote, openTally } from "../tally.ts";
 * const parties = [{ id: "bjp", name: "BJP", color: "#f97d09", logo: "bjp.svg" }];
 * const state = applyVote(openTally(["bjp"], null), "bjp");
 * const live = publishedTally(parties, state, openPublication("live", 10, ["bjp"]));
 * assert.deepEqual([live.total, live.parties[0].votes], [0, 0]); // not a step yet
 * const sealed = publishedTally(parties, state, openPublication("sealed", 10, ["bjp"]));
 * assert.deepEqual([sealed.total, sealed.parties[0].votes], [null, null]);
 * ```
 */
export function publishedTally(
  parties: readonly Party[],
  state: TallyState,
  publication: Publication,
  schedule?: Schedule,
): Tally {
  const mock = state.status === "pending" && state.mock === true;
  const closed = state.status === "closed" || mock;
  const { mode } = publication;
  const counts = closed ? state.counts : mode === "live" ? publication.counts : null;
  const total = closed || mode === "turnout"
    ? state.total
    : mode === "live"
    ? sum(publication.counts)
    : null;
  const day = schedule && {
    day: {
      opensAt: typeof schedule.opensAt === "number" ? schedule.opensAt : null,
      byAdmin: schedule.opensAt === "admin",
      closesAt: schedule.closesAt,
      mockPoll: mock,
    },
  };
  return {
    status: state.status,
    total,
    // A mock poll is not the election: its votes never count against the limit, nor show so.
    limit: mock ? null : state.limit,
    parties: parties.map((p) => ({
      id: p.id,
      name: p.name,
      votes: counts ? counts[p.id] ?? 0 : null,
    })),
    closedReason: state.closedReason,
    result: state.status === "closed" ? electionResult(state.counts) : null,
    results: mode,
    // Sealed means nothing but open or closed: not even how many steps have filled.
    step: {
      size: publication.stepSize,
      published: mode === "sealed" && !closed ? 0 : publication.step,
    },
    ...day,
  };
}
