/** The live feeds, the PostgreSQL notifier and their coalescing timer, on a clock moved by hand. */
import assert from "node:assert/strict";
import type postgres from "postgres";
import { Coalescer } from "../lib/live/coalescer.ts";
import { PgNotifier } from "../lib/store/postgres/pg_notifier.ts";
import { TurnoutFeed } from "../lib/live/turnout_feed.ts";
import { openSqliteStore } from "../lib/store/sqlite/sqlite_store.ts";
import { ManualTimers } from "../lib/timers.ts";
import { ballot } from "./_voters.ts";
import { waitFor } from "./_wait.ts";

/** A socket that records what it is sent; `bufferedAmount` says how much it left unread. */
function fakeSocket(bufferedAmount = 0) {
  return {
    sent: [] as { type: string; entries?: unknown[] }[],
    bufferedAmount,
    closedWith: null as number | null,
    send(data: string) {
      this.sent.push(JSON.parse(data));
    },
    close(code = 1000) {
      this.closedWith = code;
    },
  };
}

Deno.test("Coalescer runs a burst once per interval, and at once after a quiet interval", () => {
  const timers = new ManualTimers(5000);
  const runs: number[] = [];
  const coalescer = new Coalescer(() => runs.push(timers.now()), { intervalMs: 100, timers });
  coalescer.request();
  timers.advance(0);
  for (let t = 0; t < 250; t += 10) {
    coalescer.request();
    timers.advance(10);
  }
  // At 5000, then every 100 ms while requests keep coming.
  assert.deepEqual(runs, [5000, 5100, 5200]);
  timers.advance(1000);
  assert.deepEqual(runs, [5000, 5100, 5200, 5300]);
  coalescer.request();
  timers.advance(0);
  assert.equal(runs.at(-1), 6250, "a request after a quiet interval runs without waiting");
  coalescer.request();
  coalescer.flush();
  assert.equal(runs.length, 6, "flush runs a scheduled run now");
  coalescer.request();
  coalescer.cancel();
  timers.advance(1000);
  assert.equal(runs.length, 6, "cancel drops a scheduled run");
  assert.equal(timers.pending, 0);
});

Deno.test("TurnoutFeed drops an admin socket that stops reading, and keeps the others", async () => {
  const dir = await Deno.makeTempDir();
  const store = await openSqliteStore(`${dir}/e.db`, { step: 1 });
  const feed = new TurnoutFeed(store);
  try {
    await store.cast(ballot(1));
    const stuck = fakeSocket(2 << 20);
    const reader = fakeSocket();
    feed.add(stuck);
    feed.add(reader);
    // Sockets are served in turn: once the reader has its entries, the stuck one was handled.
    await waitFor(() => reader.sent.some((m) => m.type === "turnout"), 5000, {
      what: "the reader's register entries",
    });
    assert.equal(stuck.closedWith, 1013, "the stuck socket is closed");
    assert.deepEqual(stuck.sent, [], "nothing more is queued for the stuck socket");
    assert.equal(reader.closedWith, null);
  } finally {
    feed.stop();
    await store.shutdown();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("TurnoutFeed sends new register entries once per interval, from where each socket left off", async () => {
  const dir = await Deno.makeTempDir();
  const store = await openSqliteStore(`${dir}/e.db`, { step: 1 });
  const timers = new ManualTimers();
  const feed = new TurnoutFeed(store, { intervalMs: 250, timers });
  try {
    await store.cast(ballot(1));
    const socket = fakeSocket();
    feed.add(socket);
    await feed.idle();
    assert.deepEqual(socket.sent.map((m) => [m.type, m.entries?.length]), [
      ["tally", undefined],
      ["turnout", 1],
    ]);
    await store.cast(ballot(2));
    await store.cast(ballot(3));
    timers.advance(0);
    await feed.idle();
    assert.equal(socket.sent.length, 4, "one round for the first change after a quiet interval");
    await store.cast(ballot(4));
    timers.advance(249);
    await feed.idle();
    assert.equal(socket.sent.length, 4, "nothing before the interval is over");
    timers.advance(1);
    await feed.idle();
    assert.deepEqual(socket.sent.map((m) => [m.type, m.entries?.length]).slice(2), [
      ["tally", undefined],
      ["turnout", 2],
      ["tally", undefined],
      ["turnout", 1],
    ]);
    assert.equal(feed.size, 1);
  } finally {
    feed.stop();
    await store.shutdown();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("PgNotifier announces a burst of commits once, with the newest version, and flushes on stop", async () => {
  const timers = new ManualTimers();
  const notified: string[] = [];
  let relisten = () => {};
  // Only the two calls the notifier makes of the pool (the real ones: postgres_notifier_test.ts).
  const sql = {
    listen(_channel: string, _onNotify: (payload: string) => void, onListen: () => void) {
      relisten = onListen;
      onListen();
      return Promise.resolve({ state: {}, unlisten: () => Promise.resolve() });
    },
    notify(_channel: string, payload: string) {
      notified.push(payload);
      return Promise.resolve([]);
    },
  };
  const changes: (number | null)[] = [];
  const notifier = new PgNotifier(sql as unknown as postgres.Sql, {
    intervalMs: 200,
    timers,
    onChange: (version) => changes.push(version),
  });
  await notifier.start();
  assert.deepEqual(changes, [null], "a first LISTEN resynchronises");
  relisten();
  assert.deepEqual(changes, [null, null], "so does every later one");
  for (let v = 1; v <= 5; v++) notifier.changed(v);
  timers.advance(0);
  assert.deepEqual(notified, ["5"]);
  for (let v = 6; v <= 9; v++) notifier.changed(v);
  timers.advance(199);
  assert.deepEqual(notified, ["5"]);
  timers.advance(1);
  assert.deepEqual(notified, ["5", "9"]);
  notifier.changed(10);
  await notifier.stop();
  assert.deepEqual(notified, ["5", "9", "10"], "stop sends what is pending");
  notifier.changed(11);
  timers.advance(1000);
  assert.equal(notified.length, 3, "nothing after stop");
});
