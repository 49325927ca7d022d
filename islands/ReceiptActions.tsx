/** The receipt page's copy and print buttons (the page itself needs no JavaScript). */
import { ReceiptButtons, type ReceiptButtonsProps } from "../components/ReceiptButtons.tsx";

/** The island; props as `ReceiptButtons`. */
export default function ReceiptActions(props: ReceiptButtonsProps) {
  return <ReceiptButtons {...props} />;
}
