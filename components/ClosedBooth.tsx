/** The booth once voting has ended: says so first, with the result and the way to the dashboard. */
import type { Tally } from "../lib/election/types.ts";
import type { Locale } from "../lib/i18n/format.ts";
import type { BoothWords } from "./booth_words.ts";
import { describeResult } from "../lib/election/describe_result.ts";

/** Props: the closed tally and the words. */
export interface ClosedBoothProps {
  tally: Tally;
  words: BoothWords;
  locale: Locale;
  /** The notice is the page's main heading (the booth was closed when the page was made). */
  asPage?: boolean;
}

/** The closed booth: no fields, no buttons. */
export function ClosedBooth({ tally, words, locale, asPage }: ClosedBoothProps) {
  const Heading = asPage ? "h1" : "h2";
  const result = describeResult(tally, words, locale)?.headline;
  return (
    <section class="closed-booth card" aria-labelledby="closed-title" data-closed>
      <Heading id="closed-title" tabIndex={-1}>{words.closed_heading}</Heading>
      <p>{words.closed_text}</p>
      {result && <p class="closed-result">{result}</p>}
      <p>
        <a class="button-primary" href="/results">{words.closed_results}</a>
      </p>
    </section>
  );
}
