/**
 * Every error of the contract table (`routes/_errors.ts`), and each specific
 * reason the routes give for one, answers in the reader's language: a Hindi
 * request gets Devanagari, an English one English. Each is raised the way a
 * client meets it, through the real app; only the codes no route raises on
 * purpose (`conflict`, `internal`, `http_error`) through `onError` itself.
 */
import assert from "node:assert/strict";
import { Hono } from "hono";
import { HTTPException } from "hono/http-exception";
import { createApp } from "../app.ts";
import { AdminAuth } from "../lib/admin/admin_auth.ts";
import { AuditLog } from "../lib/admin/audit_log.ts";
import { CodeThrottle } from "../lib/election/code_throttle.ts";
import { RequestRate } from "../lib/server/request_rate.ts";
import { sqliteRollTarget } from "../lib/store/sqlite/sqlite_roll.ts";
import { openSqliteStore } from "../lib/store/sqlite/sqlite_store.ts";
import type { ElectionRequest, ElectionStore } from "../lib/store/store.ts";
import { ERRORS, onError } from "../routes/_errors.ts";
import { signIn } from "./_app.ts";
import { codesApp, importTestRoll, writeRoll } from "./_roll.ts";
import { ballot, voterId } from "./_voters.ts";

type Lang = "en" | "hi";
const DEVANAGARI = /[\u0900-\u097F]/;
const PASSWORD = "correct horse battery";

/** One way a client meets an error: the request, sent in a language, and what it must get. */
interface Case {
  what: string;
  code: string;
  status: number;
  send(lang: Lang): Promise<Response>;
}

function json(path: string, lang: Lang, body: unknown, headers: Record<string, string> = {}) {
  return {
    path,
    init: {
      method: "POST",
      headers: { "content-type": "application/json", "accept-language": lang, ...headers },
      body: typeof body === "string" ? body : JSON.stringify(body),
    },
  };
}

/** Sends until the answer is a 429 (a throttle or budget trips after a few), at most 20 times. */
async function untilRefused(send: () => Promise<Response>) {
  for (let i = 0; i < 20; i++) {
    const res = await send();
    if (res.status === 429) return res;
    await res.body?.cancel();
  }
  throw new Error("never refused");
}

Deno.test("every error code and reason is answered in the reader's language, Hindi or English", async (t) => {
  const dir = await Deno.makeTempDir({ prefix: "matdaan-error-languages-" });
  const stores: ElectionStore[] = [];
  async function election(name: string, request: ElectionRequest = {}, deps = {}) {
    const store = await openSqliteStore(`${dir}/${name}.db`, { step: 1, ...request });
    stores.push(store);
    const admin = { auth: new AdminAuth(PASSWORD), audit: new AuditLog(":memory:") };
    return { store, app: createApp({ store, admin, ...deps }) };
  }
  try {
    const open = await election("open", {}, { socketsPerClient: 0 });
    const req = (app: Hono, path: string, lang: Lang, init: RequestInit = {}) =>
      Promise.resolve(app.request(path, {
        ...init,
        headers: { "accept-language": lang, ...init.headers as Record<string, string> },
      }));
    const post = (app: Hono, r: ReturnType<typeof json>) => req(app, r.path, "en", r.init);
    const vote = (app: Hono, lang: Lang, body: unknown, headers?: Record<string, string>) =>
      post(app, json("/api/votes", lang, body, headers));
    assert.equal((await vote(open.app, "en", ballot(1))).status, 201);
    const session = await signIn(open.app, PASSWORD);

    const closed = await election("closed", { limit: 1 });
    assert.equal((await vote(closed.app, "en", ballot(1))).status, 201);

    const waiting = await election("waiting", { opensAt: "admin" });
    const waitingSession = await signIn(waiting.app, PASSWORD);

    const gone = await election("gone");
    await gone.store.shutdown();

    const limited = await election("limited", {}, {
      requestRate: new RequestRate({ points: 1, now: () => 0 }),
    });

    await writeRoll(`${dir}/roll.csv`, 5);
    await importTestRoll(sqliteRollTarget(`${dir}/roll.db`), {
      path: `${dir}/roll.csv`,
      codes: false,
      keyPath: `${dir}/roll.key`,
    });
    const rollStore = await openSqliteStore(`${dir}/roll.db`, { step: 1 });
    stores.push(rollStore);
    const roll = createApp({ store: rollStore, codeThrottle: new CodeThrottle({ perPair: 2 }) });
    const codes = await codesApp(`${dir}`, 5);
    stores.push(codes.store);

    const bare = new Hono();
    bare.onError(onError);
    bare.get("/conflict", () => {
      throw new HTTPException(409);
    });
    bare.get("/teapot", () => {
      throw new HTTPException(418);
    });
    bare.get("/broken", () => {
      throw new RangeError("a bug, on purpose");
    });

    const voterOf = { en: 0, hi: 1 } as const;

    const cases: Case[] = [
      {
        what: "a vote with fields missing",
        code: "invalid_input",
        status: 400,
        send: (lang) => vote(open.app, lang, {}),
      },
      {
        what: "a body that is not JSON",
        code: "invalid_input",
        status: 400,
        send: (lang) => vote(open.app, lang, "{not json"),
      },
      {
        what: "a malformed receipt code",
        code: "invalid_input",
        status: 400,
        send: (lang) => req(open.app, "/api/receipts/nonsense", lang),
      },
      {
        what: "an underage voter",
        code: "underage",
        status: 403,
        send: (lang) => vote(open.app, lang, { ...ballot(5), age: 17 }),
      },
      {
        what: "an ID not on the roll",
        code: "not_on_roll",
        status: 403,
        send: (lang) => vote(roll, lang, ballot(50 + voterOf[lang])),
      },
      {
        what: "names guessed against the roll",
        code: "too_many_requests",
        status: 429,
        send: (lang) =>
          untilRefused(() =>
            vote(roll, lang, { ...ballot(2 + voterOf[lang]), name: "Wrong Name" })
          ),
      },
      {
        what: "a wrong voting code",
        code: "bad_code",
        status: 403,
        send: (lang) =>
          vote(codes.app, lang, {
            voterId: voterId(voterOf[lang]),
            code: "7KQ2M-X4TPH",
            party: "bjp",
          }),
      },
      {
        what: "codes guessed",
        code: "too_many_requests",
        status: 429,
        send: (lang) =>
          untilRefused(() =>
            vote(codes.app, lang, {
              voterId: voterId(2 + voterOf[lang]),
              code: "7KQ2M-X4TPH",
              party: "bjp",
            })
          ),
      },
      {
        what: "a party not on the ballot",
        code: "unknown_party",
        status: 422,
        send: (lang) => vote(open.app, lang, ballot(6, "nobody")),
      },
      {
        what: "a second vote",
        code: "already_voted",
        status: 409,
        send: (lang) => vote(open.app, lang, ballot(1)),
      },
      {
        what: "a vote from a booth that showed a mock poll, once voting is open",
        code: "mock_poll_over",
        status: 409,
        send: (lang) => vote(open.app, lang, { ...ballot(7 + voterOf[lang]), phase: "mock" }),
      },
      {
        what: "a vote after the close",
        code: "voting_closed",
        status: 409,
        send: (lang) => vote(closed.app, lang, ballot(2)),
      },
      {
        what: "a vote before the opening",
        code: "voting_not_open",
        status: 409,
        send: (lang) => vote(waiting.app, lang, ballot(2)),
      },
      {
        what: "opening an open election",
        code: "voting_open",
        status: 409,
        send: (lang) => post(open.app, json("/admin/open", lang, {}, { cookie: session })),
      },
      {
        what: "opening over a mock poll's votes",
        code: "mock_poll_uncleared",
        status: 409,
        async send(lang) {
          if (waiting.store.snapshot().total === 0) {
            const headers = { cookie: waitingSession };
            await (await post(waiting.app, json("/admin/mock-poll", "en", {}, headers))).body
              ?.cancel();
            assert.equal((await vote(waiting.app, "en", ballot(3))).status, 201);
          }
          return post(waiting.app, json("/admin/open", lang, {}, { cookie: waitingSession }));
        },
      },
      {
        what: "a store that has stopped",
        code: "unavailable",
        status: 503,
        send: (lang) => vote(gone.app, lang, ballot(4)),
      },
      {
        what: "a WebSocket address asked without upgrading",
        code: "bad_request",
        status: 426,
        send: (lang) => req(roll, "/ws/tally", lang),
      },
      {
        what: "a WebSocket upgrade that is not valid",
        code: "bad_request",
        status: 400,
        send: (lang) => req(roll, "/ws/tally", lang, { headers: { upgrade: "websocket" } }),
      },
      {
        what: "an admin action without a session",
        code: "unauthorized",
        status: 401,
        send: (lang) => post(open.app, json("/admin/close", lang, {})),
      },
      {
        what: "a vote from another site",
        code: "forbidden",
        status: 403,
        send: (lang) => vote(open.app, lang, ballot(7), { origin: "https://evil.example" }),
      },
      {
        what: "an unknown API address",
        code: "not_found",
        status: 404,
        send: (lang) => req(open.app, "/api/nothing", lang),
      },
      {
        what: "a receipt nobody holds",
        code: "not_found",
        status: 404,
        send: (lang) => req(open.app, "/api/receipts/K7QH-2M9D-X4TP", lang),
      },
      {
        what: "the result's download before the close",
        code: "not_found",
        status: 404,
        send: (lang) => req(open.app, "/results/result.csv", lang),
      },
      {
        what: "a GET of the voting endpoint",
        code: "method_not_allowed",
        status: 405,
        send: (lang) => req(open.app, "/api/votes", lang),
      },
      {
        what: "a conflict",
        code: "conflict",
        status: 409,
        send: (lang) => req(bare, "/conflict", lang),
      },
      {
        what: "a body over the limit",
        code: "payload_too_large",
        status: 413,
        send: (lang) => vote(open.app, lang, { ...ballot(8), address: "x".repeat(20_000) }),
      },
      {
        what: "a vote that is not JSON",
        code: "unsupported_media_type",
        status: 415,
        send: (lang) =>
          post(open.app, json("/api/votes", lang, "name=x", { "content-type": "text/plain" })),
      },
      {
        what: "too many WebSockets",
        code: "too_many_requests",
        status: 429,
        send: (lang) => req(open.app, "/ws/tally", lang, { headers: { upgrade: "websocket" } }),
      },
      {
        what: "a client over its request budget",
        code: "too_many_requests",
        status: 429,
        send: (lang) => untilRefused(() => req(limited.app, "/api/tally", lang)),
      },
      {
        what: "a bug",
        code: "internal",
        status: 500,
        send: (lang) => req(bare, "/broken", lang),
      },
      {
        what: "a status without a code",
        code: "http_error",
        status: 418,
        send: (lang) => req(bare, "/teapot", lang),
      },
    ];

    for (const c of cases) {
      await t.step(`${c.what}: ${c.status} ${c.code}`, async () => {
        const said: Record<Lang, string> = { en: "", hi: "" };
        for (const lang of ["en", "hi"] as const) {
          const res = await c.send(lang);
          const body = await res.json();
          assert.equal(res.status, c.status, `${lang}: ${JSON.stringify(body)}`);
          assert.equal(body.error?.code, c.code, lang);
          said[lang] = body.error.message;
        }
        assert.match(said.hi, DEVANAGARI, `in Hindi: "${said.hi}"`);
        assert.doesNotMatch(said.en, DEVANAGARI, `in English: "${said.en}"`);
        assert.match(said.en, /^[A-Z].*[a-z]{3}/, `a sentence: "${said.en}"`);
      });
    }
    await t.step("every code of the contract table was met", () => {
      const met = new Set(cases.map((c) => c.code));
      const missing = [...Object.keys(ERRORS), "http_error"].filter((code) => !met.has(code));
      assert.deepEqual(missing, []);
    });
  } finally {
    for (const store of stores) await store.shutdown().catch(() => {});
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a code re-issued in an election without codes is refused in the administrator's language", async () => {
  const dir = await Deno.makeTempDir({ prefix: "matdaan-error-languages-" });
  const store = await openSqliteStore(`${dir}/e.db`, {});
  try {
    const admin = { auth: new AdminAuth(PASSWORD), audit: new AuditLog(":memory:") };
    const app = createApp({ store, admin });
    const cookie = await signIn(app, PASSWORD);
    for (
      const [lang, words] of [["en", /does not use voting codes/], ["hi", DEVANAGARI]] as const
    ) {
      const res = await app.request("/admin/roll/reissue", {
        method: "POST",
        headers: {
          cookie,
          "accept-language": lang,
          "content-type": "application/x-www-form-urlencoded",
        },
        body: new URLSearchParams({ voterId: voterId(1) }),
      });
      assert.equal(res.status, 400);
      const alert = (await res.text()).match(/role="alert">([^<]*)</)?.[1] ?? "";
      assert.match(alert, words, `${lang}: "${alert}"`);
      if (lang === "hi") assert.doesNotMatch(alert, /[a-z]{3}/);
    }
  } finally {
    await store.shutdown();
    await Deno.remove(dir, { recursive: true });
  }
});
