/**
 * The projector view's live part: turnout in figures a hall can read, open or
 * closed, and after the close the winner (or the tie) and the votes by party.
 * No party counts while voting is open.
 */
import { useSignal } from "@preact/signals";
import { useEffect } from "preact/hooks";
import { followTally } from "../client/tally_socket.ts";
import type { Tally } from "../lib/election/types.ts";
import { describeResult, type ResultWords } from "../lib/election/describe_result.ts";
import { fill, formatNumber, type Locale } from "../lib/i18n/format.ts";
import { fillNodes } from "../components/fill_nodes.tsx";

/** The messages the projector view shows (the result's, and the few of its own). */
export type PresentWords = ResultWords & {
  present_open: string;
  present_closed: string;
  present_not_open: string;
  present_mock_not_open: string;
  present_sealed: string;
  admin_vote: string;
  admin_votes: string;
  admin_of_limit: string;
  admin_sentence: string;
};

/** Props: the tally at render time, the language and its messages. */
export interface PresentBoardProps {
  tally: Tally;
  locale: Locale;
  words: PresentWords;
}

function share(locale: Locale, votes: number, total: number): string {
  return `${formatNumber(locale, total === 0 ? 0 : Math.round(votes / total * 100))}%`;
}

/** The presenter island. */
export default function PresentBoard(props: PresentBoardProps) {
  const tally = useSignal(props.tally);
  useEffect(() =>
    followTally({
      onTally: (next) => {
        tally.value = next;
        // At the close the QR code and link beside the board (rendered by the
        // server) must lead to the result, not to a closed booth: load the page
        // again, once, so the server draws them for the closed election.
        if (next.status === "closed" && props.tally.status !== "closed") location.reload();
      },
    }), []);
  const t = tally.value;
  const closed = t.status === "closed";
  const { locale, words } = props;
  const said = describeResult(t, words, locale);
  return (
    <div class="present-board" aria-live="polite">
      <p class={`present-status status-${t.status}`} data-status={t.status}>
        {closed
          ? words.present_closed
          : t.status === "open"
          ? words.present_open
          : t.day?.mockPoll
          ? words.present_mock_not_open
          : words.present_not_open}
      </p>
      {t.total === null
        ? <p class="present-turnout" data-total="sealed">{words.present_sealed}</p>
        : (
          <p class="present-turnout">
            {fillNodes(t.total === 1 ? words.admin_vote : words.admin_votes, {
              total: <strong data-total>{formatNumber(locale, t.total)}</strong>,
            })}
            {t.limit !== null && (
              <span class="present-limit">
                {fill(locale, words.admin_of_limit, { limit: t.limit })}
              </span>
            )}
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
          <p class="present-winner" data-outcome>
            {said ? fill(locale, words.admin_sentence, { text: said.headline }) : ""}
          </p>
          <ol class="present-parties">
            {t.parties.map((p) => (
              <li key={p.id}>
                <span>{p.name}</span> <strong>{formatNumber(locale, p.votes ?? 0)}</strong>{" "}
                <span class="present-share">{share(locale, p.votes ?? 0, t.total ?? 0)}</span>
              </li>
            ))}
          </ol>
        </div>
      )}
    </div>
  );
}
