/**
 * Live tally fan-out. Changes are coalesced: each socket gets at most one
 * message per interval, and the tally is serialised once per message, not
 * once per socket or per vote. A socket that stops reading is dropped
 * instead of buffering without bound.
 */
import type { Tally } from "../election/types.ts";
import { Coalescer } from "./coalescer.ts";
import {
  type FeedOptions,
  type FeedSocket,
  MAX_BUFFERED_BYTES,
  sendOrDrop,
} from "./feed_socket.ts";

/** Where the feed reads the tally from (an `ElectionStore` will do). */
export interface TallySource {
  /** The tally as last committed. */
  snapshot(): Tally;
  /** Calls `listener` after each change; returns the function that unsubscribes. */
  subscribe(listener: (tally: Tally) => void): () => void;
}

/**
 * Sends the tally to every subscribed socket, coalescing bursts of changes.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { TallyFeed } from "./tally_feed.ts";
 * import { ManualTimers } from "../timers.ts";
 * import { openTally } from "../tally.ts";
 * import { openPublication, publishedTally } from "../election/publication.ts";
 * const parties = [{ id: "bjp", name: "BJP", color: "#ff9933", logo: "bjp.svg" }];
 * let tally = publishedTally(parties, openTally(["bjp"], null), openPublication("live", 10, ["bjp"]));
 * const listeners: ((t: typeof tally) => void)[] = [];
 * const source = { snapshot: () => tally, subscribe: (l: (t: typeof tally) => void) => (listeners.push(l), () => {}) };
 * const timers = new ManualTimers();
 * const feed = new TallyFeed(source, { intervalMs: 100, timers });
 * const sent: string[] = [];
 * feed.add({ bufferedAmount: 0, send: (d) => sent.push(d), close() {} });
 * tally = { ...tally, total: 10, step: { size: 10, published: 1 } };
 * listeners.forEach((l) => l(tally));
 * timers.advance(0);
 * assert.deepEqual(sent.map((m) => JSON.parse(m).total), [0, 10]);
 * feed.stop();
 * ```
 */
export class TallyFeed {
  readonly #source: TallySource;
  readonly #sockets = new Set<FeedSocket>();
  readonly #maxBuffered: number;
  readonly #unsubscribe: () => void;
  readonly #coalescer: Coalescer;
  #sent = "";

  /**
   * Follows the source; send nothing until a socket is added.
   *
   * @param source The store (or anything with its snapshot and subscribe).
   * @param options The interval (default 100 ms), the unread bytes a socket may have, the timers.
   */
  constructor(source: TallySource, options: FeedOptions = {}) {
    this.#source = source;
    this.#maxBuffered = options.maxBufferedBytes ?? MAX_BUFFERED_BYTES;
    this.#coalescer = new Coalescer(() => this.#publish(), {
      intervalMs: options.intervalMs ?? 100,
      timers: options.timers,
    });
    this.#unsubscribe = source.subscribe(() => this.#coalescer.request());
  }

  /** How many sockets are subscribed. */
  get size(): number {
    return this.#sockets.size;
  }

  /** Subscribes a socket and sends it the current tally at once. */
  add(socket: FeedSocket): void {
    this.#sockets.add(socket);
    socket.send(JSON.stringify(this.#source.snapshot()));
  }

  /** Unsubscribes a socket. */
  remove(socket: FeedSocket): void {
    this.#sockets.delete(socket);
  }

  #publish() {
    const message = JSON.stringify(this.#source.snapshot());
    if (message === this.#sent) return;
    this.#sent = message;
    for (const socket of this.#sockets) {
      if (!sendOrDrop(socket, message, this.#maxBuffered)) this.#sockets.delete(socket);
    }
  }

  /** Stops following the source and forgets every socket. */
  stop(): void {
    this.#unsubscribe();
    this.#coalescer.cancel();
    this.#sockets.clear();
  }
}
