/** Receipt codes read as random: no visible pattern, whatever the ballot box's size. */
import assert from "node:assert/strict";
import { receiptSlot, slotReceipt } from "../lib/election/receipt.ts";

Deno.test("a small box's receipt codes do not repeat their first half in their second", () => {
  let patterned = 0;
  const seen = new Set<string>();
  for (let slot = 0; slot < 1024; slot++) {
    const plain = slotReceipt(slot).replaceAll("-", "");
    seen.add(plain);
    // Four of the first six characters again in the second half, in place: 1 in a million by chance.
    if (plain.slice(0, 4) === plain.slice(6, 10)) patterned++;
    assert.equal(receiptSlot(plain), slot);
  }
  assert.equal(patterned, 0, `${patterned} of 1024 codes repeat themselves`);
  assert.equal(seen.size, 1024);
});

Deno.test("the slot is read back from a code for every size of box", () => {
  for (const slot of [0, 1, 1023, 1024, 65_535, 2 ** 29, 2 ** 30 - 1]) {
    for (let i = 0; i < 50; i++) assert.equal(receiptSlot(slotReceipt(slot)), slot);
  }
});
