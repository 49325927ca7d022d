/**
 * The booth's first step: name, age, address and voter ID, each with its
 * label, hint and error tied to the input for screen readers.
 */

const FIELDS = [
  { name: "name", label: "Full name", autocomplete: "name" },
  { name: "age", label: "Age in years", autocomplete: "off", numeric: true },
  { name: "address", label: "Address", autocomplete: "street-address" },
  {
    name: "voterId",
    label: "Voter ID (EPIC number)",
    autocomplete: "off",
    hint: "Three letters and seven digits, as on your voter card, e.g. WKH1186253.",
  },
  {
    name: "code",
    label: "One-time voting code",
    autocomplete: "off",
    hint: "Ten letters and digits, as on your voter slip, e.g. 7KQ2M-X4TPH.",
  },
];

/** The names of an open election's fields, in the order they are shown. */
export const VOTER_FIELDS = ["name", "age", "address", "voterId"];

/** Props: the current values and errors, and what to call as the voter types. */
export interface VoterDetailsProps {
  values: Record<string, string>;
  errors: Record<string, string>;
  onInput?: (name: string, value: string) => void;
  /** The fields to ask for (default: an open election's). */
  fields?: string[];
}

/** The voter's details as a fieldset. */
export function VoterDetails(
  { values, errors, onInput, fields = VOTER_FIELDS }: VoterDetailsProps,
) {
  return (
    <fieldset class="voter-details">
      <legend>1. Your details</legend>
      {FIELDS.filter((f) => fields.includes(f.name)).map((f) => {
        const described = [f.hint && `${f.name}-hint`, errors[f.name] && `${f.name}-error`]
          .filter(Boolean).join(" ");
        return (
          <div class={`field field-${f.name}`} key={f.name}>
            <label for={f.name}>{f.label}</label>
            {f.hint && <p class="hint" id={`${f.name}-hint`}>{f.hint}</p>}
            <input
              id={f.name}
              name={f.name}
              type="text"
              inputMode={f.numeric ? "numeric" : undefined}
              spellcheck={false}
              autocomplete={f.autocomplete}
              required
              value={values[f.name] ?? ""}
              aria-invalid={errors[f.name] ? "true" : undefined}
              aria-describedby={described || undefined}
              onInput={(e) => onInput?.(f.name, e.currentTarget.value)}
            />
            {errors[f.name] && <p class="field-error" id={`${f.name}-error`}>{errors[f.name]}</p>}
          </div>
        );
      })}
    </fieldset>
  );
}
