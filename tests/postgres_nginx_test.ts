/** docs/nginx.conf, run for real in front of two instances on one database. */
import assert from "node:assert/strict";
import type { Tally } from "../lib/election/types.ts";
import { postgresAvailable, testDatabases } from "./_postgres.ts";
import { startServer } from "./_server.ts";
import { voteBody } from "./_voters.ts";
import { waitFor } from "./_wait.ts";

const CONF = new URL("../docs/nginx.conf", import.meta.url);

function nginxPath(): string | null {
  for (const path of ["/usr/sbin/nginx", "/usr/bin/nginx"]) {
    try {
      Deno.statSync(path);
      return path;
    } catch { /* look further */ }
  }
  return null;
}

function freePort(): number {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (listener.addr as Deno.NetAddr).port;
  listener.close();
  return port;
}

const nginx = nginxPath() ?? "";
if (!nginx) {
  if (Deno.env.get("CI") === "true") throw new Error("nginx is missing; CI needs it.");
  console.warn("\n!!! nginx is not installed (apt-get install -y nginx): test IGNORED !!!\n");
}

Deno.test({
  name: "docs/nginx.conf balances votes and the live tally over two instances",
  ignore: !nginx || !await postgresAvailable(),
}, async () => {
  const dbs = await testDatabases();
  const dir = await Deno.makeTempDir({ prefix: "matdaan-nginx-" });
  const url = await dbs.create();
  const servers = await Promise.all([0, 1].map(() => startServer(["--database-url", url])));
  const port = freePort();
  const conf = (await Deno.readTextFile(CONF))
    .replace("server 127.0.0.1:8001", `server 127.0.0.1:${servers[0].port}`)
    .replace("server 127.0.0.1:8002", `server 127.0.0.1:${servers[1].port}`)
    .replace("listen 80;", `listen 127.0.0.1:${port};\n    access_log off;`)
    .replace("worker_processes auto;", "worker_processes 1;");
  await Deno.writeTextFile(`${dir}/nginx.conf`, conf);
  await Deno.mkdir(`${dir}/logs`);
  const proc = new Deno.Command(nginx, {
    args: ["-p", dir, "-c", `${dir}/nginx.conf`, "-g", `daemon off; pid ${dir}/nginx.pid;`],
    stdout: "null",
    stderr: "piped",
  }).spawn();
  try {
    const base = `http://127.0.0.1:${port}`;
    await waitFor(
      async () => {
        try {
          await (await fetch(`${base}/healthz`)).body?.cancel();
          return true;
        } catch {
          return false;
        }
      },
      5000,
      { intervalMs: 50, what: "nginx to answer" },
    );
    const ws = new WebSocket(`ws://127.0.0.1:${port}/ws/tally`);
    const seen = new Promise<Tally>((resolve) => {
      ws.onmessage = (e) => {
        const tally = JSON.parse(e.data) as Tally;
        if (tally.total === 20) resolve(tally);
      };
    });
    const statuses = [];
    for (let n = 0; n < 20; n++) {
      const res = await fetch(`${base}/api/votes`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: voteBody(n, "aap"),
      });
      await res.body?.cancel();
      statuses.push(res.status);
    }
    assert.deepEqual(statuses, Array(20).fill(201));
    const again = await fetch(`${base}/api/votes`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: voteBody(3, "bjp"),
    });
    assert.equal(again.status, 409);
    await again.body?.cancel();
    assert.equal((await seen).parties.find((p) => p.id === "aap")!.votes, 20);
    ws.close();
  } finally {
    proc.kill("SIGQUIT");
    await proc.status;
    await proc.stderr.cancel();
    await Promise.all(servers.map((s) => s.stop()));
    await dbs.dispose();
    await Deno.remove(dir, { recursive: true });
  }
});
