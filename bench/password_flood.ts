/**
 * The election's stored password (a slow scrypt hash) under a flood of wrong
 * sign-ins from many addresses, beside the votes, after a restart: vote
 * latency alone, with the flood before the administrator has signed in (a
 * guess costs a slow hash, a few at a time, the rest are turned away), and
 * with it after (guesses are checked against the password's SHA-256 in
 * memory); and how long the administrator's sign-in took in the middle of
 * each. `deno run -A bench/password_flood.ts`
 */
import { fileURLToPath } from "node:url";
import { MANY_CLIENTS, startServer } from "../tests/_server.ts";
import { waitFor } from "../tests/_wait.ts";
import { runWrk, type WrkResult } from "./_wrk.ts";

const VOTES_LUA = fileURLToPath(new URL("./votes.lua", import.meta.url));
const FLOOD_LUA = fileURLToPath(new URL("./sign_in_many.lua", import.meta.url));
const PRINTED = /Administrator password \(shown only now\): (\S+)/;

/** The figures of one run. */
export interface PasswordFloodResult {
  alone: WrkResult;
  before: { votes: WrkResult; flood: WrkResult; signIn: { ms: number; tries: number } };
  after: { votes: WrkResult; flood: WrkResult; signIn: { ms: number; tries: number } };
}

/** Signs in as a person would: on 429, again after Retry-After. Returns ms and tries. */
async function timedSignIn(url: string, password: string) {
  const started = performance.now();
  for (let tries = 1; performance.now() - started < 60_000; tries++) {
    const res = await fetch(`${url}/admin/login`, {
      method: "POST",
      body: new URLSearchParams({ password }),
      redirect: "manual",
    });
    await res.body?.cancel();
    if (res.status === 303) return { ms: performance.now() - started, tries };
    if (res.status !== 429) throw new Error(`Signing in answered ${res.status}.`);
    const wait = Number(res.headers.get("retry-after") ?? 1) * 1000;
    await new Promise((r) => setTimeout(r, wait));
  }
  throw new Error("The administrator could not sign in within 60 s.");
}

/** Votes for `seconds` alone, then beside a flood before and after the first sign-in. */
export async function benchPasswordFlood(seconds = 5): Promise<PasswordFloodResult> {
  const dir = await Deno.makeTempDir({ prefix: "matdaan-bench-pw-" });
  const args = ["--db", `${dir}/election.db`, "--trust-proxy", "127.0.0.1", ...MANY_CLIENTS];
  const env = { ADMIN_PASSWORD: "" };
  // The start that makes the password knows it; a restart knows only its hash.
  const first = await startServer(args, { env });
  await waitFor(() => PRINTED.test(first.output()), 10_000);
  const password = first.output().match(PRINTED)![1];
  await first.stop();
  const server = await startServer(args, { env });
  try {
    const votes = (prefix: string) =>
      runWrk(`${server.url}/api/votes`, {
        connections: 32,
        seconds,
        script: VOTES_LUA,
        env: { VOTER_PREFIX: prefix },
      });
    const flooded = async (prefix: string) => {
      const flood = runWrk(`${server.url}/admin/login`, {
        connections: 32,
        seconds,
        script: FLOOD_LUA,
      });
      const during = votes(prefix);
      // The administrator signs in in the middle of the flood.
      await new Promise((r) => setTimeout(r, (seconds * 1000) / 2));
      const signIn = await timedSignIn(server.url, password);
      return { votes: await during, flood: await flood, signIn };
    };
    const alone = await votes("S");
    const before = await flooded("T");
    const after = await flooded("U");
    return { alone, before, after };
  } finally {
    await server.stop();
    await Deno.remove(dir, { recursive: true });
  }
}

if (import.meta.main) {
  const r = await benchPasswordFlood();
  const line = (what: string, v: WrkResult) =>
    `${what}: ${v.perSecond.toFixed(0)} votes/s p50 ${v.p50Ms} ms p99 ${v.p99Ms} ms`;
  console.log(line("votes alone", r.alone));
  for (const [what, run] of [["before", r.before], ["after", r.after]] as const) {
    console.log(
      `${
        line(`beside ${run.flood.requests} wrong sign-ins, ${what} the first sign-in`, run.votes)
      }` +
        ` (p99 ×${(run.votes.p99Ms / r.alone.p99Ms).toFixed(2)});` +
        ` the administrator's sign-in took ${
          run.signIn.ms.toFixed(0)
        } ms in ${run.signIn.tries} tries`,
    );
  }
}
