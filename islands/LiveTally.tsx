/**
 * The live results dashboard: the board, kept current over `/ws/tally`,
 * with a connection indicator and the time of the last update (which, like
 * everything on it, changes only when a step is published).
 */
import { useSignal } from "@preact/signals";
import { useEffect } from "preact/hooks";
import { type Connection, followTally } from "../client/tally_socket.ts";
import { TallyBoard } from "../components/TallyBoard.tsx";
import type { PartyView, Tally } from "../lib/election/types.ts";

/** Props: the tally at render time, the parties, and when the tally was read (ISO 8601). */
export interface LiveTallyProps {
  tally: Tally;
  parties: PartyView[];
  updatedAt: string;
}

const CONNECTION_TEXT: Record<Connection | "static", string> = {
  static: "Snapshot (reload to update)",
  connecting: "Connecting…",
  live: "Live",
  offline: "Reconnecting…",
};

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
  return (
    <div class="live-tally">
      <div class="status-bar">
        <span class={`pill status-${t.status}`} data-status={t.status}>
          {t.status === "open" ? "Voting open" : "Voting closed"}
        </span>
        <span class={`pill connection-${connection.value}`} data-connection={connection.value}>
          <span class="dot" aria-hidden="true" /> {CONNECTION_TEXT[connection.value]}
        </span>
        <span class="updated">
          Last update <time dateTime={updatedAt.value}>{clock(updatedAt.value)}</time>
        </span>
      </div>
      <TallyBoard tally={t} parties={props.parties} />
    </div>
  );
}
