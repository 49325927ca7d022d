/**
 * Live tally fan-out. Changes are coalesced: each socket gets at most one
 * message per interval, and the tally is serialised once per message, not
 * once per socket or per vote. A socket that stops reading is dropped
 * instead of buffering without bound.
 */
import type { Tally } from "../election/types.ts";

/** The part of a WebSocket the feed uses. */
export interface FeedSocket {
  send(data: string): void;
  readonly bufferedAmount: number;
  close(code?: number, reason?: string): void;
}

/** Where the feed reads the tally from (an `ElectionStore` will do). */
export interface TallySource {
  snapshot(): Tally;
  subscribe(listener: (tally: Tally) => void): () => void;
}

/** Options for `TallyFeed`. */
export interface TallyFeedOptions {
  /** The least time between two messages to a socket (default 100 ms). */
  intervalMs?: number;
  /** Bytes a socket may leave unread before it is dropped (default 1 MiB). */
  maxBufferedBytes?: number;
}

/** Sends the tally to every subscribed socket, coalescing bursts of changes. */
export class TallyFeed {
  readonly #source: TallySource;
  readonly #sockets = new Set<FeedSocket>();
  readonly #intervalMs: number;
  readonly #maxBuffered: number;
  readonly #unsubscribe: () => void;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #lastSent = 0;
  #sent = "";

  constructor(source: TallySource, options: TallyFeedOptions = {}) {
    this.#source = source;
    this.#intervalMs = options.intervalMs ?? 100;
    this.#maxBuffered = options.maxBufferedBytes ?? 1 << 20;
    this.#unsubscribe = source.subscribe(() => this.#schedule());
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

  #schedule() {
    if (this.#timer !== undefined) return;
    const wait = Math.max(0, this.#lastSent + this.#intervalMs - Date.now());
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      this.#publish();
    }, wait);
  }

  #publish() {
    const message = JSON.stringify(this.#source.snapshot());
    if (message === this.#sent) return;
    this.#sent = message;
    this.#lastSent = Date.now();
    for (const socket of this.#sockets) {
      if (socket.bufferedAmount > this.#maxBuffered) {
        this.#sockets.delete(socket);
        socket.close(1013, "Too slow to read the tally");
        continue;
      }
      try {
        socket.send(message);
      } catch {
        this.#sockets.delete(socket);
      }
    }
  }

  /** Stops following the source and forgets every socket. */
  stop(): void {
    this.#unsubscribe();
    clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#sockets.clear();
  }
}
