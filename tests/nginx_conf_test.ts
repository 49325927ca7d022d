/** docs/nginx.conf against the server's own timeouts (tests/postgres_nginx_test.ts runs it for real). */
import assert from "node:assert/strict";
import { IDLE_TIMEOUT_MS } from "../serve.ts";

const conf = Deno.readTextFileSync(new URL("../docs/nginx.conf", import.meta.url));

Deno.test("nginx lets its idle upstream connections go before Matdaan closes them", () => {
  // A vote sent on a connection the server is closing is lost (nginx does not retry a POST: 502).
  const upstream = conf.match(/upstream matdaan \{([^}]*)\}/)?.[1] ?? "";
  const timeout = upstream.match(/keepalive_timeout\s+(\d+)s;/)?.[1];
  assert.ok(
    timeout !== undefined,
    "the upstream block sets keepalive_timeout (nginx's default: 60 s)",
  );
  assert.ok(
    Number(timeout) * 1000 < IDLE_TIMEOUT_MS,
    `${timeout} s is not below the server's idle timeout`,
  );
});
