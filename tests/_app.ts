/** An app on a fresh SQLite file, for tests through `app.request()`. */
import type { Hono } from "hono";
import { type AppDeps, createApp } from "../app.ts";
import { openSqliteStore } from "../lib/store/sqlite/sqlite_store.ts";
import type { ElectionRequest, ElectionStore } from "../lib/store/store.ts";

/** A test app with its store; `dispose` shuts both down and removes the file. */
export interface TestApp {
  app: Hono;
  store: ElectionStore;
  dispose(): Promise<void>;
}

/**
 * Builds the app over a new database in a temporary folder; `more` gives the
 * app's other dependencies (an administrator, roll uploads), made in that folder.
 */
export async function testApp(
  request: ElectionRequest = {},
  more: (dir: string) => Promise<Omit<AppDeps, "store">> | Omit<AppDeps, "store"> = () => ({}),
): Promise<TestApp> {
  const dir = await Deno.makeTempDir({ prefix: "matdaan-app-" });
  // Steps of one vote unless asked: these tests follow the tally vote by vote.
  const store = await openSqliteStore(`${dir}/election.db`, { step: 1, ...request });
  const app = createApp({ store, ...await more(dir) });
  return {
    app,
    store,
    async dispose() {
      await store.shutdown();
      await Deno.remove(dir, { recursive: true });
    },
  };
}

/** POSTs a JSON body (a string is sent as it is) to `/api/votes`. */
export function postVote(
  app: Hono,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<Response> {
  return Promise.resolve(app.request("/api/votes", {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: typeof body === "string" ? body : JSON.stringify(body),
  }));
}

/**
 * Signs in as the administrator through `POST /admin/login` and returns the
 * session cookie (`name=value`), asserting the 303 a right password gets.
 */
export async function signIn(app: Hono, password: string): Promise<string> {
  const res = await app.request("/admin/login", {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ password }),
  });
  await res.body?.cancel();
  if (res.status !== 303) throw new Error(`Signing in answered ${res.status}, not 303.`);
  return res.headers.get("set-cookie")!.split(";")[0];
}
