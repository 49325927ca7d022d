import assert from "node:assert/strict";
import fc from "fast-check";
import { ballotFromForm, checkBallot } from "../lib/election/vote_schema.ts";
import {
  asciiDigit,
  asciiDigits,
  isValidEpic,
  luhnValid,
  makeEpic,
  normaliseVoterId,
} from "../lib/election/voter_id.ts";
import { EN, ENGLISH } from "../lib/i18n/en.ts";
import { HI } from "../lib/i18n/hi.ts";

const IDS = ["bjp", "congress", "aap", "nota"];
const good = {
  name: "Asha Rao",
  age: 30,
  address: "12 MG Road, Pune",
  voterId: "WKH1186253",
  party: "bjp",
};

function codeOf(input: unknown): string {
  const r = checkBallot(input, IDS, ENGLISH);
  return r.ok ? "ok" : r.error.code;
}

Deno.test("isValidEpic() checks the form and the Luhn digit", () => {
  assert.equal(isValidEpic("WKH1186253"), true);
  assert.equal(isValidEpic("WKH1186263"), false);
  assert.equal(isValidEpic("WK1186253"), false);
  assert.equal(isValidEpic("WKH11862530"), false);
  assert.equal(isValidEpic("wkh1186253"), false);
  assert.equal(normaliseVoterId(" wkh-118 6253 "), "WKH1186253");
  assert.equal(luhnValid("0000000"), true);
  for (let i = 0; i < 1000; i += 37) assert.equal(isValidEpic(makeEpic("ABC", i)), true);
});

Deno.test("checkBallot() accepts and normalises a good vote, in any script", () => {
  const r = checkBallot(
    { ...good, name: "  अनन्या   पिल्लई ", voterId: "wkh-1186253", address: " 4  Anna Salai " },
    IDS,
    ENGLISH,
  );
  assert.ok(r.ok);
  assert.equal(r.ballot.name, "अनन्या पिल्लई");
  assert.equal(r.ballot.voterId, "WKH1186253");
  assert.equal(r.ballot.address, "4 Anna Salai");
  for (const name of ["O'Brien", "Mary-Jane K.", "محمد علي", "தமிழ்செல்வி", "ശ്രീലക്ഷ്മി"]) {
    assert.equal(codeOf({ ...good, name }), "ok", name);
  }
});

Deno.test("checkBallot() calls under 18 underage, and other bad ages invalid", () => {
  assert.equal(codeOf({ ...good, age: 17 }), "underage");
  assert.equal(codeOf({ ...good, age: 0 }), "underage");
  assert.equal(codeOf({ ...good, age: 18 }), "ok");
  assert.equal(codeOf({ ...good, age: 120 }), "ok");
  for (const age of [-1, 121, 1e9, 30.5, NaN, Infinity, "30", null, undefined, true, [30]]) {
    assert.equal(codeOf({ ...good, age }), "invalid_input", String(age));
  }
});

Deno.test("checkBallot() refuses malformed fields with a message naming the field", () => {
  const cases: [Record<string, unknown>, string][] = [
    [{ ...good, name: "" }, "name"],
    [{ ...good, name: "   " }, "name"],
    [{ ...good, name: "x".repeat(10_000) }, "name"],
    [{ ...good, name: "R2-D2" }, "name"],
    [{ ...good, name: "<script>" }, "name"],
    [{ ...good, name: "Asha\u202ERao" }, "name"],
    [{ ...good, name: "Asha\uD800" }, "name"],
    [{ ...good, name: 42 }, "name"],
    [{ ...good, address: "" }, "address"],
    [{ ...good, address: "a".repeat(201) }, "address"],
    [{ ...good, address: "bell\u0007" }, "address"],
    [{ ...good, voterId: "WKH1186263" }, "voterId"],
    [{ ...good, voterId: "" }, "voterId"],
    [{ ...good, voterId: 1186253 }, "voterId"],
    [{ ...good, party: "" }, "party"],
    [{ ...good, party: ["bjp"] }, "party"],
  ];
  for (const [input, field] of cases) {
    const r = checkBallot(input, IDS, ENGLISH);
    assert.ok(!r.ok, JSON.stringify(input).slice(0, 60));
    assert.equal(r.error.code, "invalid_input");
    assert.equal(r.error.field, field);
    assert.ok(r.error.message.length > 5);
  }
  for (const input of [null, [], "vote", 7, {}]) assert.equal(codeOf(input), "invalid_input");
});

Deno.test("checkBallot() puts malformed input before age, and age before party", () => {
  assert.equal(codeOf({ ...good, age: 12, name: "" }), "invalid_input");
  assert.equal(codeOf({ ...good, age: 12, party: "xyz" }), "underage");
  assert.equal(codeOf({ ...good, party: "xyz" }), "unknown_party");
  assert.equal(codeOf({ ...good, party: "__proto__" }), "unknown_party");
  assert.equal(codeOf(JSON.parse(`{"__proto__": {"party": "bjp"}, "name": "A"}`)), "invalid_input");
});

Deno.test("ballotFromForm() turns a digits-only age into a number and leaves the rest", () => {
  assert.equal(ballotFromForm({ age: "42" }).age, 42);
  assert.equal(ballotFromForm({ age: "4 2" }).age, "4 2");
  assert.equal(ballotFromForm({ age: "-5" }).age, "-5");
  assert.equal(codeOf(ballotFromForm({ ...good, age: "17" })), "underage");
  assert.equal(codeOf(ballotFromForm({ ...good, age: "abc" })), "invalid_input");
});

const ALL_MESSAGES = new Set([...Object.values(EN), ...Object.values(HI)]);
const SCHEMA_WORDS = /Invalid|Expected|received|undefined|valibot/i;

Deno.test("checkBallot() answers every malformed field in the catalogue's words, never valibot's", () => {
  const odd: unknown[] = [undefined, null, 7, "", " ", "x".repeat(500), [], {}, true, -1, 1.5];
  for (const field of ["name", "age", "address", "voterId", "party"]) {
    for (const value of odd) {
      const input: Record<string, unknown> = { ...good };
      if (value === undefined) delete input[field];
      else input[field] = value;
      for (const words of [ENGLISH, { locale: "hi" as const, messages: HI }]) {
        const r = checkBallot(input, IDS, words);
        if (r.ok) continue;
        for (const message of [r.error.message, ...Object.values(r.fields)]) {
          assert.doesNotMatch(message, SCHEMA_WORDS, `${field}=${JSON.stringify(value)}`);
          const filled = [...ALL_MESSAGES].some((m) =>
            new RegExp(`^${m.replace(/[.*+?^$()|[\]\\]/g, "\\$&").replace(/\{\w+\}/g, ".+")}$`)
              .test(message)
          );
          assert.ok(filled, `not from the catalogue: ${message}`);
        }
      }
    }
  }
  const r = checkBallot({ ...good, address: undefined }, IDS, ENGLISH);
  assert.ok(!r.ok);
  assert.equal(r.error.message, "Please enter your address.");
});

Deno.test("checkBallot() accepts names as phones and Hindi typists write them", () => {
  for (
    const name of [
      "Elaine D’Souza",
      "Elaine Dʼ Souza",
      "डॉ॰ राम",
      "श्री॰ मोहन लाल",
      "O'Brien",
      "Jean\u2010Luc",
      "Mary\u2011Ann",
    ]
  ) {
    const r = checkBallot({ ...good, name }, IDS, ENGLISH);
    assert.ok(r.ok, name);
    assert.equal(r.ballot.name, name);
  }
  assert.equal(codeOf({ ...good, name: "॰राम" }), "invalid_input");
});

Deno.test("ballotFromForm() reads an age in any script's decimal digits", () => {
  for (
    const [typed, age] of [["३४", 34], ["৩৪", 34], ["３４", 34], ["٣٤", 34], ["𝟑𝟒", 34]] as const
  ) {
    assert.equal(ballotFromForm({ age: typed }).age, age, typed);
  }
  assert.equal(codeOf(ballotFromForm({ ...good, age: "१७" })), "underage");
  assert.equal(codeOf(ballotFromForm({ ...good, age: "३४" })), "ok");
  assert.equal(asciiDigits("𝟘𝟙𝟚 𝟬𝟭"), "012 01");
});

Deno.test("checkBallot() folds voter IDs to ASCII letters and digits, refusing what does not fold", () => {
  const folded = checkBallot({ ...good, voterId: "ＷＫＨ–११८६२५३" }, IDS, ENGLISH);
  assert.ok(folded.ok);
  assert.equal(folded.ballot.voterId, "WKH1186253");
  // "ß".toUpperCase() is "SS": a voter ID must never be stored as something the voter did not type.
  for (const voterId of ["Wßa1186253", "wkı1186253", "WKH118625३x", "ÀKH1186253"]) {
    const r = checkBallot({ ...good, voterId }, IDS, ENGLISH);
    assert.ok(!r.ok, voterId);
    assert.equal(r.error.field, "voterId");
  }
  const sharp = checkBallot({ ...good, voterId: "Wßa1186253" }, IDS, ENGLISH);
  assert.ok(!sharp.ok);
  assert.match(sharp.error.message, /only the letters A to Z and digits/);
});

Deno.test("voter IDs and digits typed in plain ASCII take a shortcut that changes nothing", () => {
  // The full folding, as it was before the shortcuts for text already plain.
  const fold = (raw: string) =>
    raw.normalize("NFKC").replace(/\p{Nd}/gu, asciiDigit).replace(/[\s\p{Pd}]+/gu, "")
      .replace(/[a-z]+/g, (s) => s.toUpperCase());
  const typed = fc.string({
    unit: fc.constantFrom(..."AZaz09 -\u2010४৯０ＷßK\u00A0".split("")),
    maxLength: 14,
  });
  fc.assert(fc.property(typed, (raw) => {
    assert.equal(normaliseVoterId(raw), fold(raw));
    assert.equal(asciiDigits(raw), raw.replace(/\p{Nd}/gu, asciiDigit));
  }));
});
