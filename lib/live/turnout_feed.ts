/**
 * The administrator's live feed: the tally and the new turnout register
 * entries, sent to each admin socket at most a few times a second. Never the
 * party of anyone: the register holds none. The store shows a voter only
 * once their step is published, so register changes arrive together with
 * the step they belong to, never one vote at a time. A socket that stops
 * reading is dropped, as in the tally feed.
 */
import type { ElectionStore, RegisterCursor } from "../store/store.ts";
import { Coalescer } from "./coalescer.ts";
import {
  type FeedOptions,
  type FeedSocket,
  MAX_BUFFERED_BYTES,
  sendOrDrop,
} from "./feed_socket.ts";

/** Register entries sent in one message at most. */
const PAGE = 500;

/**
 * Streams register entries to admin sockets, each from where it left off.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { TurnoutFeed } from "./turnout_feed.ts";
 * import { openSqliteStore } from "../store/sqlite/sqlite_store.ts";
 * const dir = await Deno.makeTempDir();
 * const store = await openSqliteStore(`${dir}/e.db`, {});
 * const feed = new TurnoutFeed(store);
 * const sent: { type: string }[] = [];
 * feed.add({ bufferedAmount: 0, send: (d) => sent.push(JSON.parse(d)), close() {} });
 * await feed.idle();
 * assert.deepEqual(sent.map((m) => m.type), ["tally"]); // nobody has voted yet
 * feed.stop();
 * await store.shutdown();
 * ```
 */
export class TurnoutFeed {
  readonly #store: ElectionStore;
  readonly #sockets = new Map<FeedSocket, RegisterCursor | undefined>();
  readonly #maxBuffered: number;
  readonly #unsubscribe: () => void;
  readonly #coalescer: Coalescer;
  #sending = Promise.resolve();

  /**
   * Follows the source; send nothing until a socket is added.
   *
   * @param store The store whose register to follow.
   * @param options The interval (default 250 ms), the unread bytes a socket may have, the timers.
   */
  constructor(store: ElectionStore, options: FeedOptions = {}) {
    this.#store = store;
    this.#maxBuffered = options.maxBufferedBytes ?? MAX_BUFFERED_BYTES;
    this.#coalescer = new Coalescer(() => this.#sendAll(), {
      intervalMs: options.intervalMs ?? 250,
      timers: options.timers,
    });
    // No admin watching: nothing to do on the vote path.
    this.#unsubscribe = store.subscribe(() => {
      if (this.#sockets.size > 0) this.#coalescer.request();
    });
  }

  /** How many sockets are subscribed. */
  get size(): number {
    return this.#sockets.size;
  }

  /** Adds a socket that has seen the register up to `after` (or nothing), and catches it up. */
  add(socket: FeedSocket, after?: RegisterCursor): void {
    this.#sockets.set(socket, after);
    this.#sending = this.#sending.then(() => this.#send(socket));
  }

  /** Unsubscribes a socket. */
  remove(socket: FeedSocket): void {
    this.#sockets.delete(socket);
  }

  /** Resolves once every message begun so far is sent. */
  idle(): Promise<void> {
    return this.#sending;
  }

  #sendAll() {
    this.#sending = this.#sending.then(() =>
      Promise.all([...this.#sockets.keys()].map((s) => this.#send(s)))
    ).then(() => {});
  }

  /** Sends the tally, then the register from where the socket left off, page by page. */
  async #send(socket: FeedSocket) {
    try {
      let sent = this.#deliver(socket, { type: "tally", tally: this.#store.snapshot() });
      while (sent) {
        const entries = await this.#store.turnout({
          after: this.#sockets.get(socket),
          limit: PAGE,
        });
        if (entries.length === 0) return;
        sent = this.#deliver(socket, { type: "turnout", entries });
        const last = entries.at(-1)!;
        if (sent) this.#sockets.set(socket, { step: last.step, voterId: last.voterId });
        if (entries.length < PAGE) return;
      }
    } catch {
      this.#sockets.delete(socket);
    }
  }

  /** Sends a message to a socket still subscribed; drops the socket if it stopped reading. */
  #deliver(socket: FeedSocket, message: unknown): boolean {
    if (!this.#sockets.has(socket)) return false;
    if (sendOrDrop(socket, JSON.stringify(message), this.#maxBuffered)) return true;
    this.#sockets.delete(socket);
    return false;
  }

  /** Stops following the store and forgets every socket. */
  stop(): void {
    this.#unsubscribe();
    this.#coalescer.cancel();
    this.#sockets.clear();
  }
}
