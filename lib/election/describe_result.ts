/**
 * A closed election's result in words: one wording for every page that
 * shows it, in the reader's language (the sentences are catalogue messages).
 */
import { NOTA } from "../tally.ts";
import type { Tally } from "./types.ts";
import { fill, type Locale } from "../i18n/format.ts";

/** The catalogue keys a result's sentences use; pages that show a result pick these. */
export const RESULT_KEYS = [
  "result_winner",
  "result_tie",
  "result_none",
  "result_no_winner",
  "result_only_nota",
  "result_nota",
  "closed_limit_one",
  "closed_limit",
  "closed_admin",
  "closed_schedule",
  "list_and",
] as const;

/** The catalogue messages a result needs (English unless given). */
export type ResultWords = Record<typeof RESULT_KEYS[number], string>;

/** The result as sentences, for the results board and the administrator's panel. */
export interface ResultDescription {
  /** The outcome: `"BJP wins"`, `"A tie between BJP, Congress and AAP"`, or that nobody won. */
  headline: string;
  /** Why voting closed: at the limit (with the number) or by the administrator. */
  closed: string;
  /** That NOTA is counted but cannot win, when NOTA is on the ballot; otherwise null. */
  nota: string | null;
}

/** "A", "A and B", "A, B and C": the last two joined by the language's own "and". */
function listOf(names: string[], words: ResultWords, locale: Locale): string {
  if (names.length < 2) return names.join("");
  return fill(locale, words.list_and, { a: names.slice(0, -1).join(", "), b: names.at(-1)! });
}

/**
 * Describes the result of a closed election in words, with the parties'
 * names from the tally. Pure: the server and the islands both call it.
 *
 * @param tally The public tally.
 * @param words The messages, from `lib/i18n` (a whole catalogue, or an island's picked words).
 * @param locale Their language (for numbers).
 * @returns The description, or null while voting is open.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { describeResult } from "./describe_result.ts";
 * import { EN } from "../i18n/en.ts";
 * const tally = {
 *   status: "closed" as const,
 *   total: 9,
 *   limit: 9,
 *   parties: [
 *     { id: "bjp", name: "BJP", votes: 3 },
 *     { id: "congress", name: "Congress", votes: 3 },
 *     { id: "aap", name: "AAP", votes: 3 },
 *   ],
 *   closedReason: "limit" as const,
 *   result: { winner: null, tie: ["bjp", "congress", "aap"] },
 *   results: "live" as const,
 *   step: { size: 10, published: 1 },
 * };
 * const said = describeResult(tally, EN, "en")!;
 * assert.equal(said.headline, "A tie between BJP, Congress and AAP");
 * assert.equal(said.closed, "Voting closed at the limit of 9 votes.");
 * assert.equal(said.nota, null); // no NOTA on this ballot
 *
 * const withNota = {
 *   ...tally,
 *   parties: [...tally.parties, { id: "nota", name: "NOTA", votes: 5 }],
 *   closedReason: "admin" as const,
 *   result: { winner: "bjp", tie: [] },
 * };
 * assert.equal(describeResult(withNota, EN, "en")!.headline, "BJP wins");
 * assert.equal(describeResult(withNota, EN, "en")!.nota, "NOTA is counted but cannot win.");
 * assert.equal(describeResult({ ...tally, status: "open", result: null }, EN, "en"), null);
 *
 * const onlyNota = { ...withNota, limit: 1, closedReason: "limit" as const, result: { winner: null, tie: [] } };
 * onlyNota.parties = onlyNota.parties.map((p) => ({ ...p, votes: p.id === "nota" ? 1 : 0 }));
 * assert.equal(describeResult(onlyNota, EN, "en")!.headline, "No winner: only NOTA received votes");
 * assert.equal(describeResult(onlyNota, EN, "en")!.closed, "Voting closed at the limit of 1 vote.");
 *
 * import { HI } from "../i18n/hi.ts";
 * assert.equal(describeResult(tally, HI, "hi")!.closed, "९ वोटों की सीमा पर मतदान बंद हुआ।");
 * ```
 */
export function describeResult(
  tally: Tally,
  words: ResultWords,
  locale: Locale,
): ResultDescription | null {
  const result = tally.result;
  if (tally.status !== "closed" || !result) return null;
  const name = (id: string) => tally.parties.find((p) => p.id === id)?.name ?? id;
  const headline = result.winner
    ? fill(locale, words.result_winner, { party: name(result.winner) })
    : result.tie.length > 1
    ? fill(locale, words.result_tie, { parties: listOf(result.tie.map(name), words, locale) })
    : tally.parties.some((p) => p.id !== NOTA && (p.votes ?? 0) > 0)
    ? words.result_no_winner
    : tally.parties.some((p) => p.id === NOTA && (p.votes ?? 0) > 0)
    ? words.result_only_nota
    : words.result_none;
  const closed = tally.closedReason === "limit"
    ? fill(locale, tally.limit === 1 ? words.closed_limit_one : words.closed_limit, {
      limit: tally.limit ?? 0,
    })
    : tally.closedReason === "schedule"
    ? words.closed_schedule
    : words.closed_admin;
  const nota = tally.parties.some((p) => p.id === NOTA)
    ? fill(locale, words.result_nota, { nota: name(NOTA) })
    : null;
  return { headline, closed, nota };
}
