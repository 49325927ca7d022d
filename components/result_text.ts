/** The result of a closed election in a sentence, in the reader's language. */
import type { PartyView, Tally } from "../lib/election/types.ts";
import { fill, type Locale } from "../lib/i18n/format.ts";

/** The messages a result sentence needs. */
export interface ResultWords {
  result_winner: string;
  result_tie: string;
  result_none: string;
  list_and: string;
}

/** "A, B and C": every name but the last joined by commas, the last by the language's "and". */
function list(locale: Locale, names: string[], words: ResultWords): string {
  if (names.length < 2) return names.join("");
  return fill(locale, words.list_and, { a: names.slice(0, -1).join(", "), b: names.at(-1)! });
}

/** The winner, the tie, or no winner; null while voting is open. */
export function resultText(
  locale: Locale,
  tally: Tally,
  parties: PartyView[],
  words: ResultWords,
): string | null {
  if (tally.status !== "closed" || !tally.result) return null;
  const name = (id: string) => parties.find((p) => p.id === id)?.name ?? id;
  if (tally.result.winner) {
    return fill(locale, words.result_winner, { party: name(tally.result.winner) });
  }
  if (tally.result.tie.length > 1) {
    return fill(locale, words.result_tie, {
      parties: list(locale, tally.result.tie.map(name), words),
    });
  }
  return words.result_none;
}
