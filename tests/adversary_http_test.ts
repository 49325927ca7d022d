/**
 * Review of issues 13 and 15 as a hostile client: requests the guarded
 * server (`serve.ts`) must answer without a 5xx, on a real server process.
 */
import assert from "node:assert/strict";
import { startServer } from "./_server.ts";
import { voteBody } from "./_voters.ts";

/** A body sent as a stream: fetch sends it chunked, without a Content-Length. */
function chunkedBody(text: string): ReadableStream<Uint8Array> {
  const bytes = new TextEncoder().encode(text);
  return new ReadableStream({
    start(controller) {
      controller.enqueue(bytes.subarray(0, 5));
      controller.enqueue(bytes.subarray(5));
      controller.close();
    },
  });
}

Deno.test("a small chunked body (no Content-Length) is read, never a 500: a vote, a sign-in", async () => {
  const server = await startServer([]);
  try {
    const vote = await fetch(`${server.url}/api/votes`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: chunkedBody(voteBody(1)),
    });
    const voteText = await vote.text();
    assert.equal(vote.status, 201, voteText);
    const login = await fetch(`${server.url}/admin/login`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", origin: server.url },
      body: chunkedBody("password=wrong-guess"),
      redirect: "manual",
    });
    const loginText = await login.text();
    assert.equal(login.status, 401, loginText);
    assert.doesNotMatch(server.output(), /Unexpected error/);
  } finally {
    await server.stop();
  }
});
