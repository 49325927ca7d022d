/**
 * The administrator's live panel: the count and progress towards the limit,
 * the latest voters as they vote (over the authenticated `/ws/admin`), ending
 * the vote with a confirmation, and the result once closed. Names and
 * addresses are rendered as text, never as HTML.
 */
import { useSignal } from "@preact/signals";
import { useEffect } from "preact/hooks";
import { type Connection, followSocket } from "../client/tally_socket.ts";
import { describeResult } from "../lib/election/describe_result.ts";
import { VoterTable } from "../components/VoterTable.tsx";
import type { Tally, TurnoutEntry } from "../lib/election/types.ts";
import { PublicationNote } from "../components/TallyBoard.tsx";
import { AUDIT_CHANGED } from "./AuditList.tsx";
import { ElectionDayCard } from "../components/ElectionDayCard.tsx";

/** Props: the tally and the newest register entries (newest first) at render time. */
export interface AdminPanelProps {
  tally: Tally;
  latest: TurnoutEntry[];
  /** An error to show beside the close form, or the election-day card before the opening. */
  closeError?: string;
  /** Voters on the electoral roll, or null for an open election. */
  rollVoters?: number | null;
  /** The election's time zone (IANA name), for the register's times (default UTC). */
  timeZone?: string;
}

/** What `/ws/admin` sends. */
export type AdminMessage =
  | { type: "tally"; tally: Tally }
  | { type: "turnout"; entries: TurnoutEntry[] };

const SHOWN = 50;

/** Where the live feed should start: after the newest entry shown (steps arrive whole). */
function cursor(entries: TurnoutEntry[]): string {
  const newest = entries.reduce<TurnoutEntry | null>(
    (best, e) =>
      !best || e.step > best.step || (e.step === best.step && e.voterId > best.voterId) ? e : best,
    null,
  );
  return newest ? `?after=${newest.step}:${newest.voterId}` : "";
}

/** What the close form says when its box is not ticked (the route says it too, without JavaScript). */
export const CONFIRM_CLOSE = "Tick the box to confirm that voting should end now.";

/** The admin panel island. */
export default function AdminPanel(props: AdminPanelProps) {
  const tally = useSignal(props.tally);
  const latest = useSignal(props.latest);
  const connection = useSignal<Connection | "static">("static");
  const closeError = useSignal(props.closeError ?? "");
  const closing = useSignal(false);
  const signedOut = useSignal(false);

  useEffect(() =>
    followSocket<AdminMessage>(() => `/ws/admin${cursor(latest.value)}`, {
      onConnection: (state) => connection.value = state,
      // A closed socket may mean the session ended (signed out elsewhere,
      // expired): then ask to sign in again instead of reconnecting forever.
      shouldReconnect: async () => {
        const res = await fetch("/admin/session", { headers: { accept: "application/json" } })
          .catch(() => null);
        await res?.body?.cancel();
        if (res?.status !== 401) return true; // the server is away, or all is well
        signedOut.value = true;
        return false;
      },
      onMessage: (message) => {
        if (message.type === "tally") tally.value = message.tally;
        else {
          // Each step arrives by voter ID; the newest step goes on top.
          const known = new Set(latest.value.map((e) => e.voterId));
          const fresh = message.entries.filter((e) => !known.has(e.voterId));
          latest.value = [...fresh, ...latest.value]
            .sort((a, b) => b.step - a.step || (a.voterId < b.voterId ? -1 : 1))
            .slice(0, SHOWN);
        }
      },
    }), []);

  async function close(event: Event) {
    event.preventDefault();
    const form = event.currentTarget as HTMLFormElement;
    if (!(form.elements.namedItem("confirm") as HTMLInputElement).checked) {
      closeError.value = CONFIRM_CLOSE;
      return;
    }
    closing.value = true;
    try {
      const res = await fetch("/admin/close", {
        method: "POST",
        headers: { accept: "application/json" },
      });
      const body = await res.json();
      if (res.ok) {
        tally.value = body;
        dispatchEvent(new Event(AUDIT_CHANGED)); // the close is in the audit log: show its new head
      } else closeError.value = body.error?.message ?? "Voting could not be ended.";
    } catch {
      closeError.value = "The server could not be reached; try again.";
    } finally {
      closing.value = false;
    }
  }

  const t = tally.value;
  const said = describeResult(t);
  const share = t.limit && t.total !== null ? Math.min(100, (t.total / t.limit) * 100) : null;
  return (
    <div class="admin-panel">
      <section class="card admin-count" aria-labelledby="count-title">
        <h2 id="count-title">Turnout</h2>
        {t.total === null
          ? <p class="admin-total" data-total="sealed">Sealed until voting closes</p>
          : (
            <p class="admin-total">
              <strong data-total>{t.total}</strong> {t.total === 1 ? "vote" : "votes"}
              {t.limit !== null && ` of ${t.limit}`}
            </p>
          )}
        <PublicationNote tally={t} />
        {share !== null && (
          <progress max={100} value={share} aria-label="Progress towards the limit" />
        )}
        {props.rollVoters && t.total === null
          ? <p class="admin-roll">{props.rollVoters} voters are on the electoral roll.</p>
          : props.rollVoters && t.total !== null
          ? (
            <p class="admin-roll">
              {`${
                (t.total / props.rollVoters * 100).toFixed(1)
              }% of the ${props.rollVoters} voters on the electoral roll have voted.`}
            </p>
          )
          : (
            <p class="admin-roll admin-warning">
              Open election: there is no electoral roll, so anyone who can compute a valid voter ID
              can vote.
            </p>
          )}
        <p class="admin-status" role="status">
          {t.status === "open"
            ? "Voting is open."
            : t.status === "pending"
            ? "Voting has not opened yet."
            : said?.closed}{" "}
          <span class={`connection connection-${connection.value}`}>
            {signedOut.value
              ? "Signed out"
              : connection.value === "live"
              ? "Live"
              : connection.value === "static"
              ? ""
              : "Reconnecting…"}
          </span>
        </p>
        {signedOut.value && (
          <p class="field-error" role="alert">
            Your session has ended. <a href="/admin">Sign in again</a> to go on.
          </p>
        )}
        {said && (
          <div class="admin-result">
            <h3>Result</h3>
            <p data-outcome>{said.headline}.</p>
            {said.nota && <p>{said.nota}</p>}
            <ul>
              {t.parties.map((p) => <li key={p.id}>{p.name}: {p.votes}</li>)}
            </ul>
          </div>
        )}
      </section>

      {t.status === "pending" && (
        <ElectionDayCard tally={t} error={closeError.value} timeZone={props.timeZone ?? "UTC"} />
      )}

      {t.status === "open" && (
        <section class="card admin-close" aria-labelledby="close-title">
          <h2 id="close-title">End voting</h2>
          <form method="post" action="/admin/close" onSubmit={close}>
            <label class="confirm">
              <input type="checkbox" name="confirm" value="yes" required />
              I understand that this ends voting for everyone, now, and cannot be undone.
            </label>
            {closeError.value && <p class="field-error" role="alert">{closeError.value}</p>}
            <button type="submit" class="danger" disabled={closing.value}>End voting</button>
          </form>
        </section>
      )}

      <section class="card admin-latest" aria-labelledby="latest-title">
        <h2 id="latest-title">Latest voters</h2>
        <p class="hint">
          Who voted, never how, and never in what order: voters appear in the step their vote was
          published in, newest step first, each step by voter ID.
        </p>
        <RegisterTable entries={latest.value} />
      </section>
    </div>
  );
}

/** Props: the entries (no times: the register keeps steps), and what to say when there are none. */
export interface RegisterTableProps {
  entries: TurnoutEntry[];
  /** The text when `entries` is empty (default "No one has voted yet."). */
  empty?: string;
}

/** The turnout register as a table; every value is rendered as text. */
export function RegisterTable({ entries, empty }: RegisterTableProps) {
  if (entries.length === 0) return <p data-empty>{empty ?? "No one has voted yet."}</p>;
  return <VoterTable rows={entries} withStep />;
}
