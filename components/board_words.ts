/** The catalogue messages the dashboard uses; its island gets only these, in its language. */
import { pick } from "../lib/i18n/catalogue.ts";
import { RESULT_KEYS } from "../lib/election/describe_result.ts";
import type { MessageKey } from "../lib/i18n/en.ts";
import type { Locale } from "../lib/i18n/format.ts";

/** The keys, listed once. */
export const BOARD_KEYS = [
  "status_open",
  "status_closed",
  "status_not_open",
  "status_mock",
  "mock_results_title",
  "mock_banner",
  "opens_at_text",
  "opens_by_admin_text",
  "connection_static",
  "connection_connecting",
  "connection_live",
  "connection_offline",
  "connection_final",
  "results_title",
  "final_results_title",
  "last_update",
  "turnout",
  "unit_vote",
  "unit_votes",
  "share_percent",
  "of_limit",
  "no_limit",
  "limit_share",
  "chart_title",
  "roll_turnout",
  ...RESULT_KEYS,
  "publication_live_first",
  "publication_live_next",
  "publication_turnout",
  "publication_sealed",
  "turnout_sealed",
  "votes_sealed",
] as const satisfies readonly MessageKey[];

/** The dashboard's messages in one language. */
export type BoardWords = Record<typeof BOARD_KEYS[number], string>;

/**
 * The dashboard's messages in a language.
 *
 * @param locale The reader's language.
 * @returns The messages the board and its island use.
 */
export function boardWords(locale: Locale): BoardWords {
  return pick(locale, BOARD_KEYS);
}
