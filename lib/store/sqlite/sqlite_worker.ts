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

let sealed = false;

/** Seals the file once voting has closed (after the close is acknowledged). */
function afterCommit(closed: boolean) {
  if (!closed || sealed) return;
  sealed = true;
  // After the reply, so the close is acknowledged first; later requests wait for it.
  setTimeout(() => {
    try {
      ledger?.seal();
    } catch (e) {
      // Sealing only tidies the file; votes and the tally are already safe, and the next start seals.
      console.error(`Could not seal the closed election's file: ${(e as Error).message}`);
    }
  }, 0);
}

function handle(msg: WorkerRequest): WorkerReply {
  if (msg.type === "open") {
    ledger = new SqliteLedger(msg.path, msg.request);
    return {
      type: "done",
      id: msg.id,
      value: { settings: ledger.settings, state: ledger.state() },
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
    case "recount":
      return { type: "done", id: msg.id, value: { ...ledger.recount(), digest: ledger.digest() } };
    case "forget":
      ledger.forgetHistory();
      return { type: "done", id: msg.id, value: null };
    case "close":
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
