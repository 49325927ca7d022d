/**
 * The SQLite store's worker: owns the database connection and applies each
 * batch the main thread sends in one durable transaction, so that the main
 * thread keeps serving HTTP while SQLite syncs to disk. It answers requests
 * in the order they come; when to empty the log or seal the file is the
 * store's decision (`sqlite_store.ts`).
 */
/// <reference lib="deno.worker" />
import { SqliteLedger } from "./sqlite_ledger.ts";
import type { WorkerReply, WorkerRequest } from "./sqlite_protocol.ts";

let ledger: SqliteLedger | undefined;

function reply(message: WorkerReply) {
  self.postMessage(message);
}

function handle(msg: WorkerRequest): WorkerReply {
  if (msg.type === "open") {
    ledger = new SqliteLedger(msg.path, msg.request);
    return {
      type: "done",
      id: msg.id,
      value: {
        settings: ledger.settings,
        stored: ledger.stored(),
        roll: ledger.roll?.info ?? null,
      },
    };
  }
  if (!ledger) throw new Error("The database is not open.");
  switch (msg.type) {
    case "apply":
      return { type: "done", id: msg.id, value: ledger.apply(msg.ops) };
    case "turnout":
      return { type: "done", id: msg.id, value: ledger.turnout(msg.query) };
    case "reissue":
      return {
        type: "done",
        id: msg.id,
        value: ledger.roll?.reissueCode(msg.voterId, msg.hash) ?? "not_on_roll",
      };
    case "admission":
      return {
        type: "done",
        id: msg.id,
        value: ledger.roll?.admission(msg.voterId, msg.proof) ?? "admitted",
      };
    case "reloadRoll":
      return { type: "done", id: msg.id, value: ledger.reloadRoll() };
    case "notVoted":
      return { type: "done", id: msg.id, value: ledger.notVoted(msg.query) };
    case "receipt":
      return { type: "done", id: msg.id, value: ledger.hasReceipt(msg.receipt) };
    case "recount":
      return { type: "done", id: msg.id, value: { ...ledger.recount(), digest: ledger.digest() } };
    case "forget":
      return { type: "done", id: msg.id, value: ledger.forgetHistory({ wait: false }) };
    case "seal":
      ledger.seal();
      return { type: "done", id: msg.id, value: null };
    case "close":
      ledger.close();
      ledger = undefined;
      return { type: "done", id: msg.id, value: null };
  }
}

self.onmessage = (event: MessageEvent<WorkerRequest | string>) => {
  // A batch comes as JSON text (sqlite_store.ts); anything else as it is.
  const msg: WorkerRequest = typeof event.data === "string" ? JSON.parse(event.data) : event.data;
  try {
    reply(handle(msg));
  } catch (e) {
    const error = e as Error;
    reply({ type: "failed", id: msg.id, name: error.name, message: error.message });
  }
};
