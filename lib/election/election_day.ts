/**
 * The election day as the booth, the dashboard and the API see it: whether a
 * tally takes votes (open, a mock poll, not open yet, closed) and the
 * sentence that says when voting opens, in the election's time zone.
 * Browser-safe: islands use it with the words their page sends.
 */
import type { ElectionDay, Tally } from "./types.ts";
import { localTime } from "./local_time.ts";
import { fill, type Locale } from "../i18n/format.ts";

/** What a booth shows: the form (`open`, or `mock` with its banner), the opening, or the close. */
export type BoothState = "open" | "mock" | "not_open" | "closed";

/**
 * Reads a tally's booth state.
 *
 * @param tally The public tally.
 * @returns `open`, `mock` (a mock poll takes votes), `not_open` or `closed`.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { boothState } from "./election_day.ts";
 * const day = { opensAt: null, byAdmin: true, closesAt: null, mockPoll: true };
 * assert.equal(boothState({ status: "pending", day }), "mock");
 * assert.equal(boothState({ status: "pending", day: { ...day, mockPoll: false } }), "not_open");
 * assert.equal(boothState({ status: "open" }), "open");
 * ```
 */
export function boothState(tally: Pick<Tally, "status" | "day">): BoothState {
  if (tally.status === "closed") return "closed";
  if (tally.status === "open") return "open";
  return tally.day?.mockPoll ? "mock" : "not_open";
}

/**
 * Says when voting opens: at its time (in the election's time zone, labelled),
 * or when the administrator opens it.
 *
 * @param words `at`: a message with `{time}`; `byAdmin`: the message without a time.
 * @param locale The reader's language.
 * @param day The election day, if known.
 * @param timeZone The election's time zone.
 * @returns The sentence, or null when the election has no opening to wait for.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { openingText } from "./election_day.ts";
 * const words = { at: "Voting opens at {time}.", byAdmin: "Voting opens when it is opened." };
 * const day = { opensAt: Date.UTC(2026, 10, 30, 1, 30), byAdmin: false, closesAt: null, mockPoll: false };
 * assert.equal(openingText(words, "en", day, "Asia/Kolkata"), "Voting opens at 2026-11-30 07:00:00 IST.");
 * assert.equal(openingText(words, "en", { ...day, opensAt: null, byAdmin: true }, "UTC"), words.byAdmin);
 * ```
 */
export function openingText(
  words: { at: string; byAdmin: string },
  locale: Locale,
  day: ElectionDay | undefined,
  timeZone: string,
): string | null {
  if (day?.opensAt != null) {
    return fill(locale, words.at, { time: localTime(day.opensAt, timeZone) });
  }
  return day?.byAdmin ? words.byAdmin : null;
}
