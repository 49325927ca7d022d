/** Sends a checked vote to `POST /api/votes` and turns the answer into a receipt or field errors. */
import { errorField, messages } from "../lib/election/errors.ts";
import type { Receipt } from "../lib/election/types.ts";

/** The receipt, or the message to show beside each field (`form` for the whole form). */
export type VoteOutcome =
  | { ok: true; receipt: Receipt }
  | { ok: false; errors: Record<string, string>; closed: boolean };

/** Posts the vote as JSON. Network failures become a form-level message. */
export async function sendVote(vote: Record<string, unknown>): Promise<VoteOutcome> {
  let response: Response;
  try {
    response = await fetch("/api/votes", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(vote),
    });
  } catch {
    return {
      ok: false,
      errors: { form: "The vote could not be sent. Check your connection and try again." },
      closed: false,
    };
  }
  const body = await response.json().catch(() => null);
  if (response.status === 201 && body?.receipt) return { ok: true, receipt: body };
  const error = body?.error ?? { code: "unavailable", message: messages.unavailable };
  return {
    ok: false,
    errors: { [errorField(error)]: error.message },
    closed: error.code === "voting_closed",
  };
}
