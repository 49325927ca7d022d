/** The acknowledgment of a vote: receipt code and party. Used by the booth page and its island. */
import type { PartyView, Receipt as ReceiptData } from "../lib/election/types.ts";
import { PartyLogo } from "./PartyLogo.tsx";

/** Props: the receipt and the party voted for. */
export interface ReceiptProps {
  receipt: ReceiptData;
  party: PartyView;
}

/** Shows that the vote was counted, with its receipt code. */
export function Receipt({ receipt, party }: ReceiptProps) {
  return (
    <section class="receipt card" aria-labelledby="receipt-title">
      <h2 id="receipt-title" tabIndex={-1}>Thank you — your vote is counted</h2>
      <p class={`receipt-party party-${party.id}`}>
        <PartyLogo party={party} size={64} />
        <span>
          You voted for <strong>{party.name}</strong>.
        </span>
      </p>
      <p>Your receipt code:</p>
      <p class="receipt-code" data-receipt>{receipt.receipt}</p>
      <p class="hint">
        Keep it to check later that your ballot was counted. The code does not reveal your choice.
      </p>
      <p>
        <a href="/results">See the live results</a>
      </p>
    </section>
  );
}
