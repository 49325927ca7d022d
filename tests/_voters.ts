/** Test voters: valid, distinct EPIC numbers and ballots. */
import type { Ballot } from "../lib/election/types.ts";
import { makeEpic } from "../lib/election/voter_id.ts";

/** The n-th distinct valid voter ID. */
export function voterId(n: number): string {
  const letters = String.fromCharCode(
    65 + Math.floor(n / 1e6) % 26,
    65 + Math.floor(n / 2.6e7) % 26,
    84,
  );
  return makeEpic(letters, n % 1e6);
}

/** A valid ballot for voter n. */
export function ballot(n: number, party = "bjp"): Ballot {
  return {
    name: `Voter ${String.fromCharCode(65 + n % 26)}`,
    age: 30,
    address: "1 Test Road",
    voterId: voterId(n),
    party,
  };
}

/** The same ballot as the JSON the API takes. */
export function voteBody(n: number, party = "bjp"): string {
  return JSON.stringify(ballot(n, party));
}

/** POSTs voter n's ballot to a running server's `/api/votes`. */
export function sendVote(baseUrl: string, n: number, party = "bjp"): Promise<Response> {
  return fetch(`${baseUrl}/api/votes`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: voteBody(n, party),
  });
}
