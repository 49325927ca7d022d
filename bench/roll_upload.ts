/**
 * `deno run -A bench/roll_upload.ts [VOTERS] [--codes] [--skip-slips]`: imports a roll of
 * VOTERS (default 1,000,000) through the admin panel of a real server
 * process: the upload with its preview, then the confirmation. Prints the
 * seconds of each and the server's peak memory (VmHWM).
 */
import { voterId } from "../tests/_voters.ts";
import { waitFor } from "../tests/_wait.ts";

const voters = Number(Deno.args.find((a) => /^\d+$/.test(a)) ?? 1_000_000);
const codes = Deno.args.includes("--codes");
const skipSlips = Deno.args.includes("--skip-slips");
const dir = await Deno.makeTempDir({ prefix: "matdaan-roll-upload-" });
const csv = `${dir}/roll.csv`;
{
  const file = await Deno.open(csv, { write: true, create: true });
  const encoder = new TextEncoder();
  let lines = ["voter_id,name,age,address"];
  for (let n = 0; n < voters; n++) {
    lines.push(`${voterId(n)},Voter ${String.fromCharCode(65 + n % 26)},30,"${n} Roll Road, Pune"`);
    if (lines.length === 10_000) {
      await file.write(encoder.encode(lines.join("\n") + "\n"));
      lines = [];
    }
  }
  await file.write(encoder.encode(lines.join("\n") + "\n"));
  file.close();
}
const bytes = (await Deno.stat(csv)).size;
const password = "roll upload bench password";
const server = new Deno.Command(Deno.execPath(), {
  args: [
    "run",
    "-A",
    "main.ts",
    "--db",
    `${dir}/election.db`,
    "--port",
    "0",
    "--host",
    "127.0.0.1",
  ],
  env: { ADMIN_PASSWORD: password },
  stdout: "piped",
  stderr: "inherit",
}).spawn();
let output = "";
const reader = server.stdout.pipeThrough(new TextDecoderStream()).getReader();
(async () => {
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    output += value;
  }
})();
await waitFor(() => /Listening on port (\d+)/.test(output), 60_000);
const base = `http://127.0.0.1:${output.match(/Listening on port (\d+)/)![1]}`;
const login = await fetch(`${base}/admin/login`, {
  method: "POST",
  body: new URLSearchParams({ password }),
  redirect: "manual",
});
await login.body?.cancel();
const cookie = login.headers.get("set-cookie")!.split(";")[0];

const form = new FormData();
form.set("codes", codes ? "yes" : "no");
form.set("roll", new File([await Deno.readFile(csv)], "roll.csv"));
let t = performance.now();
const preview = await fetch(`${base}/admin/roll/upload`, {
  method: "POST",
  headers: { cookie },
  body: form,
});
const html = await preview.text();
const uploadSeconds = (performance.now() - t) / 1000;
const token = html.match(/name="token" value="([0-9a-f]+)"/)?.[1];
if (!token) throw new Error(`No preview (${preview.status}): ${html.slice(0, 500)}`);
// How long the server takes to answer /healthz while it imports: the worst of polls 50 ms apart.
let worst = 0;
let importing = true;
const polling = (async () => {
  while (importing) {
    const start = performance.now();
    await (await fetch(`${base}/healthz`)).body?.cancel();
    worst = Math.max(worst, performance.now() - start);
    await new Promise((r) => setTimeout(r, 50));
  }
})();
t = performance.now();
const done = await fetch(`${base}/admin/roll/confirm`, {
  method: "POST",
  headers: { cookie },
  body: new URLSearchParams({ token }),
});
const page = await done.text();
const confirmSeconds = (performance.now() - t) / 1000;
importing = false;
await polling;
if (done.status !== 200) throw new Error(`Confirm answered ${done.status}: ${page.slice(0, 500)}`);
let downloads = "";
const links = [...page.matchAll(/href="(\/admin\/roll\/download\/[0-9a-f]+)"/g)];
for (const link of skipSlips ? links.slice(0, 1) : links) {
  t = performance.now();
  const res = await fetch(`${base}${link[1]}`, { headers: { cookie } });
  const size = (await res.arrayBuffer()).byteLength;
  downloads += `; download ${(size / 2 ** 20).toFixed(1)} MiB in ${
    ((performance.now() - t) / 1000).toFixed(1)
  } s`;
}
const status = await Deno.readTextFile(`/proc/${server.pid}/status`);
const peak = Number(status.match(/VmHWM:\s+(\d+) kB/)![1]) / 1024;
server.kill("SIGTERM");
await server.status;
await Deno.remove(dir, { recursive: true });
console.log(
  `Panel import of ${voters.toLocaleString("en")} voters (${(bytes / 2 ** 20).toFixed(1)} MiB, ${
    codes ? "with codes and slips" : "no codes"
  }): upload and preview ${uploadSeconds.toFixed(1)} s, confirm ${
    confirmSeconds.toFixed(1)
  } s (/healthz answered within ${worst.toFixed(0)} ms meanwhile)${downloads}; server peak memory ${
    peak.toFixed(0)
  } MiB.`,
);
