/**
 * The catalogue messages the booth, its confirm step, the slip and the
 * receipt use. A page sends its island only these, in its own language, so
 * the island's bundle carries no catalogue.
 */
import { pick } from "../lib/i18n/catalogue.ts";
import { RESULT_KEYS } from "../lib/election/describe_result.ts";
import { BALLOT_KEYS } from "../lib/election/vote_schema.ts";
import type { MessageKey } from "../lib/i18n/en.ts";
import type { Locale } from "../lib/i18n/format.ts";

/** The keys, listed once. */
export const BOOTH_KEYS = [
  "details_legend",
  "label_name",
  "label_age",
  "label_address",
  "label_voterId",
  "hint_voterId",
  "label_code",
  "hint_code",
  "choice_legend",
  "vote_for",
  "symbol_alt",
  "symbol_plain",
  "error_summary",
  "sending",
  "network",
  "confirm_heading",
  "confirm_text",
  "confirm_button",
  "change_button",
  "slip_heading",
  "slip_party",
  "receipt_label",
  "receipt_title",
  "receipt_hint",
  "kiosk_next",
  "copy",
  "copied",
  "print",
  "receipt_counted",
  "results_link",
  "check_link",
  "closed_heading",
  "closed_text",
  "closed_results",
  ...RESULT_KEYS,
  ...BALLOT_KEYS, // every message a ballot check may say
  "code_throttled",
  "name_throttled",
  "phase_invalid",
  "not_on_roll",
  "bad_code",
  "already_voted",
  "voting_closed",
  "voting_not_open",
  "unavailable",
  "not_open_heading",
  "booth_heading",
  "opens_at_text",
  "opens_by_admin_text",
  "closes_at_text",
  "mock_banner",
] as const satisfies readonly MessageKey[];

/** The booth's messages in one language. */
export type BoothWords = Record<typeof BOOTH_KEYS[number], string>;

/**
 * The booth's messages in a language.
 *
 * @param locale The voter's language.
 * @returns The messages the booth pages and island use.
 */
export function boothWords(locale: Locale): BoothWords {
  return pick(locale, BOOTH_KEYS);
}
