/**
 * The live results dashboard: the board, kept current over `/ws/tally`,
 * with a connection indicator and the time of the last update (which, like
 * everything on it, changes only when a step is published).
 */
import { useSignal } from "@preact/signals";
import { useEffect } from "preact/hooks";
import { type Connection, followTally } from "../client/tally_socket.ts";
import { TallyBoard } from "../components/TallyBoard.tsx";
import type { BoardWords } from "../components/board_words.ts";
import type { PartyView, Tally } from "../lib/election/types.ts";
import { localDigits, type Locale } from "../lib/i18n/format.ts";
import { localTime } from "../lib/election/local_time.ts";
import { boothState, openingText } from "../lib/election/election_day.ts";
import { MockPollBanner } from "../components/NotOpenBooth.tsx";

/** Props: the tally at render time, the parties, when the tally was read (ISO 8601), the time zone, and the words. */
export interface LiveTallyProps {
  tally: Tally;
  parties: PartyView[];
  updatedAt: string;
  words: BoardWords;
  locale: Locale;
  /** Voters on the electoral roll, or null for an open election. */
  rollVoters?: number | null;
  /** The election's time zone (IANA name), for the time of the last update. */
  timeZone: string;
}

/** The dashboard's title: "Live results" until the close ("Mock poll results" during one), "Final results" after. */
export function dashboardTitle(
  tally: Tally,
  words: Pick<BoardWords, "results_title" | "final_results_title" | "mock_results_title">,
): string {
  if (tally.status === "closed") return words.final_results_title;
  return boothState(tally) === "mock" ? words.mock_results_title : words.results_title;
}

const STATUS_WORD = {
  open: "status_open",
  closed: "status_closed",
  not_open: "status_not_open",
  mock: "status_mock",
} as const;

/** The dashboard island. */
export default function LiveTally(props: LiveTallyProps) {
  const tally = useSignal(props.tally);
  const updatedAt = useSignal(props.updatedAt);
  const connection = useSignal<Connection | "static">("static");

  const t = tally.value;
  useEffect(() => {
    document.title = document.title.replace(/^[^·]*·/, `${dashboardTitle(t, props.words)} ·`);
  }, [t.status, t.day?.mockPoll]);
  useEffect(() =>
    followTally({
      onTally: (next) => {
        tally.value = next;
        updatedAt.value = new Date().toISOString();
      },
      onConnection: (state) => connection.value = state,
    }), []);

  const { words, locale } = props;
  // After the close nothing changes any more: the connection pill says so
  // instead of "Live", or, without JavaScript, instead of "reload to update".
  const pill = t.status === "closed"
    ? words.connection_final
    : words[`connection_${connection.value}`];
  const state = boothState(t);
  const opening = state === "not_open" &&
    openingText(
      { at: words.opens_at_text, byAdmin: words.opens_by_admin_text },
      locale,
      t.day,
      props.timeZone,
    );
  return (
    <div class="live-tally">
      <h1 class="results-title">{dashboardTitle(t, props.words)}</h1>
      <div class="status-bar">
        <span class={`pill status-${state}`} data-status={t.status}>
          {words[STATUS_WORD[state]]}
        </span>
        <span class={`pill connection-${connection.value}`} data-connection={connection.value}>
          <span class="dot" aria-hidden="true" /> {pill}
        </span>
        <span class="updated">
          {words.last_update}{" "}
          <time dateTime={updatedAt.value}>
            {localDigits(locale, localTime(updatedAt.value, props.timeZone, { date: false }))}
          </time>
        </span>
      </div>
      {state === "mock" && <MockPollBanner words={words} />}
      {opening && <p class="opening-time">{opening}</p>}
      <TallyBoard
        tally={t}
        parties={props.parties}
        words={words}
        locale={locale}
        rollVoters={props.rollVoters}
      />
    </div>
  );
}
