/** `POST /api/votes`: cast a vote as JSON. */
import { Hono } from "hono";
import { castVote, type VotingDeps } from "../lib/election/cast_vote.ts";
import { readJson } from "./_body.ts";
import { catalogue } from "../lib/i18n/catalogue.ts";
import { localeOf } from "./_locale.ts";
import { clientAddress } from "./_admin_session.ts";
import { HttpError, methodNotAllowed } from "./_errors.ts";

/** The JSON voting endpoint, answering 201 with the receipt. */
export function apiVotes(voting: VotingDeps): Hono {
  return new Hono().post("/", async (c) => {
    const locale = localeOf(c);
    const outcome = await castVote(voting, await readJson(c), clientAddress(c), {
      words: { locale, messages: catalogue(locale) },
    });
    if (outcome.ok) return c.json(outcome.receipt, 201);
    if ("retryAfter" in outcome) {
      c.header("Retry-After", String(outcome.retryAfter));
      throw new HttpError("too_many_requests", outcome.message);
    }
    throw outcome.error;
  }).all("/", methodNotAllowed("POST"));
}
