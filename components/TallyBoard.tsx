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

/**
 * What the results mode publishes while voting is open, and when the next
 * update comes. Live steps are published once they hold `size` votes, so the
 * next one comes within the next `size` votes; a countdown by single votes
 * would publish every vote's moment, which steps exist to hide.
 */
export function PublicationNote({ tally }: { tally: Tally }) {
  if (tally.status === "closed") return null;
  const { size, published } = tally.step;
  const text = tally.results === "live"
    ? `Results are published in steps of at least ${size} votes, so that no vote can be traced to a voter. ${
      published === 0 ? "The first update" : "The next update"
    } comes within the next ${size} votes; the full result when voting closes.`
    : tally.results === "turnout"
    ? "Party results are published when voting closes; until then only the turnout is shown."
    : "Results and turnout are published when voting closes.";
  return <p class="publication-note hint" data-publication={tally.results}>{text}</p>;
}

function Turnout({ tally, rollVoters }: { tally: Tally; rollVoters?: number | null }) {
  if (tally.total === null) {
    return (
      <section class="turnout card" aria-labelledby="turnout-title">
        <h2 id="turnout-title">Turnout</h2>
        <p class="turnout-total" data-total="sealed">Sealed until voting closes</p>
      </section>
    );
  }
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
  const most = Math.max(1, ...tally.parties.map((p) => p.votes ?? 0));
  const shown = tally.parties.every((p) => p.votes !== null);
  return (
    <>
      <div aria-live="polite">
        <ResultBanner tally={tally} parties={parties} />
        <PublicationNote tally={tally} />
      </div>
      <div class="board">
        <Turnout tally={tally} rollVoters={rollVoters} />
        {shown
          ? <Chart tally={tally} parties={parties} most={most} />
          : (
            <section class="chart card" aria-labelledby="chart-title">
              <h2 id="chart-title">Votes by party</h2>
              <p class="hint" data-votes="sealed">Published when voting closes.</p>
            </section>
          )}
      </div>
    </>
  );
}

function Chart({ tally, parties, most }: TallyBoardProps & { most: number }) {
  return (
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
                <span class="bar-share">{percent(row.votes ?? 0, tally.total ?? 0)}</span>
              </span>
              <svg
                class="bar"
                viewBox="0 0 1000 28"
                preserveAspectRatio="none"
                aria-hidden="true"
              >
                <rect class="track" width="1000" height="28" />
                <rect
                  width={Math.round((row.votes ?? 0) / most * 1000)}
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
