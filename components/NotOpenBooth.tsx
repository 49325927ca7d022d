/** The booth before voting opens: says when it opens (and closes), with no fields and no buttons. */
import type { Tally } from "../lib/election/types.ts";
import type { Locale } from "../lib/i18n/format.ts";
import { fill } from "../lib/i18n/format.ts";
import { localTime } from "../lib/election/local_time.ts";
import { openingText } from "../lib/election/election_day.ts";
import type { BoothWords } from "./booth_words.ts";

/** Props: the pending tally, the words, and the election's time zone. */
export interface NotOpenBoothProps {
  tally: Tally;
  words: BoothWords;
  locale: Locale;
  /** The election's time zone (IANA name), for the times shown. */
  timeZone: string;
  /** The notice is the page's main heading (the booth was not open when the page was made). */
  asPage?: boolean;
}

/** The booth that waits for the opening. */
export function NotOpenBooth({ tally, words, locale, timeZone, asPage }: NotOpenBoothProps) {
  const Heading = asPage ? "h1" : "h2";
  const opening = openingText(
    { at: words.opens_at_text, byAdmin: words.opens_by_admin_text },
    locale,
    tally.day,
    timeZone,
  );
  const closesAt = tally.day?.closesAt;
  return (
    <section class="closed-booth card" aria-labelledby="not-open-title" data-not-open>
      <Heading id="not-open-title" tabIndex={-1}>{words.not_open_heading}</Heading>
      {opening && <p class="opening-time">{opening}</p>}
      {closesAt != null && (
        <p>{fill(locale, words.closes_at_text, { time: localTime(closesAt, timeZone) })}</p>
      )}
    </section>
  );
}

/** Props: the words. */
export interface MockPollBannerProps {
  words: Pick<BoothWords, "mock_banner">;
}

/** The banner over a booth (and a dashboard) while a mock poll runs. */
export function MockPollBanner({ words }: MockPollBannerProps) {
  return <p class="mock-banner" role="note" data-mock-poll>{words.mock_banner}</p>;
}
