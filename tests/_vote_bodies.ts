/** Generated request bodies for `/api/votes`: nearly valid votes, odd values, junk. */
import fc from "fast-check";
import { voteBody } from "./_voters.ts";

/** Content types a client might send, right and wrong. */
export const TYPES = [
  "application/json",
  "application/json; charset=utf-8",
  "application/x-www-form-urlencoded",
  "multipart/form-data; boundary=x",
  "text/plain",
  "application/json; charset=utf-16",
  "",
];

const NASTY = [
  "\u202E",
  "\u200F",
  "\u200D",
  "\uFEFF",
  "\uD800",
  "\uDFFF",
  "𝕏",
  "अ",
  "<script>alert(1)</script>",
  "' OR 1=1 --",
  "%",
  "_",
];

const nastyString = fc.oneof(
  fc.string({ unit: "binary", maxLength: 40 }),
  fc.constantFrom(...NASTY),
  fc.array(fc.constantFrom(...NASTY), { maxLength: 5 }).map((a) => a.join("")),
  fc.constantFrom("x".repeat(300), "x".repeat(10_000)),
);
const oddValue = fc.oneof(
  nastyString,
  fc.double(),
  fc.constantFrom(-1, 0, 17, 18.5, 121, 1e308, -0, 2 ** 53 + 1, "30", "WKH1186253", true, null),
  fc.array(fc.anything(), { maxLength: 3 }),
  fc.object({ maxDepth: 2 }),
);
const voteLike = fc.record(
  {
    name: oddValue,
    age: oddValue,
    address: oddValue,
    voterId: oddValue,
    party: fc.oneof(
      oddValue,
      fc.constantFrom("bjp", "nota", "__proto__", "constructor", "toString"),
    ),
  },
  { requiredKeys: [] },
);
// A valid vote with one field spoiled: reaches the checks after parsing.
const nearlyValid = fc.record({
  field: fc.constantFrom("name", "age", "address", "voterId", "party", "__proto__"),
  value: oddValue,
}).map(({ field, value }) => {
  const vote: Record<string, unknown> = JSON.parse(voteBody(7));
  Object.defineProperty(vote, field, { value, enumerable: true });
  return JSON.stringify(vote);
});
/** A body: a vote with one field spoiled, vote-like records, bytes, JSON, known traps. */
export const body = fc.oneof(
  nearlyValid,
  voteLike.map((v) => JSON.stringify(v)),
  fc.uint8Array({ maxLength: 200 }),
  fc.string({ unit: "binary", maxLength: 200 }),
  fc.jsonValue().map((v) => JSON.stringify(v)),
  fc.constantFrom(
    '{"__proto__": {"party": "bjp"}, "constructor": {"prototype": {"age": 30}}}',
    '{"age": NaN}',
    '{"age": Infinity}',
    '{"name": "\\ud800"}',
    "[".repeat(5000) + "]".repeat(5000),
    '{"a":'.repeat(3000) + "1" + "}".repeat(3000),
    JSON.stringify({ padding: "x".repeat(40_000) }),
    "",
    "null",
  ),
);
