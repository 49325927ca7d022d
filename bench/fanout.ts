/**
 * Live fan-out: many dashboard WebSockets while votes flow at a steady rate.
 * Measures the delay from a vote's acknowledgment to its arrival at the
 * sockets, messages per socket, and the server's resident memory.
 */
import { MANY_CLIENTS, startServer } from "../tests/_server.ts";
import { sendVote } from "../tests/_voters.ts";
import { RawWsReader } from "./_raw_ws.ts";
import { waitFor } from "../tests/_wait.ts";

/** The figures of one fan-out run. */
export interface FanoutResult {
  sockets: number;
  votes: number;
  p50Ms: number;
  p99Ms: number;
  messagesPerSocket: number;
  serverRssMb: number;
  socketsBehind: number;
}

/** The value at quantile q of sorted numbers. */
export function quantile(sorted: number[], q: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}

function rssMb(pid: number): number {
  const status = Deno.readTextFileSync(`/proc/${pid}/status`);
  return Number(status.match(/VmRSS:\s+(\d+)/)?.[1] ?? 0) / 1024;
}

/** Opens `count` WebSockets that measure every message, a few hundred at a time. */
async function openSockets(
  url: string,
  count: number,
  onMessage: (i: number, data: string) => void,
) {
  const sockets: WebSocket[] = [];
  for (let start = 0; start < count; start += 250) {
    const opening: Promise<void>[] = [];
    for (let i = start; i < Math.min(count, start + 250); i++) {
      const ws = new WebSocket(url);
      ws.onmessage = (e) => onMessage(i, e.data);
      sockets.push(ws);
      opening.push(
        new Promise((resolve, reject) => {
          ws.onopen = () => resolve();
          ws.onerror = () => reject(new Error(`socket ${i} failed to open`));
        }),
      );
    }
    await Promise.all(opening);
  }
  return sockets;
}

/** Opens `count` cheap readers, a few hundred at a time. */
async function openReaders(port: number, count: number): Promise<RawWsReader[]> {
  const readers: RawWsReader[] = [];
  for (let start = 0; start < count; start += 250) {
    const batch = Math.min(250, count - start);
    readers.push(
      ...await Promise.all(
        Array.from({ length: batch }, () => RawWsReader.open(port, "/ws/tally")),
      ),
    );
  }
  return readers;
}

function totalOf(message: string): number {
  return Number(message.match(/"total":(\d+)/)?.[1] ?? 0);
}

/**
 * Runs the fan-out measurement.
 *
 * @param sockets How many dashboard sockets to open.
 * @param options Votes per second and how long to cast them.
 */
export async function benchFanout(
  sockets: number,
  options: { votesPerSecond?: number; seconds?: number } = {},
): Promise<FanoutResult> {
  const rate = options.votesPerSecond ?? 1000;
  const seconds = options.seconds ?? 5;
  const dir = await Deno.makeTempDir({ prefix: "matdaan-fanout-" });
  // Every socket comes from this one machine: lift the per-client caps (a real hall's dashboards
  // come from many addresses), and serve as behind a proxy that caps connections itself.
  const server = await startServer([
    "--db",
    `${dir}/election.db`,
    "--step",
    "10",
    "--http-server",
    "deno",
    "--sockets-per-client",
    "1000000",
    ...MANY_CLIENTS,
  ]);
  const acks: number[] = []; // acks[k] = when the k-th acknowledgment (1-based) arrived
  // A sample of real WebSockets measures each vote's delay; the rest are
  // cheap readers, so that the load generator does not starve the server.
  const measured = Math.min(sockets, 200);
  const lastTotal = new Int32Array(measured);
  const messages = new Int32Array(measured);
  const delays: number[] = [];
  try {
    const list = await openSockets(
      `${server.url.replace("http", "ws")}/ws/tally`,
      measured,
      (i, data) => {
        const now = performance.now();
        const total = totalOf(data);
        messages[i]++;
        for (let k = lastTotal[i] + 1; k <= total; k++) {
          delays.push(acks[k] === undefined ? 0 : Math.max(0, now - acks[k]));
        }
        if (total > lastTotal[i]) lastTotal[i] = total;
      },
    );
    const readers = await openReaders(server.port, sockets - measured);
    let draining = true;
    const drainer = (async () => {
      while (draining) {
        await new Promise((r) => setTimeout(r, 1000));
        await Promise.all(readers.map((r) => r.drain()));
      }
    })();
    const baseline = Array.from(messages);
    let peakRss = rssMb(server.process.pid);
    const started = performance.now();
    let sent = 0;
    let acked = 0;
    const inFlight: Promise<void>[] = [];
    while (performance.now() - started < seconds * 1000) {
      const due = Math.floor(((performance.now() - started) / 1000) * rate);
      for (; sent < due; sent++) {
        inFlight.push(
          sendVote(server.url, sent).then(async (res) => {
            await res.body?.cancel();
            if (res.status === 201) acks[++acked] = performance.now();
          }),
        );
      }
      peakRss = Math.max(peakRss, rssMb(server.process.pid));
      await new Promise((r) => setTimeout(r, 5));
    }
    await Promise.all(inFlight);
    // Votes are published in steps (of 10 here): the last few acknowledged may
    // wait for the next step. Every socket must reach the last published total.
    const published = (await (await fetch(`${server.url}/api/tally`)).json()).total as number;
    // Let the last coalesced message reach every socket.
    await waitFor(() => lastTotal.every((t) => t >= published), 5000, { intervalMs: 20 })
      .catch(() => {}); // a socket still behind is counted in `socketsBehind`
    peakRss = Math.max(peakRss, rssMb(server.process.pid));
    draining = false;
    await drainer;
    await Promise.all(readers.map((r) => r.drain()));
    const socketsBehind = lastTotal.filter((t) => t < published).length +
      readers.filter((r) => totalOf(r.last) < published).length;
    for (const ws of list) ws.close();
    for (const r of readers) r.close();
    delays.sort((a, b) => a - b);
    const received = Array.from(messages).reduce((s, m, i) => s + m - baseline[i], 0) +
      readers.reduce((s, r) => s + r.frames - 1, 0);
    return {
      sockets,
      votes: acked,
      p50Ms: quantile(delays, 0.5),
      p99Ms: quantile(delays, 0.99),
      messagesPerSocket: received / sockets,
      serverRssMb: peakRss,
      socketsBehind,
    };
  } finally {
    await server.stop();
    await Deno.remove(dir, { recursive: true });
  }
}

if (import.meta.main) {
  console.log(await benchFanout(Number(Deno.args[0] ?? 1000)));
}
