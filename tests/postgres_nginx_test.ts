/** docs/nginx.conf, run for real in front of two instances on one database. */
import assert from "node:assert/strict";
import type { Tally } from "../lib/election/types.ts";
import { postgresAvailable, testDatabases } from "./_postgres.ts";
import { startServer } from "./_server.ts";
import { writeRoll } from "./_roll.ts";
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

/** Runs docs/nginx.conf in front of `ports`, round-robin, on a free port of its own. */
async function startNginx(ports: number[], dir: string) {
  const port = freePort();
  const conf = (await Deno.readTextFile(CONF))
    .replace("server 127.0.0.1:8001", `server 127.0.0.1:${ports[0]}`)
    .replace("server 127.0.0.1:8002", `server 127.0.0.1:${ports[1]}`)
    // Round-robin, so that consecutive requests go to different instances.
    .replace("least_conn;", "")
    .replace("listen 80;", `listen 127.0.0.1:${port};\n    access_log off;`)
    .replace("worker_processes auto;", "worker_processes 1;");
  await Deno.writeTextFile(`${dir}/nginx.conf`, conf);
  await Deno.mkdir(`${dir}/logs`);
  const proc = new Deno.Command(nginx, {
    args: ["-p", dir, "-c", `${dir}/nginx.conf`, "-g", `daemon off; pid ${dir}/nginx.pid;`],
    stdout: "null",
    stderr: "piped",
  }).spawn();
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
  return {
    port,
    base,
    async stop() {
      proc.kill("SIGQUIT");
      await proc.status;
      await proc.stderr.cancel();
    },
  };
}

Deno.test({
  name: "docs/nginx.conf balances votes and the live tally over two instances",
  ignore: !nginx || !await postgresAvailable(),
}, async () => {
  const dbs = await testDatabases();
  const dir = await Deno.makeTempDir({ prefix: "matdaan-nginx-" });
  const url = await dbs.create();
  const servers = await Promise.all([0, 1].map(() => startServer(["--database-url", url])));
  const proxy = await startNginx(servers.map((s) => s.port), dir);
  const { port, base } = proxy;
  try {
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
    await proxy.stop();
    await Promise.all(servers.map((s) => s.stop()));
    await dbs.dispose();
    await Deno.remove(dir, { recursive: true });
  }
});

/** The administrator's password the instances of `behindNginx` share. */
const password = "correct horse battery";

/**
 * Two instances on a new database with `--trust-proxy 127.0.0.1` and `password`, behind
 * docs/nginx.conf; `work` gets the proxy and a folder of its own, and everything is stopped and removed afterwards.
 */
async function behindNginx(
  prefix: string,
  work: (proxy: Awaited<ReturnType<typeof startNginx>>, dir: string) => Promise<void>,
) {
  const dbs = await testDatabases();
  const dir = await Deno.makeTempDir({ prefix });
  const url = await dbs.create();
  const servers = await Promise.all(
    [0, 1].map(() =>
      startServer(["--database-url", url, "--trust-proxy", "127.0.0.1"], {
        env: { ADMIN_PASSWORD: password },
      })
    ),
  );
  const proxy = await startNginx(servers.map((s) => s.port), dir);
  try {
    await work(proxy, dir);
  } finally {
    await proxy.stop();
    await Promise.all(servers.map((s) => s.stop()));
    await dbs.dispose();
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test({
  name: "the administrator signs in, sees the panel and ends voting through round-robin nginx",
  ignore: !nginx || !await postgresAvailable(),
}, async () => {
  await behindNginx("matdaan-nginx-admin-", async (proxy) => {
    const signIn = await fetch(`${proxy.base}/admin/login`, {
      method: "POST",
      body: new URLSearchParams({ password }),
      redirect: "manual",
    });
    await signIn.body?.cancel();
    assert.equal(signIn.status, 303);
    const cookie = signIn.headers.get("set-cookie")!.split(";")[0];
    // Every request lands on the other instance than the one before; each knows the session.
    for (let i = 0; i < 6; i++) {
      const panel = await fetch(`${proxy.base}/admin`, { headers: { cookie } });
      assert.match(await panel.text(), /Election administration/, `request ${i}`);
    }
    // deno-lint-ignore no-explicit-any
    const options = { headers: { cookie } } as any;
    const ws = new WebSocket(`ws://127.0.0.1:${proxy.port}/ws/admin`, options);
    let closedWith = 0;
    ws.onclose = (e) => closedWith = e.code;
    const first = new Promise((resolve) => ws.onmessage = resolve);
    await first;
    const close = await fetch(`${proxy.base}/admin/close`, {
      method: "POST",
      headers: { cookie, accept: "application/json" },
    });
    assert.equal(close.status, 200);
    assert.equal((await close.json()).status, "closed");
    // Signed out through whichever instance: the socket, on either, closes within a second.
    const signOut = await fetch(`${proxy.base}/admin/logout`, {
      method: "POST",
      headers: { cookie },
      redirect: "manual",
    });
    await signOut.body?.cancel();
    assert.equal(signOut.status, 303);
    await waitFor(() => closedWith !== 0, 1_000, { what: "the admin socket closed" });
    assert.equal(closedWith, 4401);
  });
});

Deno.test({
  name: "a browser on nginx's own port (not 80) votes, watches, signs in and uploads a roll",
  ignore: !nginx || !await postgresAvailable(),
}, async () => {
  await behindNginx("matdaan-nginx-browser-", async (proxy, dir) => {
    // What Chromium sends from a page of http://127.0.0.1:PORT: Host and Origin both with the port.
    const browser = { origin: proxy.base, "sec-fetch-site": "same-origin" };
    const ws = new WebSocket(`ws://127.0.0.1:${proxy.port}/ws/tally`, {
      headers: { origin: proxy.base },
      // deno-lint-ignore no-explicit-any
    } as any);
    const opened = await new Promise<boolean>((resolve) => {
      ws.onmessage = () => resolve(true);
      ws.onerror = () => resolve(false);
    });
    assert.ok(opened, "the results page's socket through nginx");
    ws.close();
    const vote = await fetch(`${proxy.base}/api/votes`, {
      method: "POST",
      headers: { ...browser, "content-type": "application/json" },
      body: voteBody(1, "aap"),
    });
    assert.equal(vote.status, 201, await vote.text());
    const signIn = await fetch(`${proxy.base}/admin/login`, {
      method: "POST",
      headers: browser,
      body: new URLSearchParams({ password }),
      redirect: "manual",
    });
    await signIn.body?.cancel();
    assert.equal(signIn.status, 303);
    const cookie = signIn.headers.get("set-cookie")!.split(";")[0];
    // A roll of a few thousand voters is well over 64 KiB; the panel takes up to 64 MiB.
    await writeRoll(`${dir}/roll.csv`, 3000, { from: 100 });
    const form = new FormData();
    form.append("roll", new Blob([await Deno.readFile(`${dir}/roll.csv`)]), "roll.csv");
    form.append("codes", "none");
    const upload = await fetch(`${proxy.base}/admin/roll/upload`, {
      method: "POST",
      headers: { ...browser, cookie, accept: "text/html" },
      body: form,
    });
    const page = await upload.text();
    // A vote was cast, so the server refuses the import itself (409), with its own page: not nginx's 413.
    assert.equal(upload.status, 409, page.slice(0, 300));
    assert.doesNotMatch(page, /nginx/);
  });
});
