/**
 * The admin panel's list of the voters on the roll who have not voted yet:
 * a search and 50 at a time, in voter ID order. Server-only.
 */
import { VoterTable } from "./VoterTable.tsx";
import type { RollEntry } from "../lib/election/roll.ts";

/** Props: the search, the voters found, the roll's size, and whether voters have codes. */
export interface NotVotedProps {
  search: string;
  voters: RollEntry[];
  rollVoters: number;
  codes: boolean;
}

/** The "not voted yet" section. */
export function NotVoted({ search, voters, rollVoters, codes }: NotVotedProps) {
  const next = voters.length === 50
    ? `/admin?${new URLSearchParams({
      pending: search,
      pendingAfter: voters.at(-1)!.voterId,
    })}#not-voted-title`
    : null;
  return (
    <section class="card" aria-labelledby="not-voted-title">
      <h2 id="not-voted-title">On the roll, not voted yet</h2>
      <p class="hint">
        The electoral roll has {rollVoters} voters. Search by voter ID, name or address.
      </p>
      <form method="get" action="/admin#not-voted-title" class="register-search" role="search">
        <label for="pending">Voter ID, name or address</label>
        <input id="pending" name="pending" type="search" value={search} />
        <button type="submit">Search</button>
      </form>
      {voters.length === 0 ? <p>Nobody found who has not voted.</p> : <VoterTable rows={voters} />}
      {next && (
        <p>
          <a href={next}>Next 50</a>
        </p>
      )}
      {codes && (
        <form method="post" action="/admin/roll/reissue" class="register-search">
          <label for="reissue-voter">Re-issue a lost code: voter ID</label>
          <input id="reissue-voter" name="voterId" type="text" autocomplete="off" required />
          <button type="submit">New code</button>
        </form>
      )}
    </section>
  );
}
