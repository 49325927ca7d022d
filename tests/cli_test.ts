import assert from "node:assert/strict";
import { CliError, parseCli } from "../lib/server/cli.ts";
import { setDatabaseAside } from "../lib/store/db_file.ts";
import { ElectionMismatchError, reconcileElection } from "../lib/election/election_config.ts";
import {
  DEFAULT_PARTIES,
  parseParties,
  PartiesFileError,
  readPartiesFile,
} from "../lib/election/parties.ts";
import { serverUrls } from "../lib/server/server_urls.ts";

Deno.test("parseCli() takes --roll-upload-limit in whole MiB", () => {
  assert.equal(parseCli(["--roll-upload-limit", "200"]).rollUploadLimit, 200);
  assert.throws(() => parseCli(["--roll-upload-limit", "0"]), CliError);
  assert.throws(() => parseCli(["--roll-upload-limit", "1.5"]), CliError);
});

Deno.test("parseCli() fills in defaults", () => {
  assert.deepEqual(parseCli([]), {
    limit: undefined,
    port: 8000,
    host: "0.0.0.0",
    db: "data/election.db",
    partiesFile: undefined,
    databaseUrl: undefined,
    poolSize: 10,
    adminPasswordFile: undefined,
    tls: undefined,
    results: undefined,
    step: undefined,
    opensAt: undefined,
    closesAt: undefined,
    timeZone: Intl.DateTimeFormat().resolvedOptions().timeZone,
    newElection: false,
    maxConnections: undefined,
    connectionsPerClient: undefined,
    trustProxy: [],
    httpServer: "guarded",
    socketsPerClient: undefined,
    requestsPerClient: 1000,
    roll: undefined,
    codes: false,
    codesOut: undefined,
    slips: undefined,
    slipsLang: "en",
    publicUrl: undefined,
    rollUploadLimit: 64,
    help: false,
  });
  assert.equal(parseCli(["--slips-lang", "hi"]).slipsLang, "hi");
  assert.equal(parseCli(["--requests-per-client", "0"]).requestsPerClient, 0);
  assert.equal(parseCli(["--requests-per-client", "50"]).requestsPerClient, 50);
  assert.throws(() => parseCli(["--slips-lang", "ta"]), /--slips-lang must be en or hi, not "ta"/);
  const modes = parseCli(["--results", "turnout", "--step", "25"]);
  assert.deepEqual([modes.results, modes.step], ["turnout", 25]);
  assert.throws(() => parseCli(["--results", "secret"]), /live, turnout or sealed/);
  assert.throws(() => parseCli(["--step", "0"]), /--step must be a whole number/);
  const o = parseCli(["--limit", "100", "--port=9000", "--new-election", "--db", "x.db"]);
  assert.equal(o.limit, 100);
  assert.equal(o.port, 9000);
  assert.equal(o.newElection, true);
  assert.equal(o.db, "x.db");
});

Deno.test("parseCli() refuses bad values and unknown flags with a clear message", () => {
  const bad: [string[], RegExp][] = [
    [["--limit", "-3"], /--limit must be a whole number from 1/],
    [["--limit", "abc"], /--limit must be a whole number/],
    [["--limit", "0"], /--limit must be a whole number/],
    [["--limit", "2.5"], /--limit must be a whole number/],
    [["--port", "70000"], /--port must be a whole number from 0 to 65535/],
    [["--http-server", "fast"], /--http-server must be guarded or deno, not "fast"/],
    [["--requests-per-client", "-1"], /--requests-per-client must be a whole number/],
    [["--frobnicate"], /frobnicate/],
    [["--limit"], /limit/],
    [["stray"], /stray/],
    [["--db", ""], /--db needs a value/],
    [["--cert", "c.pem"], /--cert and --key go together/],
    [["--key", "k.pem"], /--cert and --key go together/],
  ];
  for (const [args, message] of bad) {
    assert.throws(() => parseCli(args), (e) => e instanceof CliError && message.test(e.message));
  }
});

Deno.test("reconcileElection() resumes a stored election and refuses contradictions", () => {
  const stored = {
    limit: 10,
    parties: [...DEFAULT_PARTIES],
    results: "live" as const,
    step: 10,
    schedule: { opensAt: null, closesAt: null },
  };
  assert.deepEqual(reconcileElection(stored, {}), stored);
  assert.throws(() => reconcileElection(stored, { results: "sealed" }), /--new-election/);
  assert.throws(() => reconcileElection(stored, { step: 5 }), /steps of 10 votes/);
  assert.deepEqual(reconcileElection(stored, { limit: 10 }), stored);
  assert.throws(() => reconcileElection(stored, { limit: 11 }), ElectionMismatchError);
  assert.throws(() => reconcileElection(stored, { limit: null }), /no limit/);
  const recoloured = DEFAULT_PARTIES.map((p) => ({ ...p, color: "#000000" }));
  assert.equal(reconcileElection(stored, { parties: recoloured }).parties[0].color, "#000000");
  assert.throws(
    () => reconcileElection(stored, { parties: DEFAULT_PARTIES.slice(0, 3) }),
    /--new-election/,
  );
  assert.deepEqual(reconcileElection(null, {}), {
    limit: null,
    parties: [...DEFAULT_PARTIES],
    results: "live",
    step: 10,
    schedule: { opensAt: null, closesAt: null },
  });
});

Deno.test("parseCli() takes --opens-at and --closes-at only with a zone, and in order", () => {
  const o = parseCli([
    "--opens-at",
    "2026-11-30T07:00+05:30",
    "--closes-at=2026-11-30T18:00:00+0530",
  ]);
  assert.deepEqual([o.opensAt, o.closesAt], [
    Date.UTC(2026, 10, 30, 1, 30),
    Date.UTC(2026, 10, 30, 12, 30),
  ]);
  assert.equal(parseCli(["--opens-at", "admin"]).opensAt, "admin");
  assert.throws(() => parseCli(["--opens-at", "2026-11-30 07:00"]), /with its zone, such as/);
  assert.throws(() => parseCli(["--closes-at", "tomorrow"]), /--closes-at must be a date and time/);
  assert.throws(
    () => parseCli(["--opens-at", "2026-11-30T07:00Z", "--closes-at", "2026-11-30T07:00Z"]),
    /voting must open before it closes/,
  );
});

Deno.test("parseParties() checks the list and resolves logos against the file's folder", () => {
  const a = { id: "a", name: "Alpha", color: "#112233", logo: "a.png" };
  const b = { id: "b", name: "Beta", color: "#445566", logo: "/abs/b.svg" };
  assert.deepEqual(parseParties([a, b], "/srv").map((p) => p.logo), ["/srv/a.png", "/abs/b.svg"]);
  assert.throws(() => parseParties([a], "/"), /at least two/);
  assert.throws(() => parseParties([a, a], "/"), /unique/);
  assert.throws(() => parseParties([a, { ...b, color: "red" }], "/"), /#rrggbb/);
  assert.throws(() => parseParties([a, { ...b, id: "B B" }], "/"), /lower-case/);
  assert.throws(() => parseParties({ a }, "/"), PartiesFileError);
});

Deno.test("readPartiesFile() names the file when it cannot be read or parsed", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await assert.rejects(
      readPartiesFile(`${dir}/missing.json`),
      /cannot read parties file .*missing\.json/,
    );
    await Deno.writeTextFile(`${dir}/bad.json`, "[{");
    await assert.rejects(readPartiesFile(`${dir}/bad.json`), /bad\.json is not valid JSON/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("serverUrls() lists every IPv4 address when bound to all interfaces", () => {
  const nics = [
    { family: "IPv4" as const, address: "127.0.0.1" },
    { family: "IPv4" as const, address: "10.1.2.3" },
    { family: "IPv6" as const, address: "fe80::1" },
  ];
  assert.deepEqual(serverUrls("0.0.0.0", 8000, nics), [
    "http://localhost:8000",
    "http://10.1.2.3:8000",
  ]);
  assert.deepEqual(serverUrls("127.0.0.1", 80, nics), ["http://127.0.0.1:80"]);
  assert.deepEqual(serverUrls("::1", 443, nics, { secure: true }), ["https://[::1]:443"]);
});

Deno.test("setDatabaseAside() renames the file with a time stamp and never overwrites", async () => {
  const dir = await Deno.makeTempDir();
  try {
    assert.equal(await setDatabaseAside(`${dir}/e.db`), null);
    const when = new Date("2026-01-02T03:04:05.678Z");
    await Deno.writeTextFile(`${dir}/e.db`, "");
    assert.equal(await setDatabaseAside(`${dir}/e.db`, when), `${dir}/e-2026-01-02T03-04-05Z.db`);
    await Deno.writeTextFile(`${dir}/e.db`, "");
    assert.equal(await setDatabaseAside(`${dir}/e.db`, when), `${dir}/e-2026-01-02T03-04-05Z-2.db`);
    const names = [...Deno.readDirSync(dir)].map((e) => e.name).sort();
    assert.deepEqual(names, ["e-2026-01-02T03-04-05Z-2.db", "e-2026-01-02T03-04-05Z.db"]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
