/** CSV rows for the administrator's exports. */

/**
 * Writes one CSV row (RFC 4180): fields with commas, quotes or line breaks
 * are quoted, and a text field that a spreadsheet would run as a formula
 * (starting with `=`, `+`, `-`, `@`, tab or carriage return) is prefixed
 * with an apostrophe.
 *
 * @param fields The row's values.
 * @returns The row, ending in CRLF.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { csvRow } from "./csv.ts";
 * assert.equal(
 *   csvRow(["Rao, Asha", 'say "hi"', "=1+1", 7, null]),
 *   '"Rao, Asha","say ""hi""",\'=1+1,7,\r\n',
 * );
 * // A formula stays text in a spreadsheet.
 * assert.equal(csvRow(["@SUM(A1)", "-2", "+3"]), "'@SUM(A1),'-2,'+3\r\n");
 * // So does a field that starts with a tab or a carriage return.
 * assert.equal(csvRow(["\t=1", "\r=2"]), "'\t=1,\"'\r=2\"\r\n");
 * ```
 */
export function csvRow(fields: readonly (string | number | null)[]): string {
  return fields.map((field) => {
    if (field === null) return "";
    if (typeof field === "number") return String(field);
    const text = /^[=+\-@\t\r]/.test(field) ? `'${field}` : field;
    return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
  }).join(",") + "\r\n";
}
