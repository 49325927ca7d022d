/** `POST /api/votes`: cast a vote as JSON. */
import { Hono } from "hono";
import { castVote, type VotingDeps } from "../lib/election/cast_vote.ts";
import { readJson } from "./_body.ts";
import { catalogue } from "../lib/i18n/catalogue.ts";
import { localeOf } from "./_locale.ts";
import { clientAddress } from "./_admin_session.ts";
import { HttpError } from "./_errors.ts";
import { VoteError } from "../lib/election/errors.ts";
import { openingText } from "../lib/election/election_day.ts";

/**
 * The JSON voting endpoint, answering 201 with the receipt; before the
 * opening, 409 `voting_not_open` naming the opening time in `timeZone`.
 */
export function apiVotes(voting: VotingDeps, timeZone: string): Hono {
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
    if (outcome.error.code === "voting_not_open") {
      const words = catalogue(locale);
      const day = voting.store.snapshot().day;
      const at = { at: words.voting_not_open_at, byAdmin: words.voting_not_open };
      throw new VoteError(
        "voting_not_open",
        openingText(at, locale, day, timeZone) ?? words.voting_not_open,
      );
    }
    throw outcome.error;
  });
}
