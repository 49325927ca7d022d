/** Messages between the SQLite store and its worker. */
import type { ElectionSettings } from "../../election/election_config.ts";
import type { LedgerOp, LedgerResult } from "../batched_store.ts";
import type { BallotCount, ElectionRequest, TurnoutQuery } from "../store.ts";
import type { TallyState } from "../../tally.ts";
import type { TurnoutEntry } from "../../election/types.ts";

/** A request to the worker; every one is answered with the same `id`. */
export type WorkerRequest =
  | { type: "open"; id: number; path: string; request: ElectionRequest }
  | { type: "apply"; id: number; ops: LedgerOp[] }
  | { type: "turnout"; id: number; query: TurnoutQuery }
  | { type: "receipt"; id: number; receipt: string }
  | { type: "recount"; id: number }
  | { type: "forget"; id: number }
  | { type: "close"; id: number };

/** The worker's answer. */
export type WorkerReply =
  | { type: "done"; id: number; value: unknown }
  | { type: "failed"; id: number; name: string; message: string };

/** What each request's `value` holds. */
export interface WorkerValues {
  open: { settings: ElectionSettings; state: TallyState };
  apply: { results: LedgerResult[]; state: TallyState };
  turnout: TurnoutEntry[];
  receipt: boolean;
  recount: BallotCount;
  forget: null;
  close: null;
}
