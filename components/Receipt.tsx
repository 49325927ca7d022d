/**
 * The slip and the receipt. Right after a vote it is the slip, as the VVPAT
 * shows it: the party's symbol and name with the receipt code. Later (after
 * about seven seconds, on a reload, or at the receipt's address) it is the
 * receipt alone, which never names the party.
 */
import type { ComponentChildren } from "preact";
import type { PartyView } from "../lib/election/types.ts";
import { fill, type Locale } from "../lib/i18n/format.ts";
import type { BoothWords } from "./booth_words.ts";
import { PartyLogo } from "./PartyLogo.tsx";
import { symbolAlt } from "./PartyChoice.tsx";

/** Props: the receipt code, the party (only on the slip), the words, and what else to show. */
export interface ReceiptProps {
  receipt: string;
  /** The party voted for: shown on the slip only; null on the receipt. */
  party: PartyView | null;
  words: BoothWords;
  locale: Locale;
  /** A shared booth: say it resets for the next voter. */
  kiosk?: boolean;
  /** The copy and print buttons (an island), where JavaScript runs. */
  actions?: ComponentChildren;
  /** The receipt is the page (its heading is the page's `h1`), not part of the booth. */
  asPage?: boolean;
}

/** Shows that the vote was counted, with its receipt code. */
export function Receipt({ receipt, party, words, locale, kiosk, actions, asPage }: ReceiptProps) {
  const Heading = asPage ? "h1" : "h2";
  return (
    <section
      class={party ? "receipt slip card" : "receipt card"}
      aria-labelledby="receipt-title"
      data-slip={party ? party.id : undefined}
    >
      <Heading id="receipt-title" tabIndex={-1}>{words.slip_heading}</Heading>
      {party && (
        <p class={`receipt-party party-${party.id}`}>
          <PartyLogo party={party} size={64} alt={symbolAlt(party, words, locale)} />
          <span>{fill(locale, words.slip_party, { party: party.name })}</span>
        </p>
      )}
      {!party && <p>{words.receipt_counted}</p>}
      <p id="receipt-label">{words.receipt_label}</p>
      <p class="receipt-code" data-receipt>{receipt}</p>
      <p class="hint">{words.receipt_hint}</p>
      {actions}
      {kiosk && <p class="kiosk-next">{words.kiosk_next}</p>}
      {!kiosk && (
        <ul class="receipt-links">
          <li>
            <a href={`/check?code=${encodeURIComponent(receipt)}`}>{words.check_link}</a>
          </li>
          <li>
            <a href="/results">{words.results_link}</a>
          </li>
        </ul>
      )}
    </section>
  );
}
