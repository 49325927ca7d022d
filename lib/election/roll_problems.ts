/**
 * A roll file's problems in words: one line per problem, in English for the
 * command line and in the reader's language on the admin panel. The checks
 * (`roll.ts`, `roll_file.ts`) give catalogue messages; this words them.
 */
import { translate } from "../i18n/catalogue.ts";
import { rollText } from "../i18n/roll_words.ts";
import { localDigits, type Locale } from "../i18n/format.ts";
import { FIELD_PARAMS } from "./vote_schema.ts";
import type { RollProblem } from "./roll.ts";

/** The problems of one line (`line` "?" when the CSV parser could not tell), or of the file. */
export interface RollFileProblem {
  /** The line in the file (1 is the header); none for the whole file. */
  line?: number | "?";
  /** What is wrong with it. */
  problems: readonly RollProblem[];
}

/**
 * One problem line, as the command line prints it (English) or the panel shows it.
 *
 * @param locale The reader's language.
 * @param problem A line's problems, or the file's.
 * @returns The text, e.g. `line 3: age "abc" is not a whole number from 0 to 120`.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { describeRollProblem, type RollFileProblem } from "./roll_problems.ts";
 * const problem: RollFileProblem = {
 *   line: 3,
 *   problems: [
 *     { key: "roll_problem_age", params: { value: "abc", max: "120" } },
 *     { key: "roll_problem_field", params: { column: "name" }, field: "name_chars" },
 *   ],
 * };
 * assert.equal(
 *   describeRollProblem("en", problem),
 *   'line 3: age "abc" is not a whole number from 0 to 120; name: A name may contain only letters, spaces, dots, apostrophes and hyphens.',
 * );
 * assert.match(describeRollProblem("hi", problem), /^पंक्ति ३: age "abc" ० से १२० तक/);
 * ```
 */
export function describeRollProblem(locale: Locale, problem: RollFileProblem): string {
  // Line numbers and the age limit in the reader's digits, ungrouped (a typed value stays as it is).
  const line = (n: string | number) => localDigits(locale, String(n));
  const parts = problem.problems.map((p) =>
    rollText(locale, p.key, {
      ...p.params,
      ...(p.params?.earlier !== undefined ? { earlier: line(p.params.earlier) } : {}),
      ...(p.params?.max !== undefined ? { max: line(p.params.max) } : {}),
      ...(p.field ? { message: translate(locale, p.field, FIELD_PARAMS[p.field]) } : {}),
    })
  ).join("; ");
  return problem.line === undefined
    ? parts
    : rollText(locale, "roll_problem_line", { line: line(problem.line), problems: parts });
}
