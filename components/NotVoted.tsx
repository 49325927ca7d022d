/**
 * The admin panel's list of the voters on the roll who have not voted yet:
 * a search and 50 at a time, in voter ID order. Server-only.
 */
import { VoterTable } from "./VoterTable.tsx";
import type { RollEntry } from "../lib/election/roll.ts";
import { adminSay, adminWords } from "../lib/i18n/catalogue.ts";
import type { Locale } from "../lib/i18n/format.ts";

/** Props: the search, the voters found, the roll's size, whether voters have codes, the language. */
export interface NotVotedProps {
  search: string;
  voters: RollEntry[];
  rollVoters: number;
  codes: boolean;
  locale: Locale;
}

/** The "not voted yet" section. */
export function NotVoted({ search, voters, rollVoters, codes, locale }: NotVotedProps) {
  const say = adminWords(locale);
  const next = voters.length === 50
    ? `/admin?${new URLSearchParams({
      pending: search,
      pendingAfter: voters.at(-1)!.voterId,
    })}#not-voted-title`
    : null;
  return (
    <section class="card" aria-labelledby="not-voted-title">
      <h2 id="not-voted-title">{say.not_voted_title}</h2>
      <p class="hint">{adminSay(locale, "not_voted_hint", { voters: rollVoters })}</p>
      <form method="get" action="/admin#not-voted-title" class="register-search" role="search">
        <label for="pending">{say.search_label}</label>
        <input id="pending" name="pending" type="search" value={search} />
        <button type="submit">{say.search_button}</button>
      </form>
      {voters.length === 0
        ? <p>{say.not_voted_none}</p>
        : <VoterTable rows={voters} words={say} label={say.not_voted_title} />}
      {next && (
        <p>
          <a href={next}>{adminSay(locale, "next_page", { count: 50 })}</a>
        </p>
      )}
      {codes && (
        <form method="post" action="/admin/roll/reissue" class="register-search">
          <label for="reissue-voter">{say.reissue_label}</label>
          <input id="reissue-voter" name="voterId" type="text" autocomplete="off" required />
          <button type="submit">{say.reissue_button}</button>
        </form>
      )}
    </section>
  );
}
