/**
 * The results board: status, winner or tie banner, turnout towards the
 * limit, and a bar per party with logo, votes and share. Pure presentation;
 * the `LiveTally` island keeps it current. Numbers are written in the
 * reader's digits (Devanagari in Hindi).
 */
import { describeResult } from "../lib/election/describe_result.ts";
import type { PartyView, Tally } from "../lib/election/types.ts";
import { fill, formatNumber, type Locale } from "../lib/i18n/format.ts";
import type { BoardWords } from "./board_words.ts";
import { PartyLogo } from "./PartyLogo.tsx";

/** Props: the tally, the parties (for names, colours and logos), and the words. */
export interface TallyBoardProps {
  tally: Tally;
  parties: PartyView[];
  words: BoardWords;
  locale: Locale;
  /** Voters on the electoral roll, or null for an open election. */
  rollVoters?: number | null;
}

function share(part: number, whole: number): number {
  return whole === 0 ? 0 : Math.round(part / whole * 1000) / 10;
}

function unit(n: number, words: BoardWords): string {
  return n === 1 ? words.unit_vote : words.unit_votes;
}

function ResultBanner({ tally, parties, words, locale }: TallyBoardProps) {
  const said = describeResult(tally, words, locale);
  if (!said) return null;
  const winner = parties.find((p) => p.id === tally.result?.winner);
  return (
    <section class="result-banner" aria-labelledby="result-title">
      {winner && <PartyLogo party={winner} size={128} alt="" />}
      <div>
        <h2 id="result-title">{said.headline}</h2>
        <p>{said.closed}{said.nota && ` ${said.nota}`}</p>
      </div>
    </section>
  );
}

/**
 * What the results mode publishes while voting is open, and when the next
 * update comes. Live steps are published once they hold `size` votes, so the
 * next one comes within the next `size` votes; a countdown by single votes
 * would publish every vote's moment, which steps exist to hide.
 */
export function PublicationNote(
  { tally, words, locale }: {
    tally: Tally;
    words: BoardWords;
    locale: Locale;
  },
) {
  // Once closed, and during a mock poll (shown in full), there is nothing to wait for.
  if (tally.status === "closed" || tally.day?.mockPoll) return null;
  const { size, published } = tally.step;
  const text = tally.results === "live"
    ? fill(locale, published === 0 ? words.publication_live_first : words.publication_live_next, {
      size,
    })
    : tally.results === "turnout"
    ? words.publication_turnout
    : words.publication_sealed;
  return <p class="publication-note hint" data-publication={tally.results}>{text}</p>;
}

function Turnout({ tally, words, locale, rollVoters }: Omit<TallyBoardProps, "parties">) {
  if (tally.total === null) {
    return (
      <section class="turnout card" aria-labelledby="turnout-title">
        <h2 id="turnout-title">{words.turnout}</h2>
        <p class="turnout-total" data-total="sealed">{words.turnout_sealed}</p>
      </section>
    );
  }
  const reached = tally.limit ? Math.min(1, tally.total / tally.limit) : 0;
  return (
    <section class="turnout card" aria-labelledby="turnout-title">
      <h2 id="turnout-title">{words.turnout}</h2>
      <p class="turnout-total">
        <strong data-total>{formatNumber(locale, tally.total)}</strong> {unit(tally.total, words)}
        {tally.limit !== null && <span>{fill(locale, words.of_limit, { limit: tally.limit })}
        </span>}
      </p>
      {tally.limit !== null
        ? (
          <svg class="progress" viewBox="0 0 1000 24" preserveAspectRatio="none" aria-hidden="true">
            <rect class="track" width="1000" height="24" />
            <rect class="fill" width={Math.round(reached * 1000)} height="24" />
          </svg>
        )
        : <p class="hint">{words.no_limit}</p>}
      {tally.limit !== null && (
        <p class="hint">
          {fill(locale, words.limit_share, { share: share(tally.total, tally.limit) })}
        </p>
      )}
      {rollVoters
        ? (
          <p class="roll-turnout" data-roll-turnout>
            {fill(locale, words.roll_turnout, {
              share: share(tally.total, rollVoters),
              voters: rollVoters,
            })}
          </p>
        )
        : null}
    </section>
  );
}

/** The bars, once the mode publishes party counts. */
function Chart({ tally, parties, words, locale, most }: TallyBoardProps & { most: number }) {
  const total = tally.total ?? 0;
  return (
    <section class="chart card" aria-labelledby="chart-title">
      <h2 id="chart-title">{words.chart_title}</h2>
      <ol class="bars">
        {tally.parties.map((row) => {
          const party = parties.find((p) => p.id === row.id)!;
          const votes = row.votes ?? 0;
          return (
            <li key={row.id} class={`bar-row party-${row.id}`} data-party={row.id}>
              <PartyLogo party={party} size={64} alt="" />
              <span class="bar-name">{row.name}</span>
              <span class="bar-figures">
                <strong data-votes>{formatNumber(locale, votes)}</strong> {unit(votes, words)}
                <span class="bar-share">
                  {fill(locale, words.share_percent, { share: share(votes, total) })}
                </span>
              </span>
              <svg
                class="bar"
                viewBox="0 0 1000 28"
                preserveAspectRatio="none"
                aria-hidden="true"
              >
                <rect class="track" width="1000" height="28" />
                <rect
                  width={Math.round(votes / most * 1000)}
                  height="28"
                  fill={party.color}
                />
              </svg>
            </li>
          );
        })}
      </ol>
    </section>
  );
}

/** The whole board. */
export function TallyBoard(props: TallyBoardProps) {
  const { tally, words, locale } = props;
  const most = Math.max(1, ...tally.parties.map((p) => p.votes ?? 0));
  const shown = tally.parties.every((p) => p.votes !== null);
  return (
    <>
      <div aria-live="polite">
        <ResultBanner {...props} />
        <PublicationNote tally={tally} words={words} locale={locale} />
      </div>
      <div class="board">
        <Turnout tally={tally} words={words} locale={locale} rollVoters={props.rollVoters} />
        {shown
          ? <Chart {...props} most={most} />
          : (
            <section class="chart card" aria-labelledby="chart-title">
              <h2 id="chart-title">{words.chart_title}</h2>
              <p class="hint" data-votes="sealed">{words.votes_sealed}</p>
            </section>
          )}
      </div>
    </>
  );
}
