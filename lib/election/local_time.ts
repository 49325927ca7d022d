/**
 * Times as the election's people read them: in the election's time zone
 * (`--timezone`, default the machine's), always labelled with the zone. The
 * stores keep epoch milliseconds; these functions are the one place that turns
 * them into text for the panel, the register, the audit list, the dashboard,
 * the terminal and the exports. Pure (only `Intl`), so islands use them too.
 */

/** Any moment: epoch milliseconds, an ISO 8601 string or a `Date`. */
export type Moment = number | string | Date;

/**
 * Checks a time zone name, or finds the machine's own zone.
 *
 * @param name An IANA time zone such as `"Asia/Kolkata"`; undefined for the machine's own.
 * @returns The name as given (once checked), or the machine's zone.
 * @throws {RangeError} When the name is not a time zone this runtime knows.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { resolveTimeZone } from "./local_time.ts";
 * assert.equal(resolveTimeZone("Asia/Kolkata"), "Asia/Kolkata");
 * assert.equal(typeof resolveTimeZone(undefined), "string");
 * assert.throws(() => resolveTimeZone("Mars/Olympus"), RangeError);
 * ```
 */
export function resolveTimeZone(name: string | undefined): string {
  if (!name) return new Intl.DateTimeFormat().resolvedOptions().timeZone;
  new Intl.DateTimeFormat("en", { timeZone: name }); // throws a RangeError for an unknown zone
  return name;
}

function parts(at: Moment, timeZone: string, zoneName: "short" | "longOffset") {
  const format = new Intl.DateTimeFormat("en-IN", {
    timeZone,
    hourCycle: "h23",
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
    second: "2-digit",
    timeZoneName: zoneName,
  });
  const out: Record<string, string> = {};
  for (const p of format.formatToParts(new Date(at))) out[p.type] = p.value;
  return out;
}

/**
 * The zone's short label as people in it write it (`IST`, `UTC`, `GMT-5`).
 *
 * @param timeZone An IANA time zone.
 * @param at The moment (a zone's label may change with daylight saving time).
 * @returns The label.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { zoneLabel } from "./local_time.ts";
 * assert.equal(zoneLabel("Asia/Kolkata"), "IST");
 * assert.equal(zoneLabel("UTC"), "UTC");
 * ```
 */
export function zoneLabel(timeZone: string, at: Moment = Date.now()): string {
  return parts(at, timeZone, "short").timeZoneName;
}

/**
 * Formats a moment for reading: `2026-01-26 14:05:09 IST`, or without the
 * date (`14:05:09 IST`) where the day is plain from the context.
 *
 * @param at The moment.
 * @param timeZone The election's time zone.
 * @param options `date: false` leaves out the date; `label: false` the zone.
 * @returns The time in that zone, labelled.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { localTime } from "./local_time.ts";
 * // 20:30 UTC on 25 January is already 26 January in India.
 * assert.equal(localTime("2026-01-25T20:30:00Z", "Asia/Kolkata"), "2026-01-26 02:00:00 IST");
 * assert.equal(localTime(0, "UTC", { date: false }), "00:00:00 UTC");
 * assert.equal(localTime(0, "UTC", { label: false }), "1970-01-01 00:00:00");
 * ```
 */
export function localTime(
  at: Moment,
  timeZone: string,
  options: { date?: boolean; label?: boolean } = {},
): string {
  const p = parts(at, timeZone, "short");
  const time = `${p.hour}:${p.minute}:${p.second}`;
  const text = options.date === false ? time : `${p.year}-${p.month}-${p.day} ${time}`;
  return options.label === false ? text : `${text} ${p.timeZoneName}`;
}

/**
 * Formats a moment as ISO 8601 with the zone's offset, for exports a
 * spreadsheet or another program reads: `2026-01-26T02:00:00+05:30`.
 *
 * @param at The moment.
 * @param timeZone The election's time zone.
 * @returns The ISO 8601 text, to the second, with its offset (`Z` for UTC).
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { isoWithOffset } from "./local_time.ts";
 * assert.equal(isoWithOffset("2026-01-25T20:30:00Z", "Asia/Kolkata"), "2026-01-26T02:00:00+05:30");
 * assert.equal(isoWithOffset(0, "UTC"), "1970-01-01T00:00:00Z");
 * assert.equal(Date.parse(isoWithOffset(1e12, "America/New_York")), 1e12);
 * ```
 */
export function isoWithOffset(at: Moment, timeZone: string): string {
  const p = parts(at, timeZone, "longOffset");
  const offset = p.timeZoneName.replace(/^GMT/, "") || "Z";
  return `${p.year}-${p.month}-${p.day}T${p.hour}:${p.minute}:${p.second}${offset}`;
}
