/**
 * The live results dashboard: the board, kept current over `/ws/tally`,
 * with a connection indicator and the time of the last update.
 */
import { useSignal } from "@preact/signals";
import { useEffect } from "preact/hooks";
import { type Connection, followTally } from "../client/tally_socket.ts";
import { TallyBoard } from "../components/TallyBoard.tsx";
import type { BoardWords } from "../components/board_words.ts";
import type { PartyView, Tally } from "../lib/election/types.ts";
import type { Locale } from "../lib/i18n/format.ts";

/** Props: the tally at render time, the parties, when the tally was read (ISO 8601), and the words. */
export interface LiveTallyProps {
  tally: Tally;
  parties: PartyView[];
  updatedAt: string;
  words: BoardWords;
  locale: Locale;
}

function clock(iso: string): string {
  return new Date(iso).toISOString().slice(11, 19) + " UTC";
}

/** The dashboard island. */
export default function LiveTally(props: LiveTallyProps) {
  const tally = useSignal(props.tally);
  const updatedAt = useSignal(props.updatedAt);
  const connection = useSignal<Connection | "static">("static");

  useEffect(() =>
    followTally({
      onTally: (next) => {
        tally.value = next;
        updatedAt.value = new Date().toISOString();
      },
      onConnection: (state) => connection.value = state,
    }), []);

  const t = tally.value;
  const { words, locale } = props;
  return (
    <div class="live-tally">
      <div class="status-bar">
        <span class={`pill status-${t.status}`} data-status={t.status}>
          {t.status === "open" ? words.status_open : words.status_closed}
        </span>
        <span class={`pill connection-${connection.value}`} data-connection={connection.value}>
          <span class="dot" aria-hidden="true" /> {words[`connection_${connection.value}`]}
        </span>
        <span class="updated">
          {words.last_update} <time dateTime={updatedAt.value}>{clock(updatedAt.value)}</time>
        </span>
      </div>
      <TallyBoard tally={t} parties={props.parties} words={words} locale={locale} />
    </div>
  );
}
