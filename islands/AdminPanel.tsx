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
import { fill, formatNumber, type Locale } from "../lib/i18n/format.ts";
import type { PanelWords } from "../components/admin_words.ts";
import type { BoardWords } from "../components/board_words.ts";
import { fillNodes } from "../components/fill_nodes.tsx";

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
  /** The administrator's language. */
  locale: Locale;
  /** The panel's messages in that language (`panelWords`). */
  words: PanelWords;
  /** The dashboard's messages (the result's sentences, the publication note). */
  board: BoardWords;
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

/** The admin panel island. */
export default function AdminPanel(props: AdminPanelProps) {
  const tally = useSignal(props.tally);
  const latest = useSignal(props.latest);
  const connection = useSignal<Connection | "static">("static");
  const closeError = useSignal(props.closeError ?? "");
  const closing = useSignal(false);
  const { words: say, locale, board } = props;
  const n = (value: number) => formatNumber(locale, value);
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
      closeError.value = say.close_tick;
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
      } else closeError.value = body.error?.message ?? say.close_failed;
    } catch {
      closeError.value = say.close_offline;
    } finally {
      closing.value = false;
    }
  }

  const t = tally.value;
  const said = describeResult(t, board, locale);
  const share = t.limit && t.total !== null ? Math.min(100, (t.total / t.limit) * 100) : null;
  return (
    <div class="admin-panel">
      <section class="card admin-count" aria-labelledby="count-title">
        <h2 id="count-title">{say.admin_turnout}</h2>
        {t.total === null
          ? <p class="admin-total" data-total="sealed">{say.admin_sealed}</p>
          : (
            <p class="admin-total">
              {fillNodes(t.total === 1 ? say.admin_vote : say.admin_votes, {
                total: <strong data-total>{n(t.total)}</strong>,
              })}
              {t.limit !== null && ` ${fill(locale, say.admin_of_limit, { limit: t.limit })}`}
            </p>
          )}
        <PublicationNote tally={t} words={board} locale={locale} />
        {share !== null && <progress max={100} value={share} aria-label={say.admin_progress} />}
        {props.rollVoters && t.total === null
          ? (
            <p class="admin-roll">
              {fill(locale, say.admin_roll_size, { voters: props.rollVoters })}
            </p>
          )
          : props.rollVoters && t.total !== null
          ? (
            <p class="admin-roll">
              {fill(locale, say.admin_roll_share, {
                share: formatShare(locale, t.total / props.rollVoters * 100),
                voters: props.rollVoters,
              })}
            </p>
          )
          : <p class="admin-roll admin-warning">{say.admin_open_election}</p>}
        <p class="admin-status" role="status">
          {t.status === "open"
            ? say.admin_voting_open
            : t.status === "pending"
            ? say.admin_voting_pending
            : said?.closed}{" "}
          <span class={`connection connection-${connection.value}`}>
            {signedOut.value
              ? say.admin_signed_out
              : connection.value === "live"
              ? say.admin_live
              : connection.value === "static"
              ? ""
              : say.admin_reconnecting}
          </span>
        </p>
        {signedOut.value && (
          <p class="field-error" role="alert">
            {fillNodes(say.admin_session_ended, {
              link: <a href="/admin">{say.admin_sign_in_again}</a>,
            })}
          </p>
        )}
        {said && (
          <div class="admin-result">
            <h3>{say.admin_result}</h3>
            <p data-outcome>{fill(locale, say.admin_sentence, { text: said.headline })}</p>
            {said.nota && <p>{said.nota}</p>}
            <ul>
              {t.parties.map((p) => (
                <li key={p.id}>
                  {fill(locale, say.admin_party_votes, { party: p.name, votes: p.votes ?? 0 })}
                </li>
              ))}
            </ul>
          </div>
        )}
      </section>

      {t.status === "pending" && (
        <ElectionDayCard
          tally={t}
          error={closeError.value}
          timeZone={props.timeZone ?? "UTC"}
          locale={locale}
          words={say}
        />
      )}

      {t.status === "open" && (
        <section class="card admin-close" aria-labelledby="close-title">
          <h2 id="close-title">{say.close_title}</h2>
          <form method="post" action="/admin/close" onSubmit={close}>
            <label class="confirm">
              <input type="checkbox" name="confirm" value="yes" required />
              {say.close_confirm}
            </label>
            {closeError.value && <p class="field-error" role="alert">{closeError.value}</p>}
            <button type="submit" class="danger" disabled={closing.value}>
              {say.close_button}
            </button>
          </form>
        </section>
      )}

      <section class="card admin-latest" aria-labelledby="latest-title">
        <h2 id="latest-title">{say.latest_title}</h2>
        <p class="hint">{say.latest_hint}</p>
        <RegisterTable entries={latest.value} words={say} label={say.latest_title} />
      </section>
    </div>
  );
}

/** A share in per cent with one decimal, in the reader's digits ("25.0", "२५.०"). */
function formatShare(locale: Locale, percent: number): string {
  return new Intl.NumberFormat(locale === "hi" ? "hi-IN-u-nu-deva" : "en-IN", {
    minimumFractionDigits: 1,
    maximumFractionDigits: 1,
  }).format(percent);
}

/** The register's columns. */
type VoterColumns = "col_step" | "col_voter_id" | "col_name" | "col_age" | "col_address";

/** Props: the entries (no times: the register keeps steps), the words, and what to say when there are none. */
export interface RegisterTableProps {
  entries: TurnoutEntry[];
  /** The panel's messages (the columns' names, the empty register). */
  words: Pick<PanelWords, "latest_none" | VoterColumns>;
  /** The text when `entries` is empty (default `latest_none`: none shown until their step is published). */
  empty?: string;
  /** What the table is, for a screen reader. */
  label: string;
}

/** The turnout register as a table; every value is rendered as text. */
export function RegisterTable({ entries, words, empty, label }: RegisterTableProps) {
  if (entries.length === 0) return <p data-empty>{empty ?? words.latest_none}</p>;
  return <VoterTable rows={entries} words={words} label={label} withStep />;
}
