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
import type { Locale } from "../lib/i18n/format.ts";
import { localTime } from "../lib/election/local_time.ts";

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

/** The dashboard's title: "Live results" while voting is open, "Final results" after. */
export function dashboardTitle(
  tally: Tally,
  words: Pick<BoardWords, "results_title" | "final_results_title">,
): string {
  return tally.status === "open" ? words.results_title : words.final_results_title;
}

/** The dashboard island. */
export default function LiveTally(props: LiveTallyProps) {
  const tally = useSignal(props.tally);
  const updatedAt = useSignal(props.updatedAt);
  const connection = useSignal<Connection | "static">("static");

  const t = tally.value;
  useEffect(() => {
    document.title = document.title.replace(/^[^·]*·/, `${dashboardTitle(t, props.words)} ·`);
  }, [t.status]);
  useEffect(() =>
    followTally({
      onTally: (next) => {
        tally.value = next;
        updatedAt.value = new Date().toISOString();
      },
      onConnection: (state) => connection.value = state,
    }), []);

  const { words, locale } = props;
  // After the close nothing changes any more: the connection pill says so instead of "Live".
  const pill = t.status === "closed" && connection.value === "live"
    ? words.connection_final
    : words[`connection_${connection.value}`];
  return (
    <div class="live-tally">
      <h1 class="results-title">{dashboardTitle(t, props.words)}</h1>
      <div class="status-bar">
        <span class={`pill status-${t.status}`} data-status={t.status}>
          {t.status === "open" ? words.status_open : words.status_closed}
        </span>
        <span class={`pill connection-${connection.value}`} data-connection={connection.value}>
          <span class="dot" aria-hidden="true" /> {pill}
        </span>
        <span class="updated">
          {words.last_update}{" "}
          <time dateTime={updatedAt.value}>
            {localTime(updatedAt.value, props.timeZone, { date: false })}
          </time>
        </span>
      </div>
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
