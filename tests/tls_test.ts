/** HTTPS and WSS with a certificate made in the test. */
import assert from "node:assert/strict";
import { runMain, startServer } from "./_server.ts";

async function openssl(args: string[]) {
  const out = await new Deno.Command("openssl", { args, stdout: "null", stderr: "piped" }).output();
  assert.ok(out.success, new TextDecoder().decode(out.stderr));
}

/** A test CA and a server certificate for localhost and 127.0.0.1 signed by it. */
async function makeCertificates(dir: string) {
  const ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"];
  await openssl([
    "req",
    "-x509",
    ...ec,
    "-days",
    "1",
    "-subj",
    "/CN=Matdaan test CA",
    "-addext",
    "basicConstraints=critical,CA:TRUE",
    "-addext",
    "keyUsage=critical,keyCertSign",
    "-keyout",
    `${dir}/ca.key`,
    "-out",
    `${dir}/ca.pem`,
  ]);
  await openssl([
    "req",
    ...ec,
    "-subj",
    "/CN=localhost",
    "-keyout",
    `${dir}/key.pem`,
    "-out",
    `${dir}/server.csr`,
  ]);
  await Deno.writeTextFile(
    `${dir}/server.ext`,
    "subjectAltName=DNS:localhost,IP:127.0.0.1\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n",
  );
  await openssl([
    "x509",
    "-req",
    "-in",
    `${dir}/server.csr`,
    "-CA",
    `${dir}/ca.pem`,
    "-CAkey",
    `${dir}/ca.key`,
    "-CAcreateserial",
    "-days",
    "1",
    "-extfile",
    `${dir}/server.ext`,
    "-out",
    `${dir}/cert.pem`,
  ]);
}

Deno.test("--cert and --key serve HTTPS and WSS, with HSTS and Secure cookies", async () => {
  const dir = await Deno.makeTempDir({ prefix: "matdaan-tls-" });
  await makeCertificates(dir);
  const server = await startServer(
    ["--db", `${dir}/e.db`, "--cert", `${dir}/cert.pem`, "--key", `${dir}/key.pem`],
    { env: { ADMIN_PASSWORD: "correct horse battery" } },
  );
  const client = Deno.createHttpClient({ caCerts: [await Deno.readTextFile(`${dir}/ca.pem`)] });
  try {
    assert.match(server.output(), /https:\/\/127\.0\.0\.1:\d+\/results/);
    const url = server.url.replace("http:", "https:");
    const tally = await fetch(`${url}/api/tally`, { client });
    assert.equal(tally.status, 200);
    assert.equal((await tally.json()).status, "open");
    assert.match(tally.headers.get("strict-transport-security") ?? "", /max-age=\d+/);

    const login = await fetch(`${url}/admin/login`, {
      client,
      method: "POST",
      body: new URLSearchParams({ password: "correct horse battery" }),
      redirect: "manual",
    });
    assert.equal(login.status, 303);
    assert.match(login.headers.get("set-cookie") ?? "", /; Secure/);
    await login.body?.cancel();

    // A WebSocket over TLS, from a process that trusts the test's certificate.
    const probe = `const ws = new WebSocket("${url.replace("https:", "wss:")}/ws/tally");
      ws.onmessage = (e) => { console.log(JSON.parse(e.data).status); ws.close(); };`;
    const out = await new Deno.Command(Deno.execPath(), {
      args: ["eval", "--cert", `${dir}/ca.pem`, probe],
      stdout: "piped",
      stderr: "piped",
    }).output();
    assert.equal(
      new TextDecoder().decode(out.stdout).trim(),
      "open",
      new TextDecoder().decode(out.stderr),
    );
  } finally {
    client.close();
    await server.stop();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("unreadable TLS files are a clear start-up error", async () => {
  const result = await runMain([
    "--cert",
    "/nonexistent/cert.pem",
    "--key",
    "/nonexistent/key.pem",
  ]);
  assert.equal(result.code, 2);
  assert.match(result.stderr, /cannot read the certificate \/nonexistent\/cert\.pem/);
});
