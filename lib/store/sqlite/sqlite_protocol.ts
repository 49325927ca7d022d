/** Messages between the SQLite store and its worker (an `apply` travels as its JSON text). */
import type { ElectionSettings } from "../../election/election_config.ts";
import type { BatchOutcome, LedgerOp } from "../batched_store.ts";
import type { Publication } from "../../election/publication.ts";
import type { BallotCount, ElectionRequest, TurnoutQuery } from "../store.ts";
import type { TallyState } from "../../tally.ts";
import type { TurnoutEntry } from "../../election/types.ts";
import type { NotVotedQuery, RollEntry, RollInfo, RollProof } from "../../election/roll.ts";
import type { Admission } from "../../election/roll_admission.ts";

/** A request to the worker; every one is answered with the same `id`. */
export type WorkerRequest =
  | { type: "open"; id: number; path: string; request: ElectionRequest }
  | { type: "apply"; id: number; ops: LedgerOp[] }
  | { type: "turnout"; id: number; query: TurnoutQuery }
  | { type: "receipt"; id: number; receipt: string }
  | { type: "recount"; id: number }
  | { type: "forget"; id: number }
  | { type: "seal"; id: number }
  | { type: "notVoted"; id: number; query: NotVotedQuery }
  | { type: "reissue"; id: number; voterId: string; hash: string }
  | { type: "admission"; id: number; voterId: string; proof: RollProof }
  | { type: "reloadRoll"; id: number }
  | { type: "close"; id: number };

/** The worker's answer. */
export type WorkerReply =
  | { type: "done"; id: number; value: unknown }
  | { type: "failed"; id: number; name: string; message: string };

/** What each request's `value` holds. */
export interface WorkerValues {
  /** The election's settings, its state and publication as stored, and its roll. */
  open: {
    settings: ElectionSettings;
    stored: { state: TallyState; publication: Publication };
    roll: RollInfo | null;
  };
  /** The batch's results and the state after its commit. */
  apply: BatchOutcome;
  /** A page of the turnout register. */
  turnout: TurnoutEntry[];
  /** Whether the receipt belongs to a counted ballot. */
  receipt: boolean;
  /** The voters on the roll who have not voted yet. */
  notVoted: RollEntry[];
  /** What re-issuing a code did. */
  reissue: "reissued" | "not_on_roll" | "already_voted";
  /** The roll's answer for one voter. */
  admission: Admission;
  /** The ballots counted again, with the digest of their list. */
  recount: BallotCount;
  /** Whether the write-ahead log was emptied (false: another process reading the file held it). */
  forget: boolean;
  /** The pending ballots were settled, the election marked sealed and the log emptied. */
  seal: null;
  /** The roll as stored now (after an import from the admin panel). */
  reloadRoll: RollInfo | null;
  /** The database was checkpointed and closed. */
  close: null;
}
