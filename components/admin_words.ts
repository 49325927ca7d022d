/** The administrator's messages the live panel uses; its island gets only these, in its language. */
import { type AdminKey, adminWords } from "../lib/i18n/catalogue.ts";
import type { Locale } from "../lib/i18n/format.ts";

/** The keys, listed once. */
export const PANEL_KEYS = [
  "admin_turnout",
  "admin_vote",
  "admin_votes",
  "admin_of_limit",
  "admin_sealed",
  "admin_progress",
  "admin_roll_size",
  "admin_roll_share",
  "admin_open_election",
  "admin_voting_open",
  "admin_voting_pending",
  "day_title",
  "day_opens_at",
  "day_opens_by_admin",
  "day_mock_running",
  "day_mock_count",
  "day_clear_hint",
  "day_clear_button",
  "day_start_hint",
  "day_start_button",
  "day_open_button",
  "admin_signed_out",
  "admin_live",
  "admin_reconnecting",
  "admin_session_ended",
  "admin_sign_in_again",
  "admin_result",
  "admin_sentence",
  "admin_party_votes",
  "close_title",
  "close_confirm",
  "close_button",
  "close_tick",
  "close_failed",
  "close_offline",
  "latest_title",
  "latest_hint",
  "latest_none",
  "col_step",
  "col_voter_id",
  "col_name",
  "col_age",
  "col_address",
] as const satisfies readonly AdminKey[];

/** The panel's messages in one language. */
export type PanelWords = Record<typeof PANEL_KEYS[number], string>;

/**
 * The panel's messages in a language. With a roll the open election's
 * warning is left out, so the page never carries it, not even in its props.
 *
 * @param locale The administrator's language.
 * @param options `roll`: whether the election has an electoral roll.
 * @returns The messages the panel island uses.
 */
export function panelWords(locale: Locale, options: { roll: boolean }): PanelWords {
  const all = adminWords(locale);
  const words = {} as PanelWords;
  for (const key of PANEL_KEYS) words[key] = all[key];
  if (options.roll) words.admin_open_election = "";
  return words;
}
