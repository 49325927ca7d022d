/**
 * The results board: status, winner or tie banner, turnout towards the
 * limit, and a bar per party with logo, votes and share. Pure presentation;
 * the `LiveTally` island keeps it current.
 */
import { describeResult } from "../lib/election/describe_result.ts";
import type { PartyView, Tally } from "../lib/election/types.ts";
import { PartyLogo } from "./PartyLogo.tsx";

/** Props: the tally and the parties (for names, colours and logos). */
export interface TallyBoardProps {
  tally: Tally;
  parties: PartyView[];
  /** Voters on the electoral roll, or null for an open election. */
  rollVoters?: number | null;
}

function percent(part: number, whole: number): string {
  return whole === 0 ? "0%" : `${(part / whole * 100).toFixed(1)}%`;
}

function ResultBanner({ tally, parties }: TallyBoardProps) {
  const said = describeResult(tally);
  if (!said) return null;
  const winner = parties.find((p) => p.id === tally.result?.winner);
  return (
    <section class="result-banner" aria-labelledby="result-title">
      {winner && <PartyLogo party={winner} size={128} />}
      <div>
        <h2 id="result-title">{said.headline}</h2>
        <p>{said.closed}{said.nota && ` ${said.nota}`}</p>
      </div>
    </section>
  );
}

function Turnout({ tally, rollVoters }: { tally: Tally; rollVoters?: number | null }) {
  const share = tally.limit ? Math.min(1, tally.total / tally.limit) : 0;
  return (
    <section class="turnout card" aria-labelledby="turnout-title">
      <h2 id="turnout-title">Turnout</h2>
      <p class="turnout-total">
        <strong data-total>{tally.total}</strong> {tally.total === 1 ? "vote" : "votes"}
        {tally.limit !== null && <span>of {tally.limit}</span>}
      </p>
      {tally.limit !== null
        ? (
          <svg class="progress" viewBox="0 0 1000 24" preserveAspectRatio="none" aria-hidden="true">
            <rect class="track" width="1000" height="24" />
            <rect class="fill" width={Math.round(share * 1000)} height="24" />
          </svg>
        )
        : <p class="hint">No vote limit is set.</p>}
      {tally.limit !== null && (
        <p class="hint">{percent(tally.total, tally.limit)} of the limit reached</p>
      )}
      {rollVoters
        ? (
          <p class="roll-turnout" data-roll-turnout>
            {percent(tally.total, rollVoters)} of the {rollVoters} voters on the electoral roll
          </p>
        )
        : null}
    </section>
  );
}

/** The whole board. */
export function TallyBoard({ tally, parties, rollVoters }: TallyBoardProps) {
  const most = Math.max(1, ...tally.parties.map((p) => p.votes));
  return (
    <>
      <div aria-live="polite">
        <ResultBanner tally={tally} parties={parties} />
      </div>
      <div class="board">
        <Turnout tally={tally} rollVoters={rollVoters} />
        <section class="chart card" aria-labelledby="chart-title">
          <h2 id="chart-title">Votes by party</h2>
          <ol class="bars">
            {tally.parties.map((row) => {
              const party = parties.find((p) => p.id === row.id)!;
              return (
                <li key={row.id} class={`bar-row party-${row.id}`} data-party={row.id}>
                  <PartyLogo party={party} size={64} alt="" />
                  <span class="bar-name">{row.name}</span>
                  <span class="bar-figures">
                    <strong data-votes>{row.votes}</strong> {row.votes === 1 ? "vote" : "votes"}
                    <span class="bar-share">{percent(row.votes, tally.total)}</span>
                  </span>
                  <svg
                    class="bar"
                    viewBox="0 0 1000 28"
                    preserveAspectRatio="none"
                    aria-hidden="true"
                  >
                    <rect class="track" width="1000" height="28" />
                    <rect
                      width={Math.round(row.votes / most * 1000)}
                      height="28"
                      fill={party.color}
                    />
                  </svg>
                </li>
              );
            })}
          </ol>
        </section>
      </div>
    </>
  );
}
