/** `GET /api/tally` and `GET /api/receipts/:code`: public, read-only. */
import { Hono } from "hono";
import { VoteError } from "../lib/election/errors.ts";
import { translate } from "../lib/i18n/catalogue.ts";
import { localeOf } from "./_locale.ts";
import { normaliseReceipt } from "../lib/election/receipt.ts";
import type { ElectionStore } from "../lib/store/store.ts";
import { HttpError } from "./_errors.ts";

/** The tally as JSON (with the audit log's head once closed), and receipt look-up (counted or not; never the party). */
export function apiTally(
  store: ElectionStore,
  audit?: { readonly head: { seq: number; hash: string } },
): Hono {
  return new Hono()
    .get("/tally", (c) => {
      c.header("Cache-Control", "no-store");
      const tally = store.snapshot();
      // Once closed, the audit chain's head: whoever saves it can later prove a rewrite.
      if (tally.status !== "closed" || !audit) return c.json(tally);
      const head = audit.head;
      return c.json({ ...tally, audit: { seq: head.seq, head: head.hash } });
    })
    .get("/receipts/:code", async (c) => {
      const code = normaliseReceipt(c.req.param("code"));
      if (code === null) {
        throw new VoteError("invalid_input", translate(localeOf(c), "check_malformed"));
      }
      if (!(await store.hasReceipt(code))) {
        throw new HttpError("not_found", { reason: "receipt_not_found" });
      }
      return c.json({ receipt: code, counted: true });
    });
}
