/**
 * The voting booth form. Server-rendered, it posts to `/vote` without
 * JavaScript; hydrated, it checks with the server's schema, sends JSON once,
 * shows errors beside their fields and the receipt without a reload, and
 * disables the party buttons as soon as `/ws/tally` says voting has ended.
 */
import { useSignal } from "@preact/signals";
import { useEffect } from "preact/hooks";
import { followTally } from "../client/tally_socket.ts";
import { sendVote } from "../client/send_vote.ts";
import { PartyLogo } from "../components/PartyLogo.tsx";
import { Receipt } from "../components/Receipt.tsx";
import { VOTER_FIELDS, VoterDetails } from "../components/VoterDetails.tsx";
import type { PartyView, Receipt as ReceiptData } from "../lib/election/types.ts";
import { ballotFromForm, checkBallot } from "../lib/election/vote_schema.ts";
import { type BoothMode, checkRollVote, MODE_FIELDS } from "../lib/election/roll_vote.ts";

/** Props: the ballot, the values and errors to show (after a failed post), and whether voting is open. */
export interface VoteBoothProps {
  parties: PartyView[];
  values: Record<string, string>;
  errors: Record<string, string>;
  open: boolean;
  /** Which details to ask for: an open election's, a roll's, or a roll with codes. */
  mode: BoothMode;
}

function focusFirstError(errors: Record<string, string>) {
  const first = [...VOTER_FIELDS, "code", "party", "form"].find((name) => name in errors);
  document.getElementById(first === "party" || first === "form" ? `${first}-error` : first!)
    ?.focus();
}

/** The booth island. */
export default function VoteBooth(props: VoteBoothProps) {
  const values = useSignal(props.values);
  const errors = useSignal(props.errors);
  const open = useSignal(props.open);
  const busy = useSignal(false);
  const receipt = useSignal<ReceiptData | null>(null);
  const fields = MODE_FIELDS[props.mode];

  // A voter slip's QR code opens the booth with #voterId=…&code=… (never sent to the server).
  useEffect(() => {
    const hash = new URLSearchParams(location.hash.slice(1));
    const filled = Object.fromEntries(
      fields.flatMap((f) => hash.get(f) ? [[f, hash.get(f)!]] : []),
    );
    if (Object.keys(filled).length === 0) return;
    values.value = { ...values.value, ...filled };
    history.replaceState(null, "", location.pathname);
  }, []);

  useEffect(() =>
    followTally({
      onTally: (tally) => {
        if (tally.status === "closed") open.value = false;
      },
    }), []);
  useEffect(() => {
    if (receipt.value) document.getElementById("receipt-title")?.focus();
  }, [receipt.value]);

  async function submit(event: SubmitEvent) {
    event.preventDefault();
    if (busy.value || !open.value) return;
    const party = (event.submitter as HTMLButtonElement | null)?.value ?? "";
    const vote = ballotFromForm({ ...values.value, party });
    const ids = props.parties.map((p) => p.id);
    const checked = props.mode === "open"
      ? checkBallot(vote, ids)
      : checkRollVote(vote, ids, props.mode);
    if (!checked.ok) {
      errors.value = checked.fields;
      focusFirstError(checked.fields);
      return;
    }
    errors.value = {};
    busy.value = true;
    const outcome = await sendVote(vote);
    busy.value = false;
    if (outcome.ok) {
      receipt.value = outcome.receipt;
      return;
    }
    if (outcome.closed) open.value = false;
    errors.value = outcome.errors;
    focusFirstError(outcome.errors);
  }

  if (receipt.value) {
    const party = props.parties.find((p) => p.id === receipt.value!.party)!;
    return <Receipt receipt={receipt.value} party={party} />;
  }
  const err = errors.value;
  return (
    <form class="booth card" method="post" action="/vote" novalidate onSubmit={submit}>
      {/* A disabled first submit button stops Enter in a text field from voting for the first party. */}
      <button type="submit" disabled hidden aria-hidden="true" tabIndex={-1} />
      <VoterDetails
        fields={fields}
        values={values.value}
        errors={err}
        onInput={(name, value) => values.value = { ...values.value, [name]: value }}
      />
      <fieldset class="party-choice" aria-describedby={err.party ? "party-error" : undefined}>
        <legend>2. Press the button of your choice</legend>
        {err.party && <p class="field-error" id="party-error" tabIndex={-1}>{err.party}</p>}
        <div class="party-grid">
          {props.parties.map((p) => (
            <button
              key={p.id}
              type="submit"
              name="party"
              value={p.id}
              class={`party-button party-${p.id}`}
              disabled={!open.value || busy.value}
              aria-label={`Vote for ${p.name}`}
            >
              <PartyLogo party={p} size={64} />
              <span class="party-name">{p.name}</span>
            </button>
          ))}
        </div>
      </fieldset>
      <div class="form-status" role="status" aria-live="polite">
        {!open.value && <p class="closed-banner">Voting has ended. Thank you for taking part.</p>}
        {open.value && err.form && (
          <p class="field-error" id="form-error" tabIndex={-1}>{err.form}</p>
        )}
        {busy.value && <p class="sending">Sending your vote…</p>}
      </div>
    </form>
  );
}
