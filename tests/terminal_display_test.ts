// deno-lint-ignore-file no-control-regex -- the display's output is checked for ANSI escapes on purpose
/** TerminalDisplay on a manual clock: votes per minute, in-place redraws, plain-line throttling. */
import assert from "node:assert/strict";
import type { Tally } from "../lib/election/types.ts";
import { ManualTimers } from "../lib/timers.ts";
import { TerminalDisplay } from "../lib/server/terminal_display.ts";

function openTally(total: number, limit: number | null = null): Tally {
  return {
    status: "open",
    total,
    limit,
    parties: [{ id: "bjp", name: "BJP", votes: total }],
    closedReason: null,
    result: null,
    results: "live",
    step: { size: 1, published: total },
  };
}

function setUp(inPlace: boolean, columns = 200) {
  const timers = new ManualTimers(Date.UTC(2026, 0, 26, 3, 0, 0));
  let tally = openTally(0, 100);
  let out = "";
  const display = new TerminalDisplay({ snapshot: () => tally }, {
    write: (text) => out += text,
    inPlace,
    timeZone: "Asia/Kolkata",
    timers,
    columns: () => columns,
  });
  return {
    timers,
    display,
    set: (next: Tally) => tally = next,
    output: () => out,
  };
}

Deno.test("TerminalDisplay counts the votes of the last minute, not since the start", () => {
  const t = setUp(true);
  t.display.start();
  for (let s = 1; s <= 60; s++) {
    t.set(openTally(s * 2, 1000));
    t.timers.advance(1000);
  }
  assert.match(t.output(), /120 of 1000 votes \(12\.0% of the limit\) · 120 votes\/min$/);
  t.timers.advance(30_000); // no votes for half a minute
  assert.match(t.output(), /· 60 votes\/min$/);
  t.timers.advance(31_000);
  assert.match(t.output(), /· 0 votes\/min$/);
  t.display.stop();
});

Deno.test("TerminalDisplay redraws one line in place and writes a notice above it", () => {
  const t = setUp(true);
  t.display.start();
  assert.equal(
    t.output(),
    "\r\x1b[2KVoting open · 0 of 100 votes (0.0% of the limit) · 0 votes/min",
  );
  t.timers.advance(1000);
  assert.equal(t.output().split("\r\x1b[2K").length, 2, "nothing changed, nothing redrawn");
  t.display.log("SIGINT: stopping");
  assert.match(t.output(), /\r\x1b\[2KSIGINT: stopping\nVoting open · 0 of 100/);
  assert.doesNotMatch(t.output(), /\n$/);
  t.display.stop();
  assert.match(t.output(), /\n$/, "the last status line is left on a line of its own");
});

Deno.test("TerminalDisplay in a log writes a plain line when the status changes, at most every 10 s", () => {
  const t = setUp(false);
  t.display.start();
  for (let s = 1; s <= 25; s++) {
    t.set(openTally(s, 100));
    t.timers.advance(1000);
  }
  const lines = t.output().trimEnd().split("\n");
  assert.deepEqual(lines.map((l) => l.match(/· (\d+) of 100/)?.[1]), ["0", "10", "20"]);
  assert.doesNotMatch(t.output(), /\x1b|\r/);
  t.set({
    ...openTally(25, 100),
    status: "closed",
    closedReason: "admin",
    result: { winner: "bjp", tie: [] },
  });
  t.timers.advance(1000);
  assert.match(t.output(), /\nVoting closed at 08:30:26 IST: the administrator ended it\.\n/);
  assert.match(t.output(), /\nBJP wins\.\n$/);
  t.display.stop();
});

Deno.test("TerminalDisplay cuts the line to the terminal's width, so it never wraps", () => {
  const t = setUp(true, 40);
  t.display.start();
  assert.equal(t.output(), "\r\x1b[2KVoting open · 0 of 100 votes (0.0% of …");
  assert.equal([...t.output().slice(5)].length, 39);
  t.display.stop();
});

Deno.test("TerminalDisplay says when a waiting election opens, and why it closed at its time", () => {
  const day = { opensAt: null, byAdmin: true, closesAt: null, mockPoll: false };
  const t = setUp(false);
  t.set({ ...openTally(0, 100), status: "pending", day });
  t.display.start();
  assert.match(t.output(), /^Voting not open yet · 0 of 100 votes/);
  t.set({ ...openTally(2, 100), status: "pending", day: { ...day, mockPoll: true } });
  t.timers.advance(10_000);
  assert.match(t.output(), /\nMock poll, voting not open yet · 2 mock votes\n$/);
  t.set({ ...openTally(0, 100), day });
  t.timers.advance(10_000);
  assert.match(t.output(), /\nVoting opened at 08:30:\d\d IST\.\nVoting open · 0 of 100 votes/);
  t.set({
    ...openTally(1, 100),
    status: "closed",
    closedReason: "schedule",
    result: { winner: "bjp", tie: [] },
  });
  t.timers.advance(10_000);
  assert.match(t.output(), /Voting closed at 08:30:\d\d IST: the closing time was reached\.\n/);
  assert.match(t.output(), /BJP wins\./);
  t.display.stop();
});

Deno.test("TerminalDisplay never counts a cleared mock poll's votes in the votes per minute", () => {
  const day = { opensAt: null, byAdmin: true, closesAt: null, mockPoll: false };
  const t = setUp(true);
  t.set({ ...openTally(0, 100), status: "pending", day });
  t.display.start();
  for (let n = 1; n <= 3; n++) {
    t.set({ ...openTally(n, 100), status: "pending", day: { ...day, mockPoll: true } });
    t.timers.advance(1000);
  }
  t.timers.advance(60_000); // the agents check the mock result for a minute
  // Cleared and opened within the minute: the three mock votes are gone, not "−3 votes/min".
  t.set({ ...openTally(0, 100), day });
  t.timers.advance(1000);
  assert.match(t.output(), /Voting open · 0 of 100 votes \(0\.0% of the limit\) · 0 votes\/min$/);
  t.set({ ...openTally(2, 100), day });
  t.timers.advance(1000);
  assert.match(t.output(), /· 2 votes\/min$/);
  assert.doesNotMatch(t.output(), /-\d+ votes\/min/);
  t.display.stop();
});
