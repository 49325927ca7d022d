/**
 * The panel's newest audit log entries and the head hash, kept current: read
 * again from `/admin/audit.json` every few seconds and at once when the panel
 * ends the vote, so the head to note at the close is the one shown.
 */
import { useSignal } from "@preact/signals";
import { useEffect } from "preact/hooks";
import { localTime } from "../lib/election/local_time.ts";
import { formatNumber, type Locale } from "../lib/i18n/format.ts";
import { fillNodes } from "../components/fill_nodes.tsx";

/** One entry as the panel shows it. */
export interface AuditLine {
  seq: number;
  /** ISO 8601 UTC. */
  time: string;
  actor: string;
  address: string;
  event: string;
}

/** What `/admin/audit.json` answers, and the island's props with the time zone. */
export interface AuditView {
  head: { seq: number; hash: string };
  entries: AuditLine[];
}

/** Props: the log as rendered, the election's time zone, and the reader's language. */
export interface AuditListProps extends AuditView {
  timeZone: string;
  locale: Locale;
  /**
   * `summary`: "{count} entries; head hash {hash}. Check it with {command}.";
   * `entry`: "{event} by {actor} from {address}"; `events` and `actors`: the
   * log's ids in the reader's language (an id not there is shown as it is).
   */
  words: {
    summary: string;
    entry: string;
    events?: Readonly<Record<string, string>>;
    actors?: Readonly<Record<string, string>>;
  };
}

/** The event the admin panel sends when it changed the log (e.g. after "End voting"). */
export const AUDIT_CHANGED = "matdaan:audit-changed";
const REFRESH_MS = 5_000;

/** The audit list island. */
export default function AuditList(props: AuditListProps) {
  const view = useSignal<AuditView>({ head: props.head, entries: props.entries });
  useEffect(() => {
    let stopped = false;
    async function refresh() {
      try {
        const res = await fetch("/admin/audit.json", { headers: { accept: "application/json" } });
        if (res.ok && !stopped) view.value = await res.json();
        else await res.body?.cancel();
      } catch { /* offline for a moment: the next refresh tries again */ }
    }
    const timer = setInterval(refresh, REFRESH_MS);
    addEventListener(AUDIT_CHANGED, refresh);
    return () => {
      stopped = true;
      clearInterval(timer);
      removeEventListener(AUDIT_CHANGED, refresh);
    };
  }, []);
  const { head, entries } = view.value;
  return (
    <>
      <p class="hint">
        {fillNodes(props.words.summary, {
          count: <span data-audit-count>{formatNumber(props.locale, head.seq)}</span>,
          hash: <code data-audit-head>{head.hash.slice(0, 16)}…</code>,
          command: <code>deno task audit-verify</code>,
        })}
      </p>
      <ol class="audit" reversed>
        {entries.map((e) => (
          <li key={e.seq}>
            <time dateTime={e.time}>{localTime(e.time, props.timeZone)}</time>{" "}
            {fillNodes(props.words.entry, {
              event: (
                <strong data-event={e.event}>{props.words.events?.[e.event] ?? e.event}</strong>
              ),
              actor: props.words.actors?.[e.actor] ?? e.actor,
              address: e.address,
            })}
          </li>
        ))}
      </ol>
    </>
  );
}
