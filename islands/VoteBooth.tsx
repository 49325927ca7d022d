/**
 * The voting booth. Server-rendered, it posts to `/vote` without JavaScript
 * (a party button leads to the confirm page). Hydrated, it checks with the
 * server's schema, then shows the choice with "Confirm vote" and "Change";
 * only confirming sends the vote (as JSON, once). The slip (symbol, name,
 * receipt) shows for `SLIP_MS`, as the VVPAT does; then a kiosk (`?kiosk`)
 * resets for the next voter, and a personal device keeps the receipt alone,
 * at its own address so a reload keeps it too. When `/ws/tally` says voting
 * has ended, the booth says so instead of showing fields.
 */
import { useSignal } from "@preact/signals";
import { useEffect } from "preact/hooks";
import { followTally } from "../client/tally_socket.ts";
import { sendVote } from "../client/send_vote.ts";
import type { BoothWords } from "../components/booth_words.ts";
import { ClosedBooth } from "../components/ClosedBooth.tsx";
import { MockPollBanner, NotOpenBooth } from "../components/NotOpenBooth.tsx";
import { boothState } from "../lib/election/election_day.ts";
import { PartyChoice, symbolAlt } from "../components/PartyChoice.tsx";
import { PartyLogo } from "../components/PartyLogo.tsx";
import { Receipt } from "../components/Receipt.tsx";
import { ReceiptButtons } from "../components/ReceiptButtons.tsx";
import { VOTER_FIELDS, VoterDetails } from "../components/VoterDetails.tsx";
import type { PartyView, Receipt as ReceiptData, Tally } from "../lib/election/types.ts";
import type { Locale } from "../lib/i18n/format.ts";
import { fill } from "../lib/i18n/format.ts";
import { ballotFromForm, checkBallot } from "../lib/election/vote_schema.ts";
import { type BoothMode, checkRollVote, MODE_FIELDS } from "../lib/election/roll_vote.ts";

/** How long the slip shows the party, in milliseconds (the VVPAT shows its slip for seven seconds). */
export const SLIP_MS = 7000;

/** Props: the ballot, the values and errors to show, the tally, the words, and whether it is a kiosk. */
export interface VoteBoothProps {
  parties: PartyView[];
  values: Record<string, string>;
  errors: Record<string, string>;
  tally: Tally;
  words: BoothWords;
  locale: Locale;
  kiosk: boolean;
  /** What the election asks for: details (open), name and voter ID (roll), or voter ID and code. */
  mode: BoothMode;
  /** The election's time zone (IANA name), for when voting opens (default UTC). */
  timeZone?: string;
  /** The no-JavaScript ballot's one-time token, posted with the form (Back after the vote finds the receipt). */
  token?: string;
}

type Step =
  | { at: "form" }
  | { at: "confirm"; party: string }
  | { at: "slip"; receipt: ReceiptData }
  | { at: "receipt"; receipt: string };

function focus(id: string) {
  queueMicrotask(() => document.getElementById(id)?.focus());
}

function focusFirstError(errors: Record<string, string>) {
  const first = [...VOTER_FIELDS, "code", "party", "form"].find((name) => name in errors);
  focus(first === "party" || first === "form" ? `${first}-error` : first!);
}

/** The booth island. */
export default function VoteBooth(props: VoteBoothProps) {
  const { words, locale } = props;
  const values = useSignal(props.values);
  const errors = useSignal(props.errors);
  const tally = useSignal(props.tally);
  const busy = useSignal(false);
  const step = useSignal<Step>({ at: "form" });
  // Whether this voter was shown the MOCK POLL banner: then the vote says so, and the
  // server refuses it if voting has opened meanwhile (it never turns into a real vote).
  const sawMock = useSignal(boothState(props.tally) === "mock");
  const fields = MODE_FIELDS[props.mode];

  // A voter slip's QR code opens the booth with #voterId=…&code=… (never sent to the server).
  useEffect(() => {
    const hash = new URLSearchParams(location.hash.slice(1));
    const filled = Object.fromEntries(
      fields.flatMap((f) => hash.get(f) ? [[f, hash.get(f)!]] : []),
    );
    if (Object.keys(filled).length === 0) return;
    values.value = { ...values.value, ...filled };
    history.replaceState(null, "", location.pathname + location.search);
  }, []);

  useEffect(() =>
    followTally({
      onTally: (next) => {
        // Only a change of state matters here: closed, opened, a mock poll started or cleared.
        if (boothState(next) === boothState(tally.value)) return;
        tally.value = next;
        // A booth nobody has started on forgets the mock poll; a voter part-way keeps it.
        const untouched = step.value.at === "form" && Object.values(values.value).every((v) => !v);
        if (boothState(next) === "mock") sawMock.value = true;
        else if (untouched) sawMock.value = false;
      },
    }), []);

  useEffect(() => {
    const now = step.value;
    if (now.at !== "slip") return;
    focus("receipt-title");
    const timer = setTimeout(() => {
      if (props.kiosk) {
        values.value = {};
        sawMock.value = boothState(tally.value) === "mock";
        step.value = { at: "form" };
        focus("name");
      } else {
        step.value = { at: "receipt", receipt: now.receipt.receipt };
      }
    }, SLIP_MS);
    return () => clearTimeout(timer);
  }, [step.value]);

  function choose(event: SubmitEvent) {
    event.preventDefault();
    const party = (event.submitter as HTMLButtonElement | null)?.value ?? "";
    const vote = ballotFromForm({ ...values.value, party });
    const ids = props.parties.map((p) => p.id);
    const checked = props.mode === "open"
      ? checkBallot(vote, ids, { locale, messages: words })
      : checkRollVote(vote, ids, props.mode, { locale, messages: words });
    if (!checked.ok) {
      errors.value = checked.fields;
      focusFirstError(checked.fields);
      return;
    }
    errors.value = {};
    step.value = { at: "confirm", party };
    focus("confirm-title");
  }

  async function confirm() {
    const now = step.value;
    if (busy.value || now.at !== "confirm") return;
    busy.value = true;
    const vote = { ...values.value, party: now.party, ...(sawMock.value ? { phase: "mock" } : {}) };
    const outcome = await sendVote(ballotFromForm(vote), words);
    busy.value = false;
    if (outcome.ok) {
      if (!props.kiosk) atReceiptAddress(outcome.receipt.receipt);
      step.value = { at: "slip", receipt: outcome.receipt };
      return;
    }
    if (outcome.closed) tally.value = { ...tally.value, status: "closed" };
    if (outcome.code === "mock_poll_over") {
      // Voting is open now (the socket may say so a moment later): the next vote is real.
      sawMock.value = false;
      tally.value = { ...tally.value, status: "open" };
    }
    errors.value = outcome.errors;
    step.value = { at: "form" };
    focusFirstError(outcome.errors);
  }

  /**
   * From the slip on, the page is the receipt at its own address (a reload keeps it, never the
   * party): its title says so, and the language switch keeps it.
   */
  function atReceiptAddress(code: string) {
    history.replaceState(null, "", `/receipt/${code}`);
    document.title = `${words.receipt_title} · ${document.title.split(" · ").pop()}`;
    document.querySelector("[data-language-switch]")?.setAttribute(
      "href",
      `/receipt/${code}?lang=${locale === "en" ? "hi" : "en"}`,
    );
  }

  function change() {
    const now = step.value;
    step.value = { at: "form" };
    if (now.at === "confirm") focus(`party-${now.party}`);
  }

  const now = step.value;
  if (now.at === "slip" || now.at === "receipt") {
    const receipt = now.at === "slip" ? now.receipt.receipt : now.receipt;
    const party = now.at === "slip" ? props.parties.find((p) => p.id === now.receipt.party)! : null;
    return (
      <Receipt
        receipt={receipt}
        party={party}
        words={words}
        locale={locale}
        kiosk={props.kiosk}
        actions={props.kiosk ? null : <ReceiptButtons receipt={receipt} words={words} />}
        asPage // the booth's introduction (and its h1) is hidden behind the slip
      />
    );
  }
  if (tally.value.status === "closed") {
    return (
      <ClosedBooth
        tally={tally.value}
        words={words}
        locale={locale}
        asPage={props.tally.status === "closed"}
      />
    );
  }
  const state = boothState(tally.value);
  if (state === "not_open") {
    return (
      <NotOpenBooth
        tally={tally.value}
        words={words}
        locale={locale}
        timeZone={props.timeZone ?? "UTC"}
        asPage={boothState(props.tally) === "not_open"}
      />
    );
  }
  if (now.at === "confirm") {
    const party = props.parties.find((p) => p.id === now.party)!;
    return (
      <>
        {state === "mock" && <MockPollBanner words={words} />}
        <PartyChoice
          asPage // the booth's introduction (and its h1) is hidden behind the choice
          party={party}
          words={words}
          locale={locale}
          busy={busy.value}
          onConfirm={confirm}
          onChange={change}
        />
      </>
    );
  }
  const err = errors.value;
  return (
    <form
      class="booth card"
      method="post"
      action={props.kiosk ? "/vote?kiosk" : "/vote"}
      novalidate
      onSubmit={choose}
    >
      {/* A page made before the opening has no introduction: the form brings its heading. */}
      {boothState(props.tally) === "not_open" && (
        <h1 class="booth-late-heading">{words.booth_heading}</h1>
      )}
      {state === "mock" && <MockPollBanner words={words} />}
      {/* A disabled first submit button stops Enter in a text field from choosing the first party. */}
      <button type="submit" disabled hidden aria-hidden="true" tabIndex={-1} />
      {props.token && <input type="hidden" name="token" value={props.token} />}
      {sawMock.value && <input type="hidden" name="phase" value="mock" />}
      <VoterDetails
        shared={props.kiosk}
        fields={fields}
        values={values.value}
        errors={err}
        words={words}
        onInput={(name, value) => values.value = { ...values.value, [name]: value }}
      />
      <fieldset class="party-choice" aria-describedby={err.party ? "party-error" : undefined}>
        <legend>{words.choice_legend}</legend>
        {err.party && <p class="field-error" id="party-error" tabIndex={-1}>{err.party}</p>}
        <div class="party-grid">
          {props.parties.map((p) => (
            <button
              key={p.id}
              id={`party-${p.id}`}
              type="submit"
              name="party"
              value={p.id}
              class={`party-button party-${p.id}`}
              aria-label={fill(locale, words.vote_for, { party: p.name })}
              aria-describedby={`symbol-${p.id}`}
            >
              <PartyLogo party={p} size={64} alt="" />
              <span class="party-name">{p.name}</span>
              <span class="visually-hidden" id={`symbol-${p.id}`}>
                {symbolAlt(p, words, locale)}
              </span>
            </button>
          ))}
        </div>
      </fieldset>
      <div class="form-status" role="status" aria-live="polite">
        {err.form && <p class="field-error" id="form-error" tabIndex={-1}>{err.form}</p>}
      </div>
    </form>
  );
}
