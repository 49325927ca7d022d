/**
 * The SQLite store's worker: owns the database connection and applies each
 * batch the main thread sends in one durable transaction, so that the main
 * thread keeps serving HTTP while SQLite syncs to disk.
 */
/// <reference lib="deno.worker" />
import { SqliteLedger } from "./sqlite_ledger.ts";
import type { WorkerReply, WorkerRequest } from "./sqlite_protocol.ts";

let ledger: SqliteLedger | undefined;

function reply(message: WorkerReply) {
  self.postMessage(message);
}

/** How long the store must be quiet before the log's history is wiped. */
const QUIET_MS = 1000;
let quiet: ReturnType<typeof setTimeout> | undefined;
let sealed = false;

/**
 * Keeps the write-ahead log from holding a record of who voted with whom:
 * wiped once voting pauses, and the whole file sealed when voting closes.
 */
function afterCommit(closed: boolean) {
  clearTimeout(quiet);
  if (closed && !sealed) {
    sealed = true;
    // After the reply, so the close is acknowledged first; later requests wait for it.
    setTimeout(() => {
      try {
        ledger?.seal();
      } catch (e) {
        // Sealing only tidies the file; votes and the tally are already safe.
        console.error(`Could not seal the closed election's file: ${(e as Error).message}`);
      }
    }, 0);
  } else if (!closed) {
    quiet = setTimeout(() => {
      try {
        ledger?.forgetHistory();
      } catch (e) {
        console.error(`Could not empty the write-ahead log: ${(e as Error).message}`);
      }
    }, QUIET_MS);
  }
}

function handle(msg: WorkerRequest): WorkerReply {
  if (msg.type === "open") {
    ledger = new SqliteLedger(msg.path, msg.request);
    return {
      type: "done",
      id: msg.id,
      value: { settings: ledger.settings, stored: ledger.stored() },
    };
  }
  if (!ledger) throw new Error("The database is not open.");
  switch (msg.type) {
    case "apply": {
      const outcome = ledger.apply(msg.ops);
      afterCommit(outcome.state.status === "closed");
      return { type: "done", id: msg.id, value: outcome };
    }
    case "turnout":
      return { type: "done", id: msg.id, value: ledger.turnout(msg.query) };
    case "receipt":
      return { type: "done", id: msg.id, value: ledger.hasReceipt(msg.receipt) };
    case "close":
      clearTimeout(quiet);
      ledger.close();
      ledger = undefined;
      return { type: "done", id: msg.id, value: null };
  }
}

self.onmessage = (event: MessageEvent<WorkerRequest>) => {
  const msg = event.data;
  try {
    reply(handle(msg));
  } catch (e) {
    const error = e as Error;
    reply({ type: "failed", id: msg.id, name: error.name, message: error.message });
  }
};
