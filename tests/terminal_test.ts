// deno-lint-ignore-file no-control-regex -- the terminal test looks for ANSI escapes on purpose
/**
 * The live terminal, with the real server: under a pseudo-terminal (util-linux
 * `script`) the status line is redrawn in place and a QR code of the booth URL
 * is shown; through a pipe the same news comes as plain lines.
 */
import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { buildOnce, startServer } from "./_server.ts";
import { sendVote } from "./_voters.ts";
import { waitFor } from "./_wait.ts";
import { decodeTerminalQr } from "./_qr.ts";

const MAIN = fileURLToPath(new URL("../main.ts", import.meta.url));
const hasScript = (() => {
  try {
    return new Deno.Command("script", { args: ["--version"] }).outputSync().success;
  } catch {
    return false;
  }
})();

function shellQuote(word: string): string {
  return `'${word.replaceAll("'", `'\\''`)}'`;
}

let nextVoter = 1000;
async function castVotes(url: string, parties: string[]) {
  for (const party of parties) {
    const res = await sendVote(url, nextVoter++, party);
    assert.equal(res.status, 201, await res.text());
  }
}

Deno.test({
  name:
    "under a terminal: a QR code of the booth URL, one status line in place, the close and the winner",
  ignore: !hasScript && Deno.env.get("CI") !== "true",
  async fn() {
    await buildOnce();
    const dir = await Deno.makeTempDir({ prefix: "matdaan-tty-" });
    const command = [Deno.execPath(), "run", "--allow-all", MAIN, "--db", `${dir}/e.db`]
      .concat([
        "--port",
        "0",
        "--host",
        "127.0.0.1",
        "--limit",
        "3",
        "--timezone",
        "Asia/Kolkata",
        "--step",
        "1",
      ])
      .map(shellQuote).join(" ");
    // `exec`: script runs the command through $SHELL, and a shell that waits
    // for it would take the terminal's Ctrl-C itself and die of it (status
    // 130) while the server under it stops cleanly.
    const child = new Deno.Command("script", {
      args: ["-qfec", `exec ${command}`, "/dev/null"],
      stdin: "piped",
      stdout: "piped",
      stderr: "piped",
    }).spawn();
    let text = "";
    const decoder = new TextDecoder();
    const pump = (async () => {
      for await (const chunk of child.stdout) text += decoder.decode(chunk, { stream: true });
    })();
    const drainErr = child.stderr.cancel();
    const writer = child.stdin.getWriter();
    try {
      await waitFor(() => /Voting open · 0 of 3 votes/.test(text), 30_000, {
        what: () => `the status line:\n${text}`,
      });
      const port = Number(text.match(/Listening on port (\d+)/)![1]);
      // 127.0.0.1 has no LAN address, so the booth URL is the one it listens on.
      assert.equal(decodeTerminalQr(text), `http://127.0.0.1:${port}/`);
      await castVotes(`http://127.0.0.1:${port}`, ["aap", "bjp"]);
      await waitFor(() => text.includes("Voting open · 2 of 3 votes"), 10_000, {
        what: () => `the status line to count two votes:\n${text}`,
      });
      assert.match(
        text,
        /\r\x1b\[2KVoting open · 2 of 3 votes \(66\.7% of the limit\) · 2 votes\/min/,
      );
      assert.doesNotMatch(text.split("Voting open")[1], /AAP|BJP/, "no party counts while open");
      await castVotes(`http://127.0.0.1:${port}`, ["aap"]);
      await waitFor(() => text.includes("AAP wins."), 10_000, {
        what: () => `the winner:\n${text}`,
      });
      assert.match(
        text,
        /Voting closed at \d\d:\d\d:\d\d IST: the limit of 3 votes was reached\.\r?\n/,
      );
      assert.match(text, /AAP\s+2\s+66\.7%/);
      await writer.write(new Uint8Array([3])); // Ctrl-C, through the terminal
      const { code } = await child.status;
      assert.equal(code, 0, text);
      assert.match(text, /Stopped cleanly/);
    } finally {
      await writer.close().catch(() => {});
      try {
        child.kill("SIGKILL");
      } catch { /* already exited */ }
      await child.status;
      await pump;
      await drainErr.catch(() => {});
      await Deno.remove(dir, { recursive: true });
    }
  },
});

Deno.test("through a pipe: plain status lines, the close notice, and the result again at a restart", async () => {
  const dir = await Deno.makeTempDir({ prefix: "matdaan-pipe-" });
  try {
    const server = await startServer(["--db", `${dir}/e.db`, "--limit", "2", "--timezone", "UTC"]);
    await waitFor(() => server.output().includes("Voting open · 0 of 2 votes"), 10_000, {
      what: () => server.output(),
    });
    await castVotes(server.url, ["bjp", "bjp"]);
    await waitFor(() => server.output().includes("BJP wins."), 10_000, {
      what: () => server.output(),
    });
    const out = server.output();
    assert.match(out, /^Voting closed at \d\d:\d\d:\d\d UTC: the limit of 2 votes was reached\.$/m);
    assert.match(out, /^Join: http:\/\/127\.0\.0\.1:\d+\/ {2}\(projector view: .*\/present\)$/m);
    assert.doesNotMatch(out, /\x1b\[/, "no terminal escapes in a log");
    assert.doesNotMatch(out, /█/, "no QR code in a log");
    assert.equal(await server.stop(), 0);

    const again = await startServer(["--db", `${dir}/e.db`]);
    await waitFor(() => again.output().includes("BJP wins."), 10_000, {
      what: () => again.output(),
    });
    assert.match(again.output(), /^Result \(2 votes\):$/m);
    assert.equal(await again.stop(), 0);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
