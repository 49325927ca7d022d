/**
 * The adversary of issue 11: it records everything public (`/api/tally`
 * polled every few milliseconds, `/ws/tally`, `/results`) and everything the
 * administrator sees (`/ws/admin`, the panel, its search, every export) while
 * voters vote one by one, then attributes voters to parties wherever the
 * recordings make it certain.
 *
 * Two attacks, both sound (an attribution follows from the recordings alone):
 * - **Snapshots.** Between two moments, the voters who entered the register
 *   and the votes the counts gained: when they are equally many and all the
 *   votes went to one party, each of those voters chose it.
 * - **Order.** Any field of the register beside the voter's own details (a
 *   sequence number, a time, a step) orders voters into buckets; the counts
 *   seen at each bucket's cumulative total tell what each bucket chose.
 */
import { createApp } from "../app.ts";
import { AdminAuth } from "../lib/admin/admin_auth.ts";
import { AuditLog } from "../lib/admin/audit_log.ts";
import { TallyFeed } from "../lib/live/tally_feed.ts";
import { TurnoutFeed } from "../lib/live/turnout_feed.ts";
import type { ElectionStore } from "../lib/store/store.ts";

const PASSWORD = "adversary test password";
const VOTER_ID = /\b[A-Z]{3}\d{7}\b/g;

/** One instance of the app on a real socket, signed in as the administrator. */
export interface LiveInstance {
  url: string;
  cookie: string;
  stop(): Promise<void>;
}

/** Serves the app over `store` on a free port, with fast feeds, and signs in. */
export async function serveInstance(store: ElectionStore): Promise<LiveInstance> {
  const app = createApp({
    store,
    feed: new TallyFeed(store, { intervalMs: 5 }),
    turnoutFeed: new TurnoutFeed(store, { intervalMs: 5 }),
    admin: { auth: new AdminAuth(PASSWORD), audit: new AuditLog(":memory:") },
  });
  const server = Deno.serve({ port: 0, hostname: "127.0.0.1", onListen: () => {} }, app.fetch);
  const url = `http://127.0.0.1:${server.addr.port}`;
  const res = await fetch(`${url}/admin/login`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", origin: url },
    body: new URLSearchParams({ password: PASSWORD }),
    redirect: "manual",
  });
  await res.body?.cancel();
  const cookie = res.headers.get("set-cookie")?.split(";")[0];
  if (!cookie) throw new Error(`The adversary could not sign in (${res.status}).`);
  return { url, cookie, stop: () => server.shutdown() };
}

/** Counts by party as some feed showed them, at the total it showed. */
interface CountsSeen {
  total: number;
  counts: Record<string, number>;
}

/** What the adversary holds at a quiet moment between two votes. */
interface Snapshot {
  counts: Record<string, number> | null;
  voters: Set<string>;
}

/** The adversary's recordings. */
export class Recorder {
  readonly #instances: LiveInstance[];
  readonly #sockets: WebSocket[] = [];
  readonly counts: CountsSeen[] = [];
  readonly snapshots: Snapshot[] = [];
  /** Register rows by voter ID: every field an admin source showed beside the voter's details. */
  readonly rows = new Map<string, Record<string, string>>();
  readonly voters = new Set<string>();
  #latest: Record<string, number> | null = null;
  #lastMessage = 0;
  #polling = true;
  #poller: Promise<void> = Promise.resolve();

  constructor(instances: LiveInstance[]) {
    this.#instances = instances;
  }

  /** Opens the sockets and starts polling `/api/tally`. */
  async start(): Promise<void> {
    const opened: Promise<unknown>[] = [];
    for (const inst of this.#instances) {
      const ws = inst.url.replace("http", "ws");
      const tally = new WebSocket(`${ws}/ws/tally`);
      tally.onmessage = (e) => {
        this.#lastMessage = performance.now();
        this.#tally(JSON.parse(e.data));
      };
      const admin = new WebSocket(`${ws}/ws/admin`, {
        headers: { cookie: inst.cookie, origin: inst.url },
      } as unknown as string[]);
      admin.onmessage = (e) => {
        this.#lastMessage = performance.now();
        const message = JSON.parse(e.data);
        if (message.type === "tally") this.#tally(message.tally);
        else for (const entry of message.entries ?? []) this.#row(entry);
        this.#other(e.data);
      };
      for (const s of [tally, admin]) {
        this.#sockets.push(s);
        opened.push(
          new Promise((resolve, reject) => {
            s.onopen = resolve;
            s.onerror = () => reject(new Error("A socket of the adversary did not open."));
          }),
        );
      }
    }
    await Promise.all(opened);
    this.#poller = this.#poll();
  }

  async #poll() {
    while (this.#polling) {
      for (const inst of this.#instances) {
        this.#tally(await (await fetch(`${inst.url}/api/tally`)).json());
      }
      await new Promise((r) => setTimeout(r, 2));
    }
  }

  /** Takes in a tally from any feed. */
  #tally(tally: Record<string, unknown>) {
    const parties = tally.parties as { id: string; votes: number | null }[] | undefined;
    if (!parties || parties.some((p) => typeof p.votes !== "number")) return;
    const counts = Object.fromEntries(parties.map((p) => [p.id, p.votes as number]));
    const total = Object.values(counts).reduce((a, b) => a + b, 0);
    this.counts.push({ total, counts });
    if (!this.#latest || total >= sum(this.#latest)) this.#latest = counts;
  }

  /** Takes in a register row as an admin source showed it. */
  #row(entry: Record<string, unknown>) {
    const voterId = String(entry.voterId ?? entry.voter_id);
    this.voters.add(voterId);
    const fields: Record<string, string> = {};
    for (const [key, value] of Object.entries(entry)) {
      if (!["voterId", "voter_id", "name", "age", "address"].includes(key)) {
        fields[key] = String(value);
      }
    }
    this.rows.set(voterId, { ...this.rows.get(voterId), ...fields });
  }

  /** Any text an admin source showed: every voter ID in it is a voter who voted. */
  #other(text: string) {
    for (const id of text.match(VOTER_ID) ?? []) this.voters.add(id);
  }

  /** Reads every page and export once, waits for the sockets to fall quiet, and keeps a snapshot. */
  async observe(): Promise<void> {
    for (const inst of this.#instances) {
      const get = async (path: string, admin = true) => {
        const res = await fetch(`${inst.url}${path}`, {
          headers: admin ? { cookie: inst.cookie } : {},
        });
        return await res.text();
      };
      for (const page of [await get("/results", false), await get("/admin")]) {
        for (const json of page.match(/(?<=data-island-props="">)[^<]*/g) ?? []) {
          const props = JSON.parse(json).props;
          if (props.tally) this.#tally(props.tally);
          for (const entry of props.latest ?? []) this.#row(entry);
        }
        if (page.includes("Election administration")) this.#other(page);
      }
      this.#other(await get("/admin?search=T"));
      this.#tally(JSON.parse(await get("/admin/export/result.json")));
      const [header, ...lines] = (await get("/admin/export/turnout.csv")).trim().split("\r\n");
      const names = header.split(",");
      for (const line of lines) {
        const cells = line.split(",");
        this.#row(Object.fromEntries(names.map((n, i) => [n, cells[i]])));
      }
    }
    const deadline = performance.now() + 3000;
    while (performance.now() - this.#lastMessage < 40 && performance.now() < deadline) {
      await new Promise((r) => setTimeout(r, 10));
    }
    this.snapshots.push({ counts: this.#latest, voters: new Set(this.voters) });
  }

  /** Stops recording. */
  async stop(): Promise<void> {
    this.#polling = false;
    await this.#poller;
    for (const s of this.#sockets) s.close();
  }
}

function sum(counts: Record<string, number>): number {
  return Object.values(counts).reduce((a, b) => a + b, 0);
}

/** The one party that gained all of `after - before`'s votes, or null. */
function unanimous(
  before: Record<string, number>,
  after: Record<string, number>,
): { party: string; votes: number } | null {
  const gains = Object.keys(after).map((p) => ({ party: p, votes: after[p] - (before[p] ?? 0) }))
    .filter((g) => g.votes !== 0);
  return gains.length === 1 && gains[0].votes > 0 ? gains[0] : null;
}

/**
 * Attributes voters to parties wherever the recordings make it certain.
 *
 * @returns The attributions, voter ID → party.
 */
export function attribute(recorder: Recorder): Map<string, string> {
  const found = new Map<string, string>();
  // Snapshots: voters who entered against the votes the counts gained.
  const snaps = recorder.snapshots;
  for (let i = 0; i < snaps.length; i++) {
    for (let j = i + 1; j < snaps.length; j++) {
      const [a, b] = [snaps[i], snaps[j]];
      if (!a.counts || !b.counts) continue;
      const entered = [...b.voters].filter((v) => !a.voters.has(v));
      const gain = unanimous(a.counts, b.counts);
      if (gain && gain.votes === entered.length) {
        for (const v of entered) found.set(v, gain.party);
      }
    }
  }
  // Order: any extra register field as a bucket key, against counts by total.
  const byTotal = new Map<number, Record<string, number>>();
  for (const seen of recorder.counts) byTotal.set(seen.total, seen.counts);
  byTotal.set(
    0,
    Object.fromEntries(Object.keys(recorder.counts[0]?.counts ?? {}).map((p) => [p, 0])),
  );
  const fields = new Set([...recorder.rows.values()].flatMap((r) => Object.keys(r)));
  for (const field of fields) {
    const buckets = new Map<string, string[]>();
    for (const [voter, row] of recorder.rows) {
      if (row[field] === undefined) continue;
      buckets.set(row[field], [...(buckets.get(row[field]) ?? []), voter]);
    }
    const keys = [...buckets.keys()].sort((x, y) =>
      /^\d+$/.test(x) && /^\d+$/.test(y) ? Number(x) - Number(y) : x < y ? -1 : x > y ? 1 : 0
    );
    let total = 0;
    for (const key of keys) {
      const voters = buckets.get(key)!;
      const before = byTotal.get(total);
      const after = byTotal.get(total + voters.length);
      total += voters.length;
      const gain = before && after ? unanimous(before, after) : null;
      if (gain && gain.votes === voters.length) {
        for (const v of voters) found.set(v, gain.party);
      }
    }
  }
  return found;
}
