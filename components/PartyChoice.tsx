/**
 * The confirm step: the chosen party's symbol and name, with "Confirm vote"
 * and "Change". The booth island renders it with handlers; without
 * JavaScript, `routes/booth.tsx` renders it inside a form that carries the
 * voter's details as hidden fields.
 */
import type { ComponentChildren } from "preact";
import type { PartyView } from "../lib/election/types.ts";
import { fill, type Locale } from "../lib/i18n/format.ts";
import type { BoothWords } from "./booth_words.ts";
import { PartyLogo } from "./PartyLogo.tsx";

/** Props: the party chosen, the words, and the buttons' handlers (none without JavaScript). */
export interface PartyChoiceProps {
  party: PartyView;
  words: BoothWords;
  locale: Locale;
  busy?: boolean;
  onConfirm?: () => void;
  onChange?: () => void;
  /** The step is the page (its heading is the page's `h1`), as without JavaScript. */
  asPage?: boolean;
  /** Hidden fields that carry the voter's details in the no-JavaScript form. */
  children?: ComponentChildren;
}

/** The alt text of a party's symbol: its description when the parties file gives one. */
export function symbolAlt(party: PartyView, words: BoothWords, locale: Locale): string {
  return party.symbol
    ? fill(locale, words.symbol_alt, { party: party.name, symbol: party.symbol })
    : fill(locale, words.symbol_plain, { party: party.name });
}

/** Asks the voter to confirm the choice. */
export function PartyChoice(
  { party, words, locale, busy, onConfirm, onChange, asPage, children }: PartyChoiceProps,
) {
  const Heading = asPage ? "h1" : "h2";
  return (
    <section class="confirm card" aria-labelledby="confirm-title" data-confirm={party.id}>
      <Heading id="confirm-title" tabIndex={-1}>{words.confirm_heading}</Heading>
      <p class={`confirm-party party-${party.id}`}>
        <PartyLogo party={party} size={128} alt={symbolAlt(party, words, locale)} />
        <strong class="confirm-name">{party.name}</strong>
      </p>
      <p>{fill(locale, words.confirm_text, { party: party.name })}</p>
      {children}
      <div class="confirm-actions">
        <button
          type={onConfirm ? "button" : "submit"}
          name="step"
          value="confirm"
          class="button-primary"
          disabled={busy}
          onClick={onConfirm}
        >
          {words.confirm_button}
        </button>
        <button
          type={onChange ? "button" : "submit"}
          name="step"
          value="change"
          class="button-secondary"
          disabled={busy}
          onClick={onChange}
        >
          {words.change_button}
        </button>
      </div>
      {busy && <p class="sending" role="status">{words.sending}</p>}
    </section>
  );
}
