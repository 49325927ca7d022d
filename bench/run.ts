/**
 * `deno task bench [votes] [signin] [postgres] [roll] [fanout] [restart] [weight]`: runs the benchmarks
 * (all by default), prints the figures, and after a full run rewrites bench/RESULTS.md.
 * Figures, not tests: nothing here passes or fails on speed.
 */
import { fileURLToPath } from "node:url";
import { benchFanout, type FanoutResult } from "./fanout.ts";
import { benchPageWeight, type PageWeight } from "./page_weight.ts";
import { benchRestart, type RestartResult } from "./restart.ts";
import { benchThroughput, type ThroughputResult } from "./throughput.ts";
import { haveWrk } from "./_wrk.ts";
import { benchPostgres } from "./postgres_bench.ts";
import { benchSignInFlood } from "./sign_in_flood.ts";
import { benchRollImport, benchRollThroughput } from "./roll.ts";

const RESULTS = fileURLToPath(new URL("./RESULTS.md", import.meta.url));
const chosen = new Set(
  Deno.args.length
    ? Deno.args
    : ["votes", "signin", "postgres", "roll", "fanout", "restart", "weight"],
);
const lines: string[] = [];

function say(line = "") {
  console.log(line);
  lines.push(line);
}

function machine(): string {
  const cpu = Deno.readTextFileSync("/proc/cpuinfo").match(/model name\s*:\s*(.*)/)?.[1] ??
    "unknown CPU";
  const memGiB = (Deno.systemMemoryInfo().total / 2 ** 30).toFixed(1);
  return `${navigator.hardwareConcurrency} cores (${cpu}), ${memGiB} GiB memory, Deno ${Deno.version.deno}, ${Deno.build.os}`;
}

const f = (n: number, digits = 0) => n.toLocaleString("en-US", { maximumFractionDigits: digits });

say("# Benchmark results");
say();
say(`Written by \`deno task bench\` on ${new Date().toISOString()}.`);
say(`Machine: ${machine()}.`);
say();

if (chosen.has("votes")) {
  say("## Vote throughput (wrk, 1 thread, 64 connections, 10 s)");
  say();
  if (!(await haveWrk())) {
    say(
      "Skipped: wrk is not installed. Install it with `apt-get install wrk` (Debian) and run again.",
    );
  } else {
    const r: ThroughputResult = await benchThroughput();
    say("| load | requests/s | p50 | p99 |");
    say("| --- | ---: | ---: | ---: |");
    say(
      `| bare Deno.serve hello-world | ${
        f(r.hello.perSecond)
      } | ${r.hello.p50Ms} ms | ${r.hello.p99Ms} ms |`,
    );
    say(
      `| POST /api/votes, distinct valid votes | ${
        f(r.votes.perSecond)
      } | ${r.votes.p50Ms} ms | ${r.votes.p99Ms} ms |`,
    );
    say(
      `| the same with \`--http-server deno\` | ${
        f(r.votesDeno.perSecond)
      } | ${r.votesDeno.p50Ms} ms | ${r.votesDeno.p99Ms} ms |`,
    );
    say();
    say(
      `Ratio votes/s ÷ hello-world requests/s: **${r.ratio.toFixed(3)}** (guarded server), ` +
        `**${r.ratioDeno.toFixed(3)}** (\`--http-server deno\`).`,
    );
    say(`Acknowledged ${f(r.acknowledged)} votes; the tally afterwards holds ${f(r.counted)}.`);
  }
  say();
}

if (chosen.has("signin")) {
  say(
    "## Votes beside a flood of failed sign-ins (wrk, 32 + 32 connections; 3 rounds of 3 s alone, 3 s flooded; median runs)",
  );
  say();
  if (!(await haveWrk())) {
    say("Skipped: wrk is not installed.");
  } else {
    const r = await benchSignInFlood();
    say("| load | votes/s | p50 | p99 |");
    say("| --- | ---: | ---: | ---: |");
    say(`| votes alone | ${f(r.alone.perSecond)} | ${r.alone.p50Ms} ms | ${r.alone.p99Ms} ms |`);
    say(
      `| votes beside ${f(r.flood.requests)} failed sign-ins (all rounds) | ${
        f(r.flooded.perSecond)
      } | ${r.flooded.p50Ms} ms | ${r.flooded.p99Ms} ms |`,
    );
    say();
    say(
      `Vote p99 ×${(r.flooded.p99Ms / r.alone.p99Ms).toFixed(2)} (target < 2); the flood left ${
        f(r.auditEntries)
      } audit entr${r.auditEntries === 1 ? "y" : "ies"}.`,
    );
  }
  say();
}

if (chosen.has("postgres")) {
  say("## Vote throughput on PostgreSQL (wrk, 64 connections in all, 10 s)");
  say();
  const figures = (await haveWrk()) ? await benchPostgres() : [];
  if (figures.length === 0) {
    say("Skipped: needs wrk and a PostgreSQL server (DATABASE_URL or 127.0.0.1:5432).");
  } else {
    say("| set-up | votes/s |");
    say("| --- | ---: |");
    for (const figure of figures) say(`| ${figure.name} | ${f(figure.votesPerSecond)} |`);
  }
  say();
}

if (chosen.has("roll")) {
  say("## The electoral roll");
  say();
  const imported = await benchRollImport();
  say(
    `Importing a roll of ${
      f(imported.voters)
    } voters with codes (one pass: checked, stored, codes hashed and written): **${
      f(imported.seconds, 1)
    } s** (${f(imported.cpuSeconds, 1)} s of CPU), peak memory ${f(imported.peakMb)} MB.`,
  );
  say();
  if (await haveWrk()) {
    const r = await benchRollThroughput();
    say(
      "| load (wrk, 1 thread, 64 connections, 10 s; open and roll in 5 alternating rounds) | requests/s | p50 | p99 | ÷ hello-world |",
    );
    say("| --- | ---: | ---: | ---: | ---: |");
    for (
      const [name, w, ratio] of [
        ["bare Deno.serve hello-world", r.hello, 1],
        ["votes, open election", r.open, r.openRatio],
        ["votes, roll of 300,000 with codes", r.roll, r.rollRatio],
      ] as const
    ) {
      say(`| ${name} | ${f(w.perSecond)} | ${w.p50Ms} ms | ${w.p99Ms} ms | ${ratio.toFixed(3)} |`);
    }
    say();
    say(
      `With a roll and codes, votes/s reach **${
        (r.rollRatio / r.openRatio).toFixed(2)
      }×** those of an open election in the same run (target ≥ 0.9).`,
    );
  } else say("Throughput skipped: wrk is not installed.");
  say();
}

if (chosen.has("fanout")) {
  say("## Live fan-out (votes at 1,000/s for 5 s)");
  say();
  say(
    "| sockets | votes | delay p50 | delay p99 | messages/socket | server memory | sockets behind |",
  );
  say("| ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
  for (const sockets of [1000, 10_000]) {
    const r: FanoutResult = await benchFanout(sockets);
    say(
      `| ${f(sockets)} | ${f(r.votes)} | ${f(r.p50Ms, 1)} ms | ${f(r.p99Ms, 1)} ms | ${
        f(r.messagesPerSocket, 1)
      } | ${f(r.serverRssMb)} MB | ${r.socketsBehind} |`,
    );
  }
  say();
  say(
    "Delay: from a vote's acknowledgment to the arrival of the step that publishes it (steps of 10),",
  );
  say("measured on 200 WebSockets; the rest are plain readers. Targets at 10,000 sockets:");
  say("p99 ≤ 250 ms, memory ≤ 500 MB.");
  say();
}

if (chosen.has("restart")) {
  say("## Restart");
  say();
  const r: RestartResult = await benchRestart();
  say(
    `Start to first answer with ${f(r.votes)} votes recorded: **${
      f(r.firstAnswerMs)
    } ms**, the median of ${r.runs.length} restarts (${
      r.runs.map((ms) => f(ms)).join(", ")
    } ms; target ≤ 1 s).`,
  );
  say();
}

if (chosen.has("weight")) {
  say("## Page weight (gzipped bytes)");
  say();
  say("| page | HTML | JavaScript | CSS | images | fonts (for Devanagari text) |");
  say("| --- | ---: | ---: | ---: | ---: | ---: |");
  for (const w of await benchPageWeight() as PageWeight[]) {
    say(`| ${w.page} | ${f(w.html)} | ${f(w.js)} | ${f(w.css)} | ${f(w.images)} | ${f(w.fonts)} |`);
  }
  say();
}

// Only a full run replaces the figures on record; a partial one just prints.
if (Deno.args.length === 0) {
  await Deno.writeTextFile(RESULTS, lines.join("\n") + "\n");
  console.log(`Wrote ${RESULTS}`);
}
