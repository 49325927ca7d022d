import assert from "node:assert/strict";
import { ERRORS } from "../routes/_errors.ts";
import { EN } from "../lib/i18n/en.ts";
import { HI } from "../lib/i18n/hi.ts";

Deno.test("the English catalogue says each error code exactly as the error table does", () => {
  for (const [code, entry] of Object.entries(ERRORS)) {
    assert.equal(EN[code as keyof typeof EN], entry.message, code);
  }
});

Deno.test("the Hindi catalogue has every message, with the same placeholders", () => {
  const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
  for (const [key, english] of Object.entries(EN)) {
    const hindi = HI[key as keyof typeof EN];
    assert.ok(hindi, key);
    assert.deepEqual(placeholders(hindi), placeholders(english), key);
  }
});

Deno.test("the Hindi catalogue writes its numbers in Devanagari digits, as the filled-in ones are", () => {
  // Voter IDs, codes and receipts keep their Latin letters and digits, as printed on the cards.
  const printed = /\b[0-9A-Z]*[A-Z][0-9A-Z-]*\b/g;
  for (const [key, hindi] of Object.entries(HI)) {
    assert.doesNotMatch(hindi.replace(printed, ""), /[0-9]/, `${key}: ${hindi}`);
  }
});
