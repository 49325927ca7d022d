/** Times on the command line: ISO 8601 with a zone, so that no machine's clock setting decides them. */

const ISO_ZONED =
  /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/i;

/**
 * Reads an ISO 8601 date and time that names its zone (`Z` or an offset such
 * as `+05:30`), e.g. `2026-11-30T07:00+05:30`.
 *
 * @param text The time as typed.
 * @returns Epoch milliseconds, or null for a time without a zone or one that does not exist.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseZonedTime } from "./zoned_time.ts";
 * assert.equal(parseZonedTime("2026-11-30T07:00+05:30"), Date.UTC(2026, 10, 30, 1, 30));
 * assert.equal(parseZonedTime("2026-11-30T01:30:00Z"), Date.UTC(2026, 10, 30, 1, 30));
 * assert.equal(parseZonedTime("2026-11-30T07:00"), null); // whose 07:00?
 * assert.equal(parseZonedTime("2026-02-30T07:00Z"), null); // no such day
 * ```
 */
export function parseZonedTime(text: string): number | null {
  const match = text.trim().match(ISO_ZONED);
  if (!match) return null;
  const [, y, mo, d, h, mi, s] = match.map(Number);
  if (mo < 1 || mo > 12 || d < 1 || h > 23 || mi > 59 || (s || 0) > 59) return null;
  // Date.parse rolls 30 February over into March: the day must survive the round trip.
  if (new Date(Date.UTC(y, mo - 1, d)).getUTCDate() !== d) return null;
  const zone = match[7].length === 5 ? `${match[7].slice(0, 3)}:${match[7].slice(3)}` : match[7];
  const ms = Date.parse(
    `${
      text.trim().slice(0, match[0].length - match[7].length).replace(" ", "T")
    }${zone.toUpperCase()}`,
  );
  return Number.isNaN(ms) ? null : ms;
}
