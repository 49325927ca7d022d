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

/** The public tally, exactly as `GET /api/tally` and `/ws/tally` send it. */
export interface Tally {
  status: "open" | "closed";
  total: number;
  limit: number | null;
  parties: { id: string; name: string; votes: number }[];
  closedReason: ClosedReason | null;
  result: ElectionResult | null;
  /** Grows by one with every accepted vote and once on closing. */
  version: number;
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

/** One row of the turnout register: who voted and when, never how. */
export interface TurnoutEntry {
  seq: number;
  voterId: string;
  name: string;
  age: number;
  address: string;
  votedAt: string;
}

/** A party as pages and islands show it: logo URLs by pixel size, or null without logos. */
export interface PartyView {
  id: string;
  name: string;
  color: string;
  logo: { 64: string; 128: string; 256: string } | null;
}
