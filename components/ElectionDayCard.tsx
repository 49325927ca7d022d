/**
 * The administrator's election-day controls before voting opens: start a
 * mock poll, see its count, clear it (its result goes to the audit log), and
 * open voting. Plain forms, so they work without JavaScript.
 */
import type { Tally } from "../lib/election/types.ts";
import { openingText } from "../lib/election/election_day.ts";
import { fill, type Locale } from "../lib/i18n/format.ts";
import type { PanelWords } from "./admin_words.ts";

/** Props: the pending tally, an error from the last action, the election's time zone, the words. */
export interface ElectionDayCardProps {
  tally: Tally;
  error?: string;
  timeZone: string;
  locale: Locale;
  words: PanelWords;
}

/** The election-day card of the admin panel (shown only before the opening). */
export function ElectionDayCard({ tally, error, timeZone, locale, words }: ElectionDayCardProps) {
  const mock = tally.day?.mockPoll ?? false;
  const opening = openingText(
    { at: words.day_opens_at, byAdmin: words.day_opens_by_admin },
    locale,
    tally.day,
    timeZone,
  );
  return (
    <section class="card admin-day" aria-labelledby="day-title">
      <h2 id="day-title">{words.day_title}</h2>
      {opening && <p data-opening>{opening}</p>}
      {mock
        ? (
          <div class="admin-mock" data-mock-poll>
            <p>
              <strong>{words.day_mock_running}</strong>{" "}
              {fill(locale, words.day_mock_count, { n: tally.total ?? 0 })}
            </p>
            <ul>
              {tally.parties.map((p) => (
                <li key={p.id}>
                  {fill(locale, words.admin_party_votes, { party: p.name, votes: p.votes ?? 0 })}
                </li>
              ))}
            </ul>
            <form method="post" action="/admin/mock-poll/clear">
              <p class="hint">{words.day_clear_hint}</p>
              <button type="submit">{words.day_clear_button}</button>
            </form>
          </div>
        )
        : (
          <form method="post" action="/admin/mock-poll">
            <p class="hint">{words.day_start_hint}</p>
            <button type="submit" class="secondary">{words.day_start_button}</button>
          </form>
        )}
      <form method="post" action="/admin/open">
        <button type="submit">{words.day_open_button}</button>
      </form>
      {error && <p class="field-error" role="alert">{error}</p>}
    </section>
  );
}
