/** What the live feeds need of a WebSocket, and how they drop one that stops reading. */
import type { Timers } from "../timers.ts";

/** The part of a WebSocket the feeds use. */
export interface FeedSocket {
  /** Queues a text message. */
  send(data: string): void;
  /** Bytes queued and not yet sent, because the client does not read them. */
  readonly bufferedAmount: number;
  /** Closes the socket with a WebSocket close code and reason. */
  close(code?: number, reason?: string): void;
}

/** The default bytes a socket may leave unread before a feed drops it: 1 MiB. */
export const MAX_BUFFERED_BYTES = 1 << 20;

/** Options every live feed takes. */
export interface FeedOptions {
  /** The least time between two messages to a socket, in milliseconds (each feed has a default). */
  intervalMs?: number;
  /** Bytes a socket may leave unread before it is dropped (default `MAX_BUFFERED_BYTES`, 1 MiB). */
  maxBufferedBytes?: number;
  /** The clock and timeouts (default: the system's). */
  timers?: Timers;
}

/**
 * Sends a message, unless the socket already has more than `maxBufferedBytes`
 * waiting unread: then it is closed (1013, "try again later") instead of
 * buffering without bound.
 *
 * @param socket The socket.
 * @param message The text to send.
 * @param maxBufferedBytes The unread bytes a socket may have.
 * @returns Whether the message was sent; false means drop the socket.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { sendOrDrop } from "./feed_socket.ts";
 * const sent: string[] = [];
 * let closedWith = 0;
 * const socket = { bufferedAmount: 0, send: (d: string) => sent.push(d), close: (c = 0) => closedWith = c };
 * assert.equal(sendOrDrop(socket, "hi", 1000), true);
 * socket.bufferedAmount = 5000;
 * assert.equal(sendOrDrop(socket, "hi", 1000), false);
 * assert.deepEqual([sent.length, closedWith], [1, 1013]);
 * ```
 */
export function sendOrDrop(socket: FeedSocket, message: string, maxBufferedBytes: number): boolean {
  if (socket.bufferedAmount > maxBufferedBytes) {
    socket.close(1013, "Too slow to read the feed");
    return false;
  }
  try {
    socket.send(message);
    return true;
  } catch {
    return false;
  }
}
