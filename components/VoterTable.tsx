/**
 * A table of voters for the administrator: the turnout register (with the
 * step each vote was published in) or the voters on the roll who have not
 * voted yet. It scrolls inside its own box on a narrow screen.
 */
import type { AdminWords } from "../lib/i18n/catalogue.ts";

/** One row: who, and for the register, the step. */
export interface VoterRow {
  voterId: string;
  name: string;
  /** Age in years. */
  age: number;
  address: string;
  /** The published step of the vote (the register only). */
  step?: number;
}

/** Props: the rows, the columns' names, the table's name, and whether to show the step column. */
export function VoterTable(
  { rows, words, label, withStep = false }: {
    rows: readonly VoterRow[];
    /** What the table is, for a screen reader (its box scrolls, so it can take focus). */
    label: string;
    words: Pick<AdminWords, "col_step" | "col_voter_id" | "col_name" | "col_age" | "col_address">;
    withStep?: boolean;
  },
) {
  return (
    <div class="table-scroll" role="group" aria-label={label} tabIndex={0}>
      <table class="register">
        <thead>
          <tr>
            {withStep && <th scope="col">{words.col_step}</th>}
            <th scope="col">{words.col_voter_id}</th>
            <th scope="col">{words.col_name}</th>
            <th scope="col">{words.col_age}</th>
            <th scope="col">{words.col_address}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.voterId}>
              {withStep && <td>{r.step}</td>}
              <td>{r.voterId}</td>
              <td>{r.name}</td>
              <td>{r.age}</td>
              <td>{r.address}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
