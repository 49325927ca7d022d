import assert from "node:assert/strict";
import { TallyFeed } from "../lib/live/tally_feed.ts";
import { ManualTimers } from "../lib/timers.ts";
import { openTally, type TallyState } from "../lib/tally.ts";
import { openPublication, publishedTally } from "../lib/election/publication.ts";
import { applyVote } from "../lib/tally.ts";
import { DEFAULT_PARTIES } from "../lib/election/parties.ts";
import type { Tally } from "../lib/election/types.ts";
import { MANY_CLIENTS, startServer } from "./_server.ts";
import { sendVote } from "./_voters.ts";
import { waitFor } from "./_wait.ts";

/** Collects a socket's messages; `until` waits for one that satisfies a test. */
function follow(url: string) {
  const ws = new WebSocket(url);
  const messages: Tally[] = [];
  ws.onmessage = (e) => {
    messages.push(JSON.parse(e.data));
  };
  return {
    messages,
    ws,
    async until(test: (t: Tally) => boolean, timeoutMs = 10_000) {
      await waitFor(() => messages.some(test), timeoutMs, {
        what: () => `such a message; got ${JSON.stringify(messages.at(-1))}`,
      });
      return messages.find(test)!;
    },
    close() {
      const closed = new Promise((r) => ws.onclose = r);
      ws.close();
      return closed;
    },
  };
}

Deno.test("/ws/tally sends the tally on connect and coalesces a burst of votes", async () => {
  const dir = await Deno.makeTempDir();
  // 300 votes at once from this machine stand for 300 voters.
  const server = await startServer(["--db", `${dir}/e.db`, "--limit", "300", ...MANY_CLIENTS]);
  try {
    const socket = follow(`${server.url.replace("http", "ws")}/ws/tally`);
    const first = await socket.until(() => true);
    assert.equal(first.total, 0);
    assert.equal(first.limit, 300);
    const statuses = await Promise.all(Array.from({ length: 300 }, async (_, i) => {
      const res = await sendVote(server.url, i, "aap");
      await res.body?.cancel();
      return res.status;
    }));
    assert.equal(statuses.filter((s) => s === 201).length, 300);
    const last = await socket.until((t) => t.status === "closed");
    assert.equal(last.total, 300);
    assert.deepEqual(last.result, { winner: "aap", tie: [] });
    // 300 votes (and the close) arrive in far fewer messages, totals only rising.
    assert.ok(socket.messages.length < 60, `${socket.messages.length} messages`);
    assert.ok(
      socket.messages.every((m, i) => i === 0 || m.total! >= socket.messages[i - 1].total!),
    );
    await socket.close();
  } finally {
    await server.stop();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("TallyFeed drops a socket that stops reading, and keeps the others", () => {
  let state: TallyState = openTally(DEFAULT_PARTIES.map((p) => p.id), null);
  const listeners = new Set<(t: Tally) => void>();
  const source = {
    snapshot: () =>
      publishedTally(DEFAULT_PARTIES, state, {
        ...openPublication("live", 1, []),
        counts: state.counts,
      }),
    subscribe(l: (t: Tally) => void) {
      listeners.add(l);
      return () => listeners.delete(l);
    },
  };
  const timers = new ManualTimers();
  const feed = new TallyFeed(source, { intervalMs: 100, maxBufferedBytes: 1000, timers });
  const reader = {
    sent: [] as string[],
    bufferedAmount: 0,
    closed: false,
    send(d: string) {
      this.sent.push(d);
    },
    close() {
      this.closed = true;
    },
  };
  const stuck = { ...reader, sent: [] as string[], bufferedAmount: 5000 };
  feed.add(reader);
  feed.add(stuck);
  state = applyVote(state, "bjp");
  for (const l of listeners) l(source.snapshot());
  timers.advance(0);
  assert.equal(reader.sent.length, 2);
  assert.equal(JSON.parse(reader.sent[1]).total, 1);
  assert.equal(stuck.closed, true);
  assert.equal(feed.size, 1);
  feed.stop();
});
