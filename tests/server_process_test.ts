import assert from "node:assert/strict";
import { runMain, startServer } from "./_server.ts";
import { voteBody } from "./_voters.ts";

Deno.test("main.ts serves votes and stops cleanly on SIGTERM", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const server = await startServer(["--limit", "5", "--db", `${dir}/e.db`]);
    const res = await fetch(`${server.url}/api/votes`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: voteBody(1),
    });
    assert.equal(res.status, 201);
    await res.body?.cancel();
    assert.equal(await server.stop("SIGTERM"), 0);
    assert.match(server.output(), /Stopped cleanly/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("main.ts refuses a bad command line with one clear line and status 2", async (t) => {
  for (
    const args of [["--limit", "-3"], ["--limit", "abc"], ["--frobnicate"], [
      "--parties",
      "/nonexistent.json",
    ]]
  ) {
    await t.step(args.join(" "), async () => {
      const { code, stderr } = await runMain([...args, "--db", "/tmp/matdaan-never-created/e.db"]);
      assert.equal(code, 2);
      assert.match(stderr.split("\n")[0], /^matdaan: /);
    });
  }
});
