/**
 * The projector view's live part: turnout in figures a hall can read, open or
 * closed, and after the close the winner (or the tie) and the votes by party.
 * No party counts while voting is open.
 */
import { useSignal } from "@preact/signals";
import { useEffect } from "preact/hooks";
import { followTally } from "../client/tally_socket.ts";
import type { Tally } from "../lib/election/types.ts";
import { outcomeSentence } from "../lib/server/terminal_status.ts";

/** Props: the tally at render time. */
export interface PresentBoardProps {
  tally: Tally;
}

function share(votes: number, total: number): string {
  return total === 0 ? "0%" : `${Math.round(votes / total * 100)}%`;
}

/** The presenter island. */
export default function PresentBoard(props: PresentBoardProps) {
  const tally = useSignal(props.tally);
  useEffect(() => followTally({ onTally: (next) => tally.value = next }), []);
  const t = tally.value;
  const closed = t.status === "closed";
  return (
    <div class="present-board" aria-live="polite">
      <p class={`present-status status-${t.status}`} data-status={t.status}>
        {closed
          ? "Voting has closed"
          : t.status === "open"
          ? "Voting is open"
          : t.day?.mockPoll
          ? "Mock poll: voting has not opened yet"
          : "Voting has not opened yet"}
      </p>
      {t.total === null
        ? <p class="present-turnout" data-total="sealed">Turnout sealed until voting closes</p>
        : (
          <p class="present-turnout">
            <strong data-total>{t.total}</strong> {t.total === 1 ? "vote" : "votes"}
            {t.limit !== null && <span class="present-limit">of {t.limit}</span>}
          </p>
        )}
      {t.limit !== null && t.total !== null && (
        <svg class="present-progress" viewBox="0 0 1000 40" preserveAspectRatio="none">
          <rect class="track" width="1000" height="40" />
          <rect
            class="fill"
            width={Math.round(Math.min(1, t.total / t.limit) * 1000)}
            height="40"
          />
        </svg>
      )}
      {closed && (
        <div class="present-result">
          <p class="present-winner" data-outcome>{outcomeSentence(t)}</p>
          <ol class="present-parties">
            {t.parties.map((p) => (
              <li key={p.id}>
                <span>{p.name}</span> <strong>{p.votes}</strong>{" "}
                <span class="present-share">{share(p.votes ?? 0, t.total ?? 0)}</span>
              </li>
            ))}
          </ol>
        </div>
      )}
    </div>
  );
}
