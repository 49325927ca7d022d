/**
 * The no-JavaScript booth's list of errors at the top of the page, each a
 * link to its field, focused first by screen readers (it is an alert).
 */
import { VOTER_FIELDS } from "./VoterDetails.tsx";

/** Props: the errors by field (`party`, `form` included) and the summary's heading. */
export interface ErrorSummaryProps {
  errors: Record<string, string>;
  heading: string;
}

/** The summary; nothing when there is no error. */
export function ErrorSummary({ errors, heading }: ErrorSummaryProps) {
  const order = [...VOTER_FIELDS, "code", "party", "form"].filter((f) => errors[f]);
  if (order.length === 0) return null;
  return (
    <div class="error-summary card" role="alert" aria-labelledby="error-summary-title">
      <h2 id="error-summary-title">{heading}</h2>
      <ul>
        {order.map((field) => (
          <li key={field}>
            <a
              href={field === "form"
                ? "#form-error"
                : field === "party"
                ? "#party-error"
                : `#${field}`}
            >
              {errors[field]}
            </a>
          </li>
        ))}
      </ul>
    </div>
  );
}
