/** `POST /api/votes`: cast a vote as JSON. */
import { Hono } from "hono";
import { castVote, type VotingDeps } from "../lib/election/cast_vote.ts";
import { limitBody, readJson } from "./_body.ts";
import { clientAddress } from "./_admin_session.ts";

/** The JSON voting endpoint, answering 201 with the receipt. */
export function apiVotes(voting: VotingDeps): Hono {
  return new Hono().post("/", limitBody(), async (c) => {
    const outcome = await castVote(voting, await readJson(c), clientAddress(c));
    if (outcome.ok) return c.json(outcome.receipt, 201);
    if (outcome.retryAfter) c.header("Retry-After", String(outcome.retryAfter));
    throw outcome.error;
  });
}
