/**
 * One HTTP/1.1 connection of the guarded server: llhttp parses its requests,
 * each is handed on with its body whole or streaming, and the answers are
 * written in the order the requests came.
 */
import { Buffer } from "node:buffer";
import type { Socket } from "node:net";
import { HTTPParser, type HttpParser, methods, type OnHeadersComplete } from "./llhttp.ts";
import { headerOf } from "./http1_request.ts";
import type { RequestHead } from "./http1_request.ts";
import { type PlainAnswer, writeAnswer } from "./http1_answer.ts";
import type { Http1Server } from "./http1.ts";

/** The body of a request being read: whole yet, or streamed to the app. */
interface Exchange {
  head: RequestHead;
  chunks: Buffer[] | null;
  stream: ReadableStreamDefaultController<Uint8Array> | null;
  /** The app no longer reads the body (it answered or cancelled). */
  dropped: boolean;
  complete: boolean;
  /** `Expect: 100-continue` and the body not in yet: say "100 Continue" when first in line. */
  expectsContinue: boolean;
  response: Response | PlainAnswer | null;
}

/** What a body still arriving fails with when its client goes: Node's error, which the app knows. */
function aborted(): Error {
  return Object.assign(new Error("aborted"), { code: "ECONNRESET" });
}

const CONTINUE = Buffer.from("HTTP/1.1 100 Continue\r\n\r\n", "latin1");
/**
 * The most header fields a request may have (Apache's `LimitRequestFields`):
 * browsers send a few dozen. Within the 16 KiB head fit 1,900 distinct
 * names, and copying a `Headers` of those (`new Headers(headers)`, which the
 * app's body limit does for a chunked body) takes Deno about half a second:
 * a handful of such requests stalled every other voter for seconds.
 */
export const MAX_HEADER_FIELDS = 100;
/**
 * What a connection that reads no more requests (answered and closing)
 * still reads and drops, so that its answer is not lost to a reset, before
 * it is cut off: a client sending on after its 413, 400 or 431 was read at
 * over 1.5 GB/s until the idle timeout, and the server's memory passed 1 GB
 * (node:http cut it off after tens of megabytes, or at once).
 */
const DISCARD_LIMIT = 1024 * 1024;
const BODY_HIGH_WATER = 64 * 1024;

/** One client connection: its parser, its queue of answers, its clocks. */
export class Http1Connection {
  readonly socket: Socket;
  readonly #server: Http1Server;
  readonly #parser: HttpParser;
  /** Requests handed on and not yet answered, oldest first. */
  readonly #queue: Exchange[] = [];
  /** Requests parsed by the current `execute`, handed on once it returns without error. */
  #parsed: Exchange[] = [];
  /** The request whose body is arriving. */
  #current: Exchange | null = null;
  #pendingHeaders: string[] = [];
  #pendingUrl = "";
  /** When the request now arriving began (0: none is). */
  #started = 0;
  #headersDone = false;
  /** The time the request now arriving has to arrive whole, once its head is read. */
  #requestLimitMs = 0;
  /** Since when nothing has been under way (the connection's start, or its last answer). */
  #idleSince = Date.now();
  #served = false;
  /** No more requests are read: the connection closes after its answers. */
  #ending = false;
  /** When the connection was ended after its last answer (0: not yet). */
  #endedAt = 0;
  #bodyPaused = false;
  /** Not read until the client reads the answers already written. */
  #drainPaused = false;
  /** Bytes read and dropped since the connection stopped reading requests. */
  #discarded = 0;

  constructor(server: Http1Server, socket: Socket) {
    this.#server = server;
    this.socket = socket;
    socket.setNoDelay(true);
    const parser = new HTTPParser();
    parser.initialize(HTTPParser.REQUEST, {}, server.options.maxHeaderBytes ?? 16 * 1024, 0);
    parser[HTTPParser.kOnMessageBegin] = () => {
      this.#started = Date.now();
      this.#headersDone = false;
    };
    parser[HTTPParser.kOnHeaders] = (headers: string[], url: string) => {
      for (const item of headers) this.#pendingHeaders.push(item);
      this.#pendingUrl += url;
    };
    parser[HTTPParser.kOnHeadersComplete] = this.#onHead;
    parser[HTTPParser.kOnBody] = (chunk: Buffer) => this.#onBody(chunk);
    parser[HTTPParser.kOnMessageComplete] = () => this.#onComplete();
    this.#parser = parser;
    socket.on("data", this.#onData);
    socket.once("close", () => {
      parser.close();
      const current = this.#current;
      if (current?.stream && !current.dropped) current.stream.error(aborted());
      this.#current = null;
      // Answers known and not written: their requests are done with all the
      // same. Those the app still works on are when it answers (#ready).
      for (const exchange of this.#queue) {
        if (exchange.response !== null) this.#finish(exchange, exchange.response.status);
      }
      this.#queue.splice(0, this.#queue.length);
    });
  }

  /** Requests read and not yet answered. */
  get unanswered(): number {
    return this.#queue.length;
  }

  /** Whether nothing is under way: no request arriving, none unanswered, not upgraded. */
  get quiet(): boolean {
    return this.#queue.length === 0 && this.#started === 0 && !this.#upgraded;
  }

  /** Closes now if quiet; else each answer under way says `connection: close` (`Http1Server.closing`). */
  closeWhenIdle(): void {
    if (this.quiet) this.socket.destroy();
  }

  /**
   * Reads and hands on no more requests; the answers under way are written
   * (the last says `connection: close`), then the connection ends.
   */
  endAfterAnswers(): void {
    this.#ending = true;
    this.#endIfDone();
  }

  #endIfDone() {
    if (!this.#ending || this.#queue.length > 0 || this.#upgraded || this.#endedAt > 0) return;
    this.#endedAt = Date.now();
    this.socket.end();
  }

  /** Closes the connection if a timeout has passed (the server's sweep calls it). */
  checkTimeouts(now: number): void {
    const { options } = this.#server;
    if (this.#upgraded) return; // the WebSocket's own
    // An answer written but not yet taken by the kernel (a slow link reading
    // a page) is not idleness: cutting it at the idle timeout truncated the
    // answer. It has the request's time to go (node:http waited without end).
    const sending = this.socket.writableLength > 0;
    if (this.#endedAt > 0) {
      // Answered and ended: a client still sending (a refused large body) is cut off.
      const limit = sending ? options.requestTimeoutMs : options.idleTimeoutMs;
      if (now - this.#endedAt > limit) this.socket.destroy();
    } else if (this.#started > 0) {
      const limit = this.#headersDone ? this.#requestLimitMs : options.headersTimeoutMs;
      if (now - this.#started > limit) this.socket.destroy();
    } else if (this.#queue.length === 0) {
      // A connection that never sent a request has the headers' time for its first.
      const limit = sending
        ? options.requestTimeoutMs
        : this.#served
        ? options.idleTimeoutMs
        : options.headersTimeoutMs;
      if (now - this.#idleSince > limit) this.socket.destroy();
    }
  }

  #onData = (data: Buffer) => {
    if (this.#ending) {
      // Answered and closing: the rest is dropped, up to a point.
      this.#discarded += data.length;
      if (this.#discarded > DISCARD_LIMIT) this.socket.destroy();
      return;
    }
    const taken = this.#parser.execute(data);
    const parsed = this.#parsed;
    if (parsed.length > 0) this.#parsed = [];
    // More after a request that asked to close is not read; the answers go.
    const closed = typeof taken !== "number" && taken.code === "HPE_CLOSED_CONNECTION";
    if (typeof taken !== "number" && !closed) {
      this.#refuse(taken.code === "HPE_HEADER_OVERFLOW" ? 431 : 400);
      return;
    }
    for (const exchange of parsed) {
      if (this.#ending || this.socket.destroyed) return;
      if (exchange.head.headers.length > MAX_HEADER_FIELDS * 2) {
        return this.#tooManyFields(exchange);
      }
      if (exchange === this.#upgrading) {
        this.#upgrade(exchange, data.subarray(typeof taken === "number" ? taken : data.length));
        return;
      }
      this.#dispatch(exchange);
    }
    if (closed) this.endAfterAnswers();
  };

  /** The upgrade request parsed (llhttp stops after its head). */
  #upgrading: Exchange | null = null;
  /** The socket belongs to the upgrade's handler. */
  #upgraded = false;

  #onHead: OnHeadersComplete = (
    _major,
    minor,
    headers,
    method,
    url,
    _status,
    _message,
    upgrade,
    keepAlive,
  ) => {
    if (headers === undefined) {
      headers = this.#pendingHeaders;
      this.#pendingHeaders = [];
    }
    if (url === undefined) {
      url = this.#pendingUrl;
      this.#pendingUrl = "";
    }
    this.#headersDone = true;
    const slow = this.#server.options.slowRequests;
    const query = url.indexOf("?");
    this.#requestLimitMs =
      slow?.get(`${methods[method]} ${query < 0 ? url : url.slice(0, query)}`) ??
        this.#server.options.requestTimeoutMs;
    const exchange: Exchange = {
      head: { method: methods[method], target: url, headers, versionMinor: minor, keepAlive },
      chunks: null,
      stream: null,
      dropped: false,
      complete: false,
      expectsContinue: false,
      response: null,
    };
    if (upgrade) this.#upgrading = exchange;
    this.#parsed.push(exchange);
    this.#current = exchange;
    return 0;
  };

  #onBody(chunk: Buffer) {
    const exchange = this.#current;
    if (exchange === null || exchange.dropped) return;
    const stream = exchange.stream;
    if (stream === null) {
      (exchange.chunks ??= []).push(chunk);
      return;
    }
    stream.enqueue(chunk);
    if ((stream.desiredSize ?? 0) <= 0 && !this.#bodyPaused) {
      this.#bodyPaused = true;
      this.socket.pause();
    }
  }

  #onComplete() {
    const exchange = this.#current;
    this.#started = 0;
    this.#current = null;
    // Trailers of a chunked body come through kOnHeaders: not the next request's.
    if (this.#pendingHeaders.length > 0) this.#pendingHeaders = [];
    this.#pendingUrl = "";
    if (exchange === null) return;
    exchange.complete = true;
    exchange.expectsContinue = false;
    if (exchange.stream !== null && !exchange.dropped) exchange.stream.close();
  }

  /** Hands a parsed request on, with its body whole or as a stream. */
  #dispatch(exchange: Exchange) {
    const server = this.#server;
    this.#queue.push(exchange);
    const expect = headerOf(exchange.head, "expect");
    if (expect !== undefined && expect.toLowerCase() !== "100-continue") {
      // An expectation this server cannot meet (Node's answer too).
      exchange.dropped = true;
      server.inFlight++;
      this.#ready(exchange, new Response(null, { status: 417 }));
      return;
    }
    let body: Uint8Array | ReadableStream<Uint8Array> | null = null;
    if (exchange.complete) {
      const chunks = exchange.chunks;
      if (chunks !== null) body = chunks.length === 1 ? chunks[0] : Buffer.concat(chunks);
      exchange.chunks = null;
    } else {
      body = this.#bodyStream(exchange);
      if (expect !== undefined) {
        exchange.expectsContinue = true;
        if (this.#queue.length === 1) this.#sayContinue(exchange);
      }
    }
    let answer: Response | PlainAnswer | Promise<Response | PlainAnswer> | null;
    try {
      answer = server.handlers.request(this, exchange.head, body);
    } catch (e) {
      answer = Promise.reject(e);
    }
    if (answer === null) {
      this.#queue.splice(this.#queue.indexOf(exchange), 1);
      this.#endIfDone();
      return;
    }
    server.inFlight++;
    if (!(answer instanceof Promise)) return this.#ready(exchange, answer);
    answer.then(
      (response) => this.#ready(exchange, response),
      (e) => {
        // The app answers its own errors; this is a bug, unless the client left.
        if (!this.socket.destroyed) console.error("A request failed:", (e as Error)?.message ?? e);
        this.#ready(exchange, new Response(null, { status: 500 }));
      },
    );
  }

  /** A request with too many header fields: 431, after the answers before it, and the connection closes. */
  #tooManyFields(exchange: Exchange) {
    this.#ending = true; // read no more; the 431 says `connection: close`
    this.#upgrading = null;
    exchange.dropped = true;
    this.#queue.push(exchange);
    this.#server.inFlight++;
    this.#ready(exchange, new Response(null, { status: 431 }));
  }

  #bodyStream(exchange: Exchange): ReadableStream<Uint8Array> {
    return new ReadableStream<Uint8Array>({
      start: (controller) => {
        exchange.stream = controller;
        for (const chunk of exchange.chunks ?? []) controller.enqueue(chunk);
        exchange.chunks = null;
      },
      pull: () => {
        if (exchange.expectsContinue && this.#queue[0] === exchange) this.#sayContinue(exchange);
        this.#resumeBody();
      },
      cancel: () => {
        exchange.dropped = true;
        this.#resumeBody();
      },
    }, new ByteLengthQueuingStrategy({ highWaterMark: BODY_HIGH_WATER }));
  }

  #resumeBody() {
    if (!this.#bodyPaused) return;
    this.#bodyPaused = false;
    if (!this.#drainPaused && !this.socket.destroyed) this.socket.resume();
  }

  #sayContinue(exchange: Exchange) {
    exchange.expectsContinue = false;
    if (!this.socket.destroyed) this.socket.write(CONTINUE);
  }

  /** An upgrade: the handler's, if nothing before it waits for an answer. */
  #upgrade(exchange: Exchange, rest: Buffer) {
    this.#upgrading = null;
    this.#upgraded = true;
    this.#ending = true;
    this.socket.off("data", this.#onData);
    this.socket.pause();
    if (this.#queue.length > 0) {
      this.socket.destroy(); // pipelined behind requests: browsers never do that
      return;
    }
    this.#server.handlers.upgrade(this, exchange.head, rest);
  }

  /** The answer is known: written now if every answer before it is. */
  #ready(exchange: Exchange, response: Response | PlainAnswer) {
    exchange.response = response;
    if (this.socket.destroyed) {
      this.#finish(exchange, response.status);
      if (response instanceof Response && response.body !== null) {
        response.body.cancel().catch(() => {});
      }
    } else if (this.#queue[0] === exchange) this.#write(exchange);
  }

  async #write(exchange: Exchange) {
    const response = exchange.response!;
    const { head } = exchange;
    const server = this.#server;
    // A body still arriving that the app has not read is not waited for: the
    // connection closes after the answer (Node reads and drops it instead).
    const unread = !exchange.complete;
    if (unread && exchange.stream !== null) {
      exchange.dropped = true;
      this.#resumeBody();
    }
    // Closing (asked, or the server's shutdown): the last answer says so.
    const last = (this.#ending || server.closing) && this.#queue.length === 1;
    const keepAlive = head.keepAlive && !unread && !last;
    let open = false;
    if (!this.socket.destroyed) {
      open = await writeAnswer(this.socket, response, {
        head: head.method === "HEAD",
        http10: head.versionMinor === 0,
        keepAlive,
        keepAliveSeconds: Math.floor(server.options.idleTimeoutMs / 1000),
      }) === "open";
    }
    if (this.#queue[0] === exchange) this.#queue.shift();
    this.#finish(exchange, response.status);
    if (this.socket.destroyed) return;
    if (!open) {
      this.#ending = true;
      this.#endedAt = Date.now();
      this.socket.end();
      this.#resumeBody();
      return;
    }
    if (this.socket.writableNeedDrain && !this.#drainPaused) {
      // A client that sends and never reads: its answers would pile up in
      // memory. Its requests wait in the network instead, as node:http has
      // it. (Deno's node:net seems to stop reading while a write waits: a
      // test of 20,000 requests sent ten at a time saw 1,100 handled with
      // this or without.)
      this.#drainPaused = true;
      this.socket.pause();
      this.socket.once("drain", () => {
        this.#drainPaused = false;
        if (!this.#bodyPaused && !this.socket.destroyed) this.socket.resume();
      });
    }
    const next = this.#queue[0];
    if (next === undefined) {
      this.#idleSince = Date.now();
      this.#served = true;
      return;
    }
    if (next.expectsContinue) this.#sayContinue(next);
    if (next.response !== null) this.#write(next);
  }

  #finish(exchange: Exchange, status: number) {
    if (exchange.response === null) return;
    exchange.response = null;
    this.#server.inFlight--;
    this.#server.handlers.answered?.(this, status);
  }

  /** Refuses input llhttp cannot parse: a 400 (431 for a head too large) if nothing is pending, and closes. */
  #refuse(status: number) {
    this.#ending = true;
    // A body cut off by bytes that are no HTTP is, to the app, a client gone
    // mid-body (Node's error): not a server error with a stack trace in the
    // log, as a plain Error was.
    const current = this.#current;
    if (current?.stream && !current.dropped) current.stream.error(aborted());
    this.#current = null;
    if (this.#queue.length > 0 || this.socket.destroyed) {
      this.socket.destroy();
      return;
    }
    this.#endedAt = Date.now();
    const text =
      `HTTP/1.1 ${status} ${
        status === 431 ? "Request Header Fields Too Large" : "Bad Request"
      }\r\n` +
      "content-length: 0\r\nconnection: close\r\n\r\n";
    this.socket.end(Buffer.from(text, "latin1"));
  }
}
