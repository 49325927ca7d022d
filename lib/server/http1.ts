/**
 * A lean HTTP/1.1 server over `node:net` sockets: each connection
 * (`http1_connection.ts`) reads its requests with llhttp (Node's parser,
 * `llhttp.ts`) and writes their answers in order (`http1_answer.ts`), and
 * one interval sweeps every connection for the header, request and idle
 * timeouts. What to do with a request (caps,
 * budgets, the app) is the caller's (`serve.ts`).
 *
 * Deno's `node:http` spent 22 to 25 µs of CPU on a trivial request where a
 * raw `node:net` server spent 10: this keeps its parser and drops the rest.
 */
import type { Buffer } from "node:buffer";
import type { Socket } from "node:net";
import type { RequestHead } from "./http1_request.ts";
import type { PlainAnswer } from "./http1_answer.ts";
import { Http1Connection } from "./http1_connection.ts";

/** What the server does with each request. */
export interface Http1Handlers {
  /**
   * A request, in the connection's order, once its head is in: its body is
   * whole if it came with the head, else a stream that fills as it arrives.
   * The answer (a `Response`, or a `PlainAnswer` written as it is) is written
   * when those before it are; null: nothing to write
   * (the handler has closed the connection).
   */
  request(
    connection: Http1Connection,
    head: RequestHead,
    body: Uint8Array | ReadableStream<Uint8Array> | null,
  ): Response | PlainAnswer | Promise<Response | PlainAnswer> | null;
  /**
   * An upgrade request (`Connection: upgrade`) with nothing before it
   * unanswered: the socket is the handler's from now on, paused, with `rest`
   * (what came after the head) unread.
   */
  upgrade(connection: Http1Connection, head: RequestHead, rest: Buffer): void;
  /** A request's answer has been written (or dropped with its connection). */
  answered?(connection: Http1Connection, status: number): void;
}

/** Timeouts and limits. */
export interface Http1Options {
  /** Time for a request's headers to arrive, from its first byte or the connection's start. */
  headersTimeoutMs: number;
  /** Time for a whole request to arrive. */
  requestTimeoutMs: number;
  /**
   * Longer times for a whole request to arrive at a few addresses, by
   * "METHOD /path" (no query): a large upload on a slow link takes minutes.
   */
  slowRequests?: ReadonlyMap<string, number>;
  /** How long a connection with nothing to answer stays open for another request. */
  idleTimeoutMs: number;
  /** How often the timeouts are checked. */
  checkIntervalMs: number;
  /** The largest request head, in bytes (default 16 KiB, as Node's). */
  maxHeaderBytes?: number;
}

/**
 * Accepts sockets and serves their requests; one interval enforces every
 * connection's timeouts.
 *
 * @example Illustrative (serve.ts is the real use):
 * ```ts ignore
 * const http = new Http1Server(handlers, {
 *   headersTimeoutMs: 10_000,
 *   requestTimeoutMs: 30_000,
 *   idleTimeoutMs: 5_000,
 *   checkIntervalMs: 1_000,
 * });
 * net.createServer((socket) => http.accept(socket));
 * ```
 */
export class Http1Server {
  readonly handlers: Http1Handlers;
  readonly options: Readonly<Http1Options>;
  readonly #connections = new Set<Http1Connection>();
  readonly #sweep: ReturnType<typeof setInterval>;
  /** Requests handed to the handler and not yet answered. */
  inFlight = 0;
  /** After `closeIdle`: every connection closes once its answers are written. */
  closing = false;

  /**
   * Starts the timeout sweep.
   *
   * @param handlers What to do with requests.
   * @param options Timeouts and limits.
   */
  constructor(handlers: Http1Handlers, options: Http1Options) {
    this.handlers = handlers;
    this.options = options;
    this.#sweep = setInterval(() => this.#check(), options.checkIntervalMs);
    Deno.unrefTimer(this.#sweep);
  }

  /** Serves HTTP/1 on a connected socket. */
  accept(socket: Socket): Http1Connection {
    const connection = new Http1Connection(this, socket);
    this.#connections.add(connection);
    socket.once("close", () => this.#connections.delete(connection));
    return connection;
  }

  /** Closes every connection with nothing to answer; the others close after their answers. */
  closeIdle(): void {
    this.closing = true;
    for (const connection of this.#connections) connection.closeWhenIdle();
  }

  /** Stops the sweep (connections are left as they are). */
  stop(): void {
    clearInterval(this.#sweep);
  }

  #check() {
    const now = Date.now();
    for (const connection of this.#connections) connection.checkTimeouts(now);
  }
}
