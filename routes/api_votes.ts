/** `POST /api/votes`: cast a vote as JSON. */
import { Hono } from "hono";
import type { ElectionStore } from "../lib/store/store.ts";
import { checkBallot } from "../lib/election/vote_schema.ts";
import { readJson } from "./_body.ts";
import { methodNotAllowed } from "./_errors.ts";

/** The JSON voting endpoint, answering 201 with the receipt. */
export function apiVotes(store: ElectionStore): Hono {
  const partyIds = store.parties.map((p) => p.id);
  return new Hono().post("/", async (c) => {
    const checked = checkBallot(await readJson(c), partyIds);
    if (!checked.ok) throw checked.error;
    return c.json(await store.cast(checked.ballot), 201);
  }).all("/", methodNotAllowed("POST"));
}
