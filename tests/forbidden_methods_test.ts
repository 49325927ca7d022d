/**
 * TRACE, a method a fetch `Request` refuses to hold, is answered 405 with
 * `Allow` like any other method an address does not take, and TRACK and
 * CONNECT with a 4xx: never a 500 with a stack trace in the log for each one.
 */
import assert from "node:assert/strict";
import { startServer } from "./_server.ts";

/** Sends `raw` on one connection and reads until the server closes it. */
async function exchange(port: number, raw: string): Promise<string> {
  const conn = await Deno.connect({ hostname: "127.0.0.1", port });
  await conn.write(new TextEncoder().encode(raw));
  const chunks: Uint8Array[] = [];
  const buffer = new Uint8Array(65536);
  const timer = setTimeout(() => conn.close(), 5000);
  try {
    for (;;) {
      const n = await conn.read(buffer);
      if (n === null) break;
      chunks.push(buffer.slice(0, n));
    }
  } catch {
    /* closed by the timer */
  } finally {
    clearTimeout(timer);
    try {
      conn.close();
    } catch { /* closed already */ }
  }
  return new TextDecoder().decode(new Uint8Array(chunks.flatMap((c) => [...c])));
}

for (const server of ["guarded", "deno"]) {
  Deno.test(`${server} server: TRACE gets 405, TRACK and CONNECT a 4xx, never a 500`, async () => {
    const srv = await startServer(["--http-server", server]);
    try {
      for (
        const [method, path, allow] of [
          ["TRACE", "/", "GET, HEAD"],
          ["TRACE", "/api/votes", "POST"],
          ["TRACE", "/results", "GET, HEAD"],
        ]
      ) {
        const answer = await exchange(
          srv.port,
          `${method} ${path} HTTP/1.1\r\nHost: 127.0.0.1:${srv.port}\r\nConnection: close\r\n\r\n`,
        );
        const status = answer.split("\r\n")[0];
        assert.match(status, /^HTTP\/1\.1 405 /, `${method} ${path}: ${status}`);
        assert.match(answer, new RegExp(`\r\nallow: ${allow}\r\n`, "i"), `${method} ${path}`);
        assert.match(answer, /"method_not_allowed"/, `${method} ${path}`);
      }
      // CONNECT and TRACK: a 4xx of the HTTP layer or the app, whichever answers; never a 500.
      for (const target of ["/healthz", `127.0.0.1:${srv.port}`]) {
        for (const method of ["CONNECT", "TRACK"]) {
          const answer = await exchange(
            srv.port,
            `${method} ${target} HTTP/1.1\r\nHost: 127.0.0.1:${srv.port}\r\nConnection: close\r\n\r\n`,
          );
          const status = answer.split("\r\n")[0];
          assert.match(status, /^HTTP\/1\.1 4\d\d /, `${method} ${target}: ${status}`);
        }
      }
      // With a body too, the connection goes on to the next request.
      const piped = await exchange(
        srv.port,
        `TRACE / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 5\r\n\r\nhello` +
          `GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n`,
      );
      assert.match(piped, /^HTTP\/1\.1 405 /);
      assert.match(piped, /"ok":true/);
      assert.doesNotMatch(srv.output(), /Unexpected error/);
    } finally {
      await srv.stop();
    }
  });
}
