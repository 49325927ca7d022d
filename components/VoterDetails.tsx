/**
 * The booth's first step: name, age, address and voter ID, each with its
 * label, hint and error tied to the input for screen readers.
 */
import type { BoothWords } from "./booth_words.ts";

const FIELDS = [
  { name: "name", label: "label_name", autocomplete: "name" },
  { name: "age", label: "label_age", autocomplete: "off", numeric: true },
  { name: "address", label: "label_address", autocomplete: "street-address" },
  { name: "voterId", label: "label_voterId", autocomplete: "off", hint: "hint_voterId" },
  { name: "code", label: "label_code", autocomplete: "off", hint: "hint_code" },
] as const;

/** The names of an open election's fields, in the order they are shown. */
export const VOTER_FIELDS: string[] = ["name", "age", "address", "voterId"];

/** Props: the current values and errors, the words, and what to call as the voter types. */
export interface VoterDetailsProps {
  values: Record<string, string>;
  errors: Record<string, string>;
  words: BoothWords;
  onInput?: (name: string, value: string) => void;
  /** The fields to ask for (default: an open election's). */
  fields?: string[];
  /**
   * A shared device (a kiosk): the browser keeps nothing typed, so that Back or its suggestions
   * never show the next person the previous voter's name or address.
   */
  shared?: boolean;
}

/** The voter's details as a fieldset. */
export function VoterDetails(
  { values, errors, words, onInput, fields = VOTER_FIELDS, shared = false }: VoterDetailsProps,
) {
  return (
    <fieldset class="voter-details">
      <legend>{words.details_legend}</legend>
      {FIELDS.filter((f) => fields.includes(f.name)).map((f) => {
        const hint = "hint" in f ? f.hint : null;
        const described = [hint && `${f.name}-hint`, errors[f.name] && `${f.name}-error`]
          .filter(Boolean).join(" ");
        return (
          <div class={`field field-${f.name}`} key={f.name}>
            <label for={f.name}>{words[f.label]}</label>
            {hint && <p class="hint" id={`${f.name}-hint`}>{words[hint]}</p>}
            <input
              id={f.name}
              name={f.name}
              type="text"
              inputMode={"numeric" in f ? "numeric" : undefined}
              spellcheck={false}
              autocomplete={shared ? "off" : f.autocomplete}
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
