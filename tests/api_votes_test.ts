import assert from "node:assert/strict";
import { postVote, testApp } from "./_app.ts";
import { ballot, voteBody } from "./_voters.ts";

const good = ballot(1, "aap");

async function errorOf(res: Response): Promise<{ status: number; code: string; message: string }> {
  const body = await res.json();
  return { status: res.status, code: body.error?.code, message: body.error?.message };
}

Deno.test("POST /api/votes answers 201 with a receipt and counts the vote", async () => {
  const t = await testApp();
  try {
    const res = await postVote(t.app, good);
    assert.equal(res.status, 201);
    const body = await res.json();
    assert.equal(body.party, "aap");
    assert.match(body.receipt, /^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$/);
    const tally = await (await t.app.request("/api/tally")).json();
    assert.equal(tally.total, 1);
    assert.equal(tally.parties.find((p: { id: string }) => p.id === "aap").votes, 1);
    const receipt = await t.app.request(`/api/receipts/${body.receipt.toLowerCase()}`);
    assert.deepEqual(await receipt.json(), { receipt: body.receipt, counted: true });
    const missing = await t.app.request("/api/receipts/0000-0000-0000");
    assert.equal(missing.status, 404);
    await missing.body?.cancel();
  } finally {
    await t.dispose();
  }
});

Deno.test("POST /api/votes answers every contract error and changes nothing", async (t) => {
  const a = await testApp();
  await postVote(a.app, ballot(99, "bjp")).then((r) => r.body?.cancel());
  const huge = "x".repeat(20_000);
  const cases: [string, () => Promise<Response>, number, string][] = [
    ["malformed JSON", () => postVote(a.app, "{not json"), 400, "invalid_input"],
    ["an empty body", () => postVote(a.app, ""), 400, "invalid_input"],
    ["a JSON array", () => postVote(a.app, "[]"), 400, "invalid_input"],
    ["a JSON string", () => postVote(a.app, '"vote"'), 400, "invalid_input"],
    ["JSON null", () => postVote(a.app, "null"), 400, "invalid_input"],
    ["a missing name", () => postVote(a.app, { ...good, name: undefined }), 400, "invalid_input"],
    ["a missing party", () => postVote(a.app, { ...good, party: undefined }), 400, "invalid_input"],
    ["age as a string", () => postVote(a.app, { ...good, age: "30" }), 400, "invalid_input"],
    ["a float age", () => postVote(a.app, { ...good, age: 30.5 }), 400, "invalid_input"],
    ["a negative age", () => postVote(a.app, { ...good, age: -4 }), 400, "invalid_input"],
    ["a huge age", () => postVote(a.app, { ...good, age: 1e300 }), 400, "invalid_input"],
    ["an empty name", () => postVote(a.app, { ...good, name: "" }), 400, "invalid_input"],
    [
      "a 10,000-character name",
      () => postVote(a.app, { ...good, name: "n".repeat(10_000) }),
      400,
      "invalid_input",
    ],
    [
      "a bad check digit",
      () => postVote(a.app, { ...good, voterId: "WKH1186263" }),
      400,
      "invalid_input",
    ],
    [
      "a voter ID as a number",
      () => postVote(a.app, { ...good, voterId: 1186253 }),
      400,
      "invalid_input",
    ],
    ["under 18", () => postVote(a.app, { ...good, age: 17 }), 403, "underage"],
    ["an unknown party", () => postVote(a.app, { ...good, party: "tdp" }), 422, "unknown_party"],
    [
      "an inherited key as party",
      () => postVote(a.app, { ...good, party: "constructor" }),
      422,
      "unknown_party",
    ],
    ["a repeated voter", () => postVote(a.app, ballot(99, "aap")), 409, "already_voted"],
    [
      "a repeated voter, written differently",
      () => postVote(a.app, { ...ballot(99), voterId: ballot(99).voterId.toLowerCase() }),
      409,
      "already_voted",
    ],
    [
      "an oversized body",
      () => postVote(a.app, { ...good, padding: huge }),
      413,
      "payload_too_large",
    ],
    [
      "a form body",
      () => postVote(a.app, "name=x", { "content-type": "application/x-www-form-urlencoded" }),
      415,
      "unsupported_media_type",
    ],
    [
      "no content type",
      () => Promise.resolve(a.app.request("/api/votes", { method: "POST", body: voteBody(5) })),
      415,
      "unsupported_media_type",
    ],
  ];
  try {
    for (const [name, send, status, code] of cases) {
      await t.step(`${name}: ${status} ${code}`, async () => {
        const e = await errorOf(await send());
        assert.equal(e.status, status);
        assert.equal(e.code, code);
        assert.ok(e.message.length > 10, "a message a person can read");
      });
    }
    const tally = await (await a.app.request("/api/tally")).json();
    assert.equal(tally.total, 1);
    assert.equal((await a.store.turnout()).length, 1);
  } finally {
    await a.dispose();
  }
});

Deno.test("POST /api/votes after the limit answers 409 voting_closed", async () => {
  const t = await testApp({ limit: 1 });
  try {
    assert.equal((await postVote(t.app, ballot(1))).status, 201);
    const e = await errorOf(await postVote(t.app, ballot(2)));
    assert.deepEqual([e.status, e.code], [409, "voting_closed"]);
    const tally = await (await t.app.request("/api/tally")).json();
    assert.equal(tally.status, "closed");
    assert.equal(tally.closedReason, "limit");
    assert.deepEqual(tally.result, { winner: "bjp", tie: [] });
  } finally {
    await t.dispose();
  }
});

Deno.test("200 concurrent requests with one voter ID give exactly one 201", async () => {
  const t = await testApp();
  try {
    const statuses = await Promise.all(Array.from({ length: 200 }, async () => {
      const res = await postVote(t.app, ballot(5, "congress"));
      await res.body?.cancel();
      return res.status;
    }));
    assert.equal(statuses.filter((s) => s === 201).length, 1);
    assert.equal(statuses.filter((s) => s === 409).length, 199);
  } finally {
    await t.dispose();
  }
});

Deno.test("--limit 50 with 300 concurrent distinct voters gives exactly 50 201s", async () => {
  const t = await testApp({ limit: 50 });
  try {
    const codes = await Promise.all(Array.from({ length: 300 }, async (_, i) => {
      const res = await postVote(t.app, ballot(100 + i, "nota"));
      return res.status === 201 ? (await res.body?.cancel(), "201") : (await res.json()).error.code;
    }));
    assert.equal(codes.filter((c) => c === "201").length, 50);
    assert.equal(codes.filter((c) => c === "voting_closed").length, 250);
    assert.equal(t.store.snapshot().total, 50);
  } finally {
    await t.dispose();
  }
});

Deno.test("unknown paths answer 404 in JSON, and /healthz answers", async () => {
  const t = await testApp();
  try {
    const res = await t.app.request("/api/nothing");
    assert.equal(res.status, 404);
    assert.equal((await res.json()).error.code, "not_found");
    const health = await t.app.request("/healthz");
    assert.deepEqual(await health.json(), { ok: true, status: "open" });
  } finally {
    await t.dispose();
  }
});

Deno.test("POST /api/votes never answers with the schema library's words, and speaks Hindi when asked", async () => {
  const t = await testApp();
  try {
    for (const field of ["name", "age", "address", "voterId", "party"]) {
      const { [field]: _, ...rest } = good as unknown as Record<string, unknown>;
      const res = await postVote(t.app, rest);
      const body = await res.json();
      assert.equal(res.status, 400, field);
      assert.equal(body.error.field, field);
      assert.doesNotMatch(body.error.message, /Invalid|Expected|received|undefined/, field);
    }
    const { address: _, ...noAddress } = good as unknown as Record<string, unknown>;
    const english = await errorOf(await postVote(t.app, noAddress));
    assert.equal(english.message, "Please enter your address.");
    const res = await t.app.request("/api/votes", {
      method: "POST",
      headers: { "content-type": "application/json", "accept-language": "hi-IN" },
      body: JSON.stringify(noAddress),
    });
    assert.equal((await errorOf(res)).message, "कृपया अपना पता लिखें।");
    assert.equal((await (await t.app.request("/api/tally")).json()).total, 0);
  } finally {
    await t.dispose();
  }
});
