/**
 * The administrator's live feed: the tally and the new turnout register
 * entries, sent to each admin socket at most a few times a second. Never the
 * party of anyone: the register holds none.
 */
import type { ElectionStore } from "../store/store.ts";
import type { FeedSocket } from "./tally_feed.ts";

const INTERVAL_MS = 250;
const PAGE = 500;

/** Streams register entries to admin sockets, each from where it left off. */
export class TurnoutFeed {
  readonly #store: ElectionStore;
  readonly #sockets = new Map<FeedSocket, number>();
  readonly #unsubscribe: () => void;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #sending = Promise.resolve();

  readonly #intervalMs: number;

  /** `intervalMs`: the least time between two sends (default 250 ms). */
  constructor(store: ElectionStore, options: { intervalMs?: number } = {}) {
    this.#store = store;
    this.#intervalMs = options.intervalMs ?? INTERVAL_MS;
    this.#unsubscribe = store.subscribe(() => this.#schedule());
  }

  /** Adds a socket that has seen the register up to `afterSeq`, and catches it up. */
  add(socket: FeedSocket, afterSeq: number): void {
    this.#sockets.set(socket, afterSeq);
    this.#sending = this.#sending.then(() => this.#send(socket));
  }

  remove(socket: FeedSocket): void {
    this.#sockets.delete(socket);
  }

  #schedule() {
    // No admin watching: nothing to do on the vote path.
    if (this.#sockets.size === 0) return;
    this.#timer ??= setTimeout(() => {
      this.#timer = undefined;
      this.#sending = this.#sending.then(() =>
        Promise.all([...this.#sockets.keys()].map((s) => this.#send(s)))
      )
        .then(() => {});
    }, this.#intervalMs);
  }

  async #send(socket: FeedSocket) {
    try {
      socket.send(JSON.stringify({ type: "tally", tally: this.#store.snapshot() }));
      while (this.#sockets.has(socket)) {
        const entries = await this.#store.turnout({
          afterSeq: this.#sockets.get(socket)!,
          limit: PAGE,
        });
        if (entries.length === 0 || !this.#sockets.has(socket)) return;
        socket.send(JSON.stringify({ type: "turnout", entries }));
        this.#sockets.set(socket, entries.at(-1)!.seq);
        if (entries.length < PAGE) return;
      }
    } catch {
      this.#sockets.delete(socket);
    }
  }

  stop(): void {
    this.#unsubscribe();
    clearTimeout(this.#timer);
    this.#sockets.clear();
  }
}
