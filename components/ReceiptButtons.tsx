/**
 * Copy and print buttons for a receipt code. They need JavaScript, so they
 * appear only once it runs (the server renders nothing); used inside the
 * booth island and, as the `ReceiptActions` island, on the receipt page.
 */
import { useSignal } from "@preact/signals";
import { useEffect } from "preact/hooks";

/** Props: the receipt code and the buttons' words. */
export interface ReceiptButtonsProps {
  receipt: string;
  words: { copy: string; copied: string; print: string };
}

/** The buttons; nothing before hydration. */
export function ReceiptButtons({ receipt, words }: ReceiptButtonsProps) {
  const ready = useSignal(false);
  const copied = useSignal(false);
  useEffect(() => {
    ready.value = true;
  }, []);
  if (!ready.value) return null;
  async function copy() {
    try {
      await navigator.clipboard.writeText(receipt);
      copied.value = true;
    } catch {
      // Without clipboard permission the code stays on screen to write down.
      copied.value = false;
    }
  }
  return (
    <div class="receipt-actions">
      <button type="button" class="button-secondary" onClick={copy} data-copy>
        {copied.value ? words.copied : words.copy}
      </button>
      <button type="button" class="button-secondary" onClick={() => globalThis.print()} data-print>
        {words.print}
      </button>
    </div>
  );
}
