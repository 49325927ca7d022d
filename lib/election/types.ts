/**
 * Types shared by the server, the stores and the islands. Plain data only:
 * everything here crosses a worker boundary, a socket or an island's props.
 */

/** A party on the ballot. */
export interface Party {
  /** Stable id in lower case, e.g. `"bjp"`; `"nota"` is None of the Above. */
  id: string;
  /** The name a voter reads, e.g. `"Congress"`. */
  name: string;
  /** The party colour as `#rrggbb` (six hex digits), e.g. `"#f97d09"`. */
  color: string;
  /** The logo's original artwork (SVG or raster): an absolute file path once parsed. */
  logo: string;
  /**
   * The symbol described in words for screen readers, e.g. `"a broom"`, or
   * by language, e.g. `{ "en": "a broom", "hi": "झाड़ू" }`.
   */
  symbol?: string | Readonly<Record<string, string>>;
}

/** Why voting closed. */
export type ClosedReason = "limit" | "admin" | "schedule";

/** The outcome once voting is closed: NOTA never wins, a tie is a tie. */
export interface ElectionResult {
  /** The winning party's id; null for a tie or when no party has a vote. */
  winner: string | null;
  /** The ids of the parties tied for the lead; empty when there is a winner or no vote. */
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
  /** `pending` before voting opens, `open` while votes are accepted, `closed` after. */
  status: "pending" | "open" | "closed";
  /** Votes counted as far as the mode shows them: as of the last step (`live`), live (`turnout`), null (`sealed`). */
  total: number | null;
  /** Votes after which voting closes by itself; null for no limit. */
  limit: number | null;
  /** Votes per party, in ballot order; null while the mode hides them. */
  parties: { id: string; name: string; votes: number | null }[];
  /** Why voting closed; null while open. */
  closedReason: ClosedReason | null;
  /** The outcome; null while open. */
  result: ElectionResult | null;
  /** Who sees the counts while voting is open (`live`, `turnout` or `sealed`). */
  results: ResultsMode;
  /** The fewest votes a published step adds, and how many steps are published. */
  step: { size: number; published: number };
  /** The election day's times and mock poll (absent in tallies made by hand). */
  day?: ElectionDay;
}

/** When voting opens and closes, and whether a mock poll runs. */
export interface ElectionDay {
  /** When voting opens by itself (epoch ms); null: at start, or by the administrator (`byAdmin`). */
  opensAt: number | null;
  /** Whether the election waits for the administrator's "Open voting". */
  byAdmin: boolean;
  /** When voting closes by itself (epoch ms), or null. */
  closesAt: number | null;
  /** Whether a mock poll runs: the counts shown are then its votes, in full. */
  mockPoll: boolean;
}

/** A voter's validated, normalised input. */
export interface Ballot {
  /** The voter's name, trimmed. */
  name: string;
  /** Age in whole years, 18 or more. */
  age: number;
  /** The voter's address, trimmed. */
  address: string;
  /** EPIC number, normalised: three capitals and seven digits, e.g. `"WKH1186253"`. */
  voterId: string;
  /** The chosen party's id. */
  party: string;
}

/** What a voter gets back for an accepted vote. */
export interface Receipt {
  /** Twelve characters of Crockford base 32 in three groups, e.g. `"K7QH-2M9D-X4TP"`. */
  receipt: string;
  /** The chosen party's id, shown once to the voter and never stored with the receipt. */
  party: string;
}

/**
 * One row of the turnout register: who voted and in which published step,
 * never how, and never anything finer (no sequence number, no time).
 */
export interface TurnoutEntry {
  /** The published step the voter's vote belongs to. */
  step: number;
  /** The voter's normalised EPIC number. */
  voterId: string;
  /** The voter's name. */
  name: string;
  /** Age in whole years. */
  age: number;
  /** The voter's address. */
  address: string;
}

/** A party as pages and islands show it: logo URLs by pixel size, or null without logos. */
export interface PartyView {
  /** The party's id. */
  id: string;
  /** The party's name. */
  name: string;
  /** The party colour as `#rrggbb`. */
  color: string;
  /** Logo URLs by square size in pixels; null when logos were not prepared. */
  logo: { 64: string; 128: string; 256: string } | null;
  /** The symbol in words, in the page's language, e.g. `"a broom"`; null when not given. */
  symbol?: string | null;
}
