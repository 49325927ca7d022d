/**
 * A table of voters for the administrator: the turnout register (with the
 * step each vote was published in) or the voters on the roll who have not
 * voted yet. It scrolls inside its own box on a narrow screen.
 */

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

/** Props: the rows, and whether to show the step column. */
export function VoterTable(
  { rows, withStep = false }: { rows: readonly VoterRow[]; withStep?: boolean },
) {
  return (
    <div class="table-scroll">
      <table class="register">
        <thead>
          <tr>
            {withStep && <th scope="col">Step</th>}
            <th scope="col">Voter ID</th>
            <th scope="col">Name</th>
            <th scope="col">Age</th>
            <th scope="col">Address</th>
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
