/**
 * Types shared by the server, the stores and the islands. Plain data only:
 * everything here crosses a worker boundary, a socket or an island's props.
 */

/** A party on the ballot. `logo` is a path under `static/logos/` or a file. */
export interface Party {
  id: string;
  name: string;
  color: string;
  logo: string;
}

/** Why voting closed. */
export type ClosedReason = "limit" | "admin";

/** The outcome once voting is closed: NOTA never wins, a tie is a tie. */
export interface ElectionResult {
  winner: string | null;
  tie: string[];
}

/**
 * What the public sees of an open election: party counts in steps (`live`),
 * only the turnout (`turnout`), or only whether voting is open (`sealed`).
 */
export type ResultsMode = "live" | "turnout" | "sealed";

/**
 * The public tally, exactly as `GET /api/tally` and `/ws/tally` send it.
 * While voting is open it follows the results mode: a count the mode hides
 * is null, and nothing changes by a single vote but `turnout`'s total.
 */
export interface Tally {
  status: "open" | "closed";
  /** Votes cast as far as the mode shows them: as of the last step (`live`), live (`turnout`), null (`sealed`). */
  total: number | null;
  limit: number | null;
  parties: { id: string; name: string; votes: number | null }[];
  closedReason: ClosedReason | null;
  result: ElectionResult | null;
  results: ResultsMode;
  /** The fewest votes a published step adds, and how many steps are published. */
  step: { size: number; published: number };
}

/** A voter's validated, normalised input. */
export interface Ballot {
  name: string;
  age: number;
  address: string;
  voterId: string;
  party: string;
}

/** What a voter gets back for an accepted vote. */
export interface Receipt {
  receipt: string;
  party: string;
}

/**
 * One row of the turnout register: who voted and in which published step,
 * never how, and never anything finer (no sequence number, no time).
 */
export interface TurnoutEntry {
  step: number;
  voterId: string;
  name: string;
  age: number;
  address: string;
}

/** A party as pages and islands show it: logo URLs by pixel size, or null without logos. */
export interface PartyView {
  id: string;
  name: string;
  color: string;
  logo: { 64: string; 128: string; 256: string } | null;
}
