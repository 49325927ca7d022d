/** Sends a checked vote to `POST /api/votes` and turns the answer into a receipt or field errors. */
import { errorField } from "../lib/election/errors.ts";
import type { Receipt } from "../lib/election/types.ts";

/** The receipt, or the message to show beside each field (`form` for the whole form). */
export type VoteOutcome =
  | { ok: true; receipt: Receipt }
  | { ok: false; errors: Record<string, string>; closed: boolean; code?: string };

/** The booth's own words for what the server cannot say (it answers in the voter's language). */
export interface SendWords {
  network: string;
  unavailable: string;
}

/** Posts the vote as JSON. Network failures become a form-level message. */
export async function sendVote(
  vote: Record<string, unknown>,
  words: SendWords,
): Promise<VoteOutcome> {
  let response: Response;
  try {
    response = await fetch("/api/votes", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(vote),
    });
  } catch {
    return { ok: false, errors: { form: words.network }, closed: false };
  }
  const body = await response.json().catch(() => null);
  if (response.status === 201 && body?.receipt) return { ok: true, receipt: body };
  const error = body?.error ?? { code: "unavailable", message: words.unavailable };
  return {
    ok: false,
    errors: { [errorField(error)]: error.message },
    closed: error.code === "voting_closed",
    code: error.code,
  };
}
