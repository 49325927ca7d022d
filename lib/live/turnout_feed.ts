/**
 * The administrator's live feed: the tally and the new turnout register
 * entries, sent to each admin socket at most a few times a second. Never the
 * party of anyone: the register holds none. The store shows a voter only
 * once their step is published, so register changes arrive together with
 * the step they belong to, never one vote at a time.
 */
import type { ElectionStore, RegisterCursor } from "../store/store.ts";
import type { FeedSocket } from "./tally_feed.ts";

const INTERVAL_MS = 250;
const PAGE = 500;

/** Streams register entries to admin sockets, each from where it left off. */
export class TurnoutFeed {
  readonly #store: ElectionStore;
  readonly #sockets = new Map<FeedSocket, RegisterCursor | undefined>();
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

  /** Adds a socket that has seen the register up to `after` (or nothing), and catches it up. */
  add(socket: FeedSocket, after?: RegisterCursor): void {
    this.#sockets.set(socket, after);
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
          after: this.#sockets.get(socket),
          limit: PAGE,
        });
        if (entries.length === 0 || !this.#sockets.has(socket)) return;
        socket.send(JSON.stringify({ type: "turnout", entries }));
        const last = entries.at(-1)!;
        this.#sockets.set(socket, { step: last.step, voterId: last.voterId });
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
