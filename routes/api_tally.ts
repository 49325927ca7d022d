/** `GET /api/tally` and `GET /api/receipts/:code`: public, read-only. */
import { Hono } from "hono";
import { VoteError } from "../lib/election/errors.ts";
import { normaliseReceipt } from "../lib/election/receipt.ts";
import type { ElectionStore } from "../lib/store/store.ts";
import { HttpError, methodNotAllowed } from "./_errors.ts";

/** The tally as JSON, and receipt look-up (counted or not; never the party). */
export function apiTally(store: ElectionStore): Hono {
  return new Hono()
    .get("/tally", (c) => {
      c.header("Cache-Control", "no-store");
      return c.json(store.snapshot());
    })
    .all("/tally", methodNotAllowed("GET, HEAD"))
    .get("/receipts/:code", async (c) => {
      const code = normaliseReceipt(c.req.param("code"));
      if (code === null) {
        throw new VoteError("invalid_input", "A receipt code looks like K7QH-2M9D-X4TP.");
      }
      if (!(await store.hasReceipt(code))) {
        throw new HttpError("not_found", "No ballot has this receipt code.");
      }
      return c.json({ receipt: code, counted: true });
    })
    .all("/receipts/:code", methodNotAllowed("GET, HEAD"));
}
