/**
 * The administrator's election-day controls before voting opens: start a
 * mock poll, see its count, clear it (its result goes to the audit log), and
 * open voting. Plain forms, so they work without JavaScript.
 */
import type { Tally } from "../lib/election/types.ts";
import { openingText } from "../lib/election/election_day.ts";

/** Props: the pending tally, an error from the last action, and the election's time zone. */
export interface ElectionDayCardProps {
  tally: Tally;
  error?: string;
  timeZone: string;
}

/** The election-day card of the admin panel (shown only before the opening). */
export function ElectionDayCard({ tally, error, timeZone }: ElectionDayCardProps) {
  const mock = tally.day?.mockPoll ?? false;
  const opening = openingText(
    { at: "Voting opens by itself at {time}.", byAdmin: "Voting opens when you open it." },
    "en",
    tally.day,
    timeZone,
  );
  return (
    <section class="card admin-day" aria-labelledby="day-title">
      <h2 id="day-title">Before voting opens</h2>
      {opening && <p data-opening>{opening}</p>}
      {mock
        ? (
          <div class="admin-mock" data-mock-poll>
            <p>
              <strong>Mock poll running:</strong> {tally.total ?? 0}{" "}
              vote(s) so far. The booth shows a MOCK POLL banner; these votes are counted through
              the real path and are not part of the election.
            </p>
            <ul>
              {tally.parties.map((p) => <li key={p.id}>{p.name}: {p.votes ?? 0}</li>)}
            </ul>
            <form method="post" action="/admin/mock-poll/clear">
              <p class="hint">
                Clearing removes every mock vote, its voter and its receipt, and records the mock
                result in the audit log. Voting can open only once the mock poll is cleared.
              </p>
              <button type="submit">Clear mock poll</button>
            </form>
          </div>
        )
        : (
          <form method="post" action="/admin/mock-poll">
            <p class="hint">
              A mock poll lets agents cast a few votes in front of everyone and check the count
              before voting opens.
            </p>
            <button type="submit" class="secondary">Start mock poll</button>
          </form>
        )}
      <form method="post" action="/admin/open">
        <button type="submit">Open voting</button>
      </form>
      {error && <p class="field-error" role="alert">{error}</p>}
    </section>
  );
}
