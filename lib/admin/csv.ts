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
 * import { csvRow } from "./csv.ts";
 * csvRow(["Rao, Asha", 'say "hi"', "=1+1", 7]); // '"Rao, Asha","say ""hi""",\'=1+1,7\r\n'
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
