/**
 * Serves the app on a socket that one hostile client cannot exhaust.
 *
 * `Deno.serve` accepts every connection in Rust, with no cap, no header-read
 * timeout and no way to refuse a connection, and an accept that fails with
 * "Too many open files" ends the process. So Matdaan serves HTTP/1.1 itself
 * on `node:net` (`lib/server/http1.ts`, with Node's llhttp parser):
 * connections are counted as they are accepted (in all and per address), a
 * request's headers must arrive within `headersTimeoutMs`, an idle keep-alive
 * connection is closed, and a server error is logged, never thrown. Deno's
 * `node:http` did all that too, at twice the CPU per request. WebSocket
 * upgrades are completed by npm `ws` on the accepted socket, which refuses a
 * message past `maxWsMessageBytes` from its frame header, before reading it
 * (`Deno.upgradeWebSocket` reads messages of up to 64 MiB whole: eight
 * sockets sending one each raised the server's memory by 928 MB).
 */
import type { IncomingMessage } from "node:http";
import net, { type AddressInfo, type Socket } from "node:net";
import { Buffer } from "node:buffer";
// @ts-types="@types/ws"
import { WebSocketServer } from "ws";
import type { ConnectionLimits } from "./lib/server/connection_limits.ts";
import { clientKey } from "./lib/server/client_key.ts";
import { Http1Server } from "./lib/server/http1.ts";
import type { PlainAnswer } from "./lib/server/http1_answer.ts";
import type { Http1Connection } from "./lib/server/http1_connection.ts";
import { headerOf, nodeHeaders, type RequestHead, toRequest } from "./lib/server/http1_request.ts";

/** What a request handler gets besides the request (like `Deno.serve`'s info). */
export interface ServeEnv {
  remoteAddr: { transport: "tcp"; hostname: string; port: number };
  /** Set on a WebSocket upgrade to the guarded server. */
  upgrade?: GuardedUpgrade;
  /** Whether the guarded server has charged this request to its client's budget already. */
  budgeted?: boolean;
}

/** Each direct client's request budget, checked by the guarded server before the app. */
export interface RequestBudget {
  /**
   * Charges a request for `url` (the request target as sent) with this
   * `Accept` header to `address`: 0, or the seconds to wait.
   */
  take(address: string, url: string, accept?: string): number;
  /**
   * The 429 for a request with these headers, told to wait `wait` seconds:
   * its body and headers (the contract's JSON, or a page for a browser).
   */
  refusal(hints: {
    url: string;
    wait: number;
    accept?: string;
    acceptLanguage?: string;
    cookie?: string;
  }): { body: string; headers: Readonly<Record<string, string>> };
}

/** A WebSocket accepted by the guarded server: what the live feeds use of it. */
export interface GuardedSocket {
  send(data: string): void;
  close(code?: number, reason?: string): void;
  readonly bufferedAmount: number;
  addEventListener(type: "close", listener: () => void): void;
}

/** How a route completes a WebSocket upgrade on the guarded server. */
export interface GuardedUpgrade {
  /**
   * Completes the handshake (or answers 400 to an invalid one). `open` gets
   * the socket once it is open; `gone` is called once when the connection
   * ends, whether or not the handshake succeeded. The route then returns
   * `UPGRADED`: the answer is already written.
   */
  accept(open: (socket: GuardedSocket) => void, gone: () => void): void;
}

export type { PlainAnswer };

/** A request's headers by lower-case name, repeated values joined (as Node's `IncomingMessage`). */
export type NodeHeaders = Readonly<Record<string, string | undefined>>;

/**
 * A route the guarded server answers itself, from the request's headers and
 * body, without building a fetch `Request` for the app or reading its
 * `Response`: the vote (`routes/api_votes.ts`), the one path that is hot.
 * It answers what the app would; anything it does not take goes to the app.
 */
export interface ExpressRoute {
  /** The method it answers. */
  method: string;
  /** The request target it answers, exactly as sent (so with no query). */
  target: string;
  /** Whether it answers a request with these headers; else the app does. */
  takes(headers: NodeHeaders): boolean;
  /**
   * The answer to a request it took, from its body (decoded as UTF-8) and the
   * client's address. It words its own refusals; a rejection is a bug (500).
   */
  answer(headers: NodeHeaders, body: string, client: string): Promise<PlainAnswer>;
}

/** What a route returns after `GuardedUpgrade.accept`: the server writes nothing more. */
export const UPGRADED: Response = new Response(null, { headers: { "x-matdaan-upgraded": "1" } });

/** How long an idle keep-alive connection stays open by default, in ms (a proxy's must be shorter). */
export const IDLE_TIMEOUT_MS = 5_000;

/** How to serve. */
export interface GuardedServeOptions {
  port: number;
  hostname: string;
  limits: ConnectionLimits;
  /** Time for a request's headers to arrive (default 10 s). */
  headersTimeoutMs?: number;
  /** Time for a whole request to arrive (default 30 s). */
  requestTimeoutMs?: number;
  /** Longer times for a whole request at a few addresses, by "METHOD /path" (the roll upload). */
  slowRequests?: ReadonlyMap<string, number>;
  /** How long an idle keep-alive connection stays open (default 5 s). */
  idleTimeoutMs?: number;
  /** How often the header and request timeouts are checked (default 1 s). */
  checkIntervalMs?: number;
  /**
   * Requests one connection may have unanswered at once (pipelined) before
   * it is closed (default 16; browsers send one at a time).
   */
  maxPipelined?: number;
  /**
   * The largest WebSocket message a client may send, in bytes (default 4 KiB:
   * the live feeds' clients send nothing). A larger one closes the socket
   * (1009) before its payload is read.
   */
  maxWsMessageBytes?: number;
  /**
   * Each client's request budget: past it the answer is 429, written here
   * without the app. A trusted proxy's connections (`limits.caps.exempt`)
   * are left to the app, which knows the forwarded client.
   */
  budget?: RequestBudget;
  /** Routes answered without the app (direct clients only: a trusted proxy's go to the app). */
  express?: ExpressRoute;
  /** How long a connection that was answered 429 is not read (default 1 s; 0: not held). */
  holdOffMs?: number;
  /** How often the listener checks that it still accepts (default 2 s; 0: never). */
  watchdogMs?: number;
  onListen?: (addr: { hostname: string; port: number }) => void;
}

/** A running server. */
export interface GuardedServer {
  port: number;
  /** Stops accepting, lets requests in flight finish, closes idle connections. */
  shutdown(): Promise<void>;
}

function remoteOf(socket: Socket): ServeEnv["remoteAddr"] {
  return {
    transport: "tcp",
    hostname: (socket.remoteAddress ?? "unknown").replace(/^::ffff:/, ""),
    port: socket.remotePort ?? 0,
  };
}

/**
 * Writes a non-101 answer to an upgrade request on the raw socket, then
 * closes it: what the client sends after is read and dropped, and a client
 * that keeps its side open is cut off after `graceMs`. (The socket has been
 * paused since the head was read, and no timeout watches an upgraded
 * socket: a client that read the answer and never closed held the
 * connection, and its place under the caps, for good. node:http did too.)
 */
async function answerRaw(socket: Socket, response: Response, graceMs: number) {
  const body = new Uint8Array(await response.arrayBuffer());
  const lines = [`HTTP/1.1 ${response.status} ${response.statusText || "Refused"}`];
  response.headers.forEach((value, name) => lines.push(`${name}: ${value}`));
  lines.push(`content-length: ${body.length}`, "connection: close", "", "");
  socket.end(Buffer.concat([Buffer.from(lines.join("\r\n")), body]));
  if (socket.destroyed) return;
  const timer = setTimeout(() => socket.destroy(), graceMs);
  socket.once("close", () => clearTimeout(timer));
  // Read (its end closes the socket: not half-open) and dropped, up to a
  // point: a client pumping bytes was read at 1 GB/s until the timeout.
  let dropped = 0;
  socket.on("data", (data: Buffer) => {
    dropped += data.length;
    if (dropped > 1024 * 1024) socket.destroy();
  });
  socket.resume();
}

const utf8 = new TextDecoder();

/** What the guarded server knows of one accepted connection. */
interface Client {
  address: string;
  connection: Http1Connection;
  /** The same for each of its requests. */
  env: ServeEnv;
}

/**
 * Serves `fetch` with connection caps and timeouts.
 *
 * @param fetch The app's handler; it gets a `ServeEnv` as its second argument.
 * @param options Where and how.
 * @returns The server once it listens.
 */
export function serveGuarded(
  fetch: (request: Request, env: ServeEnv) => Response | Promise<Response>,
  options: GuardedServeOptions,
): Promise<GuardedServer> {
  const { limits, budget } = options;
  const exempt = options.limits.caps.exempt ?? new Set<string>();
  // Requests unanswered per connection. A connection may pipeline: one that
  // sent 40,000 and read nothing held 836 MB under node:http, which ran each
  // at once; here too each is handed on at once, and past the cap the
  // connection is closed.
  const maxPipelined = options.maxPipelined ?? 16;
  const { express } = options;
  const http = new Http1Server({
    request(connection, head, body) {
      const socket = connection.socket;
      if (held.has(socket)) {
        // Pipelined past a 429: browsers wait for an answer before they ask
        // again, so only a flood does this. Not answered: the connection
        // closes once the answers before it (the 429 last) are written.
        connection.endAfterAnswers();
        return null;
      }
      if (connection.unanswered > maxPipelined) {
        socket.destroy();
        return null;
      }
      const client = clients.get(socket)!;
      if (client.env.budgeted) {
        const wait = budget!.take(client.address, head.target, headerOf(head, "accept"));
        if (wait > 0) return refuse(socket, head, wait);
      }
      // The express lane: a direct client's request it takes, whole, is
      // answered without a Request or a Response (a trusted proxy's go to the
      // app, which knows the forwarded client and charges its budget).
      if (
        express !== undefined && head.target === express.target &&
        head.method === express.method && !(body instanceof ReadableStream) &&
        !exempt.has(client.address)
      ) {
        const headers = nodeHeaders(head);
        if (express.takes(headers)) {
          const text = body === null ? "" : utf8.decode(body);
          return express.answer(headers, text, client.address);
        }
      }
      const request = toRequest(head, body);
      if (request === null) return new Response(null, { status: 400 });
      return fetch(request, client.env);
    },
    upgrade: (connection, head, rest) => upgrade(connection.socket, head, rest),
    answered(connection, status) {
      if (status === 429) holdOff(connection.socket);
    },
  }, {
    headersTimeoutMs: options.headersTimeoutMs ?? 10_000,
    requestTimeoutMs: options.requestTimeoutMs ?? 30_000,
    slowRequests: options.slowRequests,
    idleTimeoutMs: options.idleTimeoutMs ?? IDLE_TIMEOUT_MS,
    checkIntervalMs: options.checkIntervalMs ?? 1_000,
  });
  // A connection told to wait (429) is not read for `holdOffMs`: its
  // further requests wait in the network, costing nothing, instead of each
  // getting a 429 at once (those already read are not answered: the
  // connection is closed). Answering them as fast as one client sent them
  // took the whole event loop: another client's connection was not accepted
  // for seconds. A trusted proxy's connections carry other clients: not held.
  const holdOffMs = options.holdOffMs ?? 1_000;
  const held = new WeakSet<Socket>();
  // A refusal costs a small answer: no Request, no app, and the connection
  // is held (below) so its next requests wait in the network.
  function refuse(socket: Socket, head: RequestHead, wait: number): PlainAnswer {
    const { body, headers } = budget!.refusal({
      url: head.target,
      wait,
      accept: headerOf(head, "accept"),
      acceptLanguage: headerOf(head, "accept-language"),
      cookie: headerOf(head, "cookie"),
    });
    holdOff(socket);
    return {
      status: 429,
      headers: [...Object.entries(headers).flat(), "retry-after", `${wait}`],
      body,
    };
  }
  function holdOff(socket: Socket) {
    if (holdOffMs <= 0 || held.has(socket) || socket.destroyed) return;
    if (exempt.has(clients.get(socket)?.address ?? "")) return;
    held.add(socket);
    socket.pause();
    const closed = () => clearTimeout(timer);
    const timer = setTimeout(() => {
      held.delete(socket);
      socket.off("close", closed);
      if (!socket.destroyed) socket.resume();
    }, holdOffMs);
    socket.once("close", closed);
  }
  const clients = new Map<Socket, Client>();
  const byClient = new Map<string, Set<Socket>>(); // by clientKey, for eviction
  const forget = (socket: Socket) => {
    const client = clients.get(socket);
    if (client === undefined) return;
    clients.delete(socket);
    const key = clientKey(client.address);
    const mine = byClient.get(key);
    mine?.delete(socket);
    if (mine?.size === 0) byClient.delete(key);
    limits.release(client.address);
  };
  // When the server is full, the client holding the most connections gives
  // up one with no request under way (idle, or still sending its headers)
  // to a client holding fewer: a handful of addresses filling every
  // connection shut every new voter out.
  // A connection whose request is still arriving (a vote on a slow link) goes
  // only when the client has no quiet one: newcomers must not cut a vote.
  const evictFor = (address: string): boolean => {
    const victim = limits.fullest(address);
    const theirs = [...(victim === null ? [] : byClient.get(victim) ?? [])]
      .map((socket) => clients.get(socket)!.connection)
      .filter((connection) => connection.unanswered === 0);
    const connection = theirs.find((c) => c.quiet) ?? theirs[0];
    if (connection === undefined) return false;
    forget(connection.socket);
    connection.socket.destroy();
    return true;
  };
  // The caps are checked as a connection is accepted, before a byte is read.
  const probes = new Set<number>(); // local ports of the watchdog's own connections
  let probed = false;
  const watch = (socket: Socket) => {
    probed = true; // any accepted connection shows the listener works
    socket.on("error", () => {}); // a reset by the client is not our error
    if (probes.has(socket.remotePort ?? -1)) {
      socket.destroy();
      return;
    }
    const remoteAddr = remoteOf(socket);
    const address = remoteAddr.hostname;
    if (!limits.admit(address) && !(limits.full && evictFor(address) && limits.admit(address))) {
      socket.destroy();
      return;
    }
    const budgeted = budget !== undefined && !exempt.has(address);
    clients.set(socket, {
      address,
      connection: http.accept(socket),
      env: { remoteAddr, budgeted },
    });
    const key = clientKey(address);
    byClient.set(key, (byClient.get(key) ?? new Set()).add(socket));
    socket.once("close", () => forget(socket));
  };
  const server = net.createServer(watch);
  // No compression: a deflated message could inflate past the cap.
  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: options.maxWsMessageBytes ?? 4_096,
    perMessageDeflate: false,
    clientTracking: false,
    autoPong: false, // a ping ends the socket (below): nothing to answer
    maxFragments: 1, // a message in fragments is a message: it ends the socket too
  });
  // An upgrade goes to the app (which charges the budget itself: `budgeted`
  // is unset); a route that accepts it hands the socket to ws.
  async function upgrade(socket: Socket, head: RequestHead, rest: Buffer) {
    let accepted = false;
    // What ws reads of Node's IncomingMessage.
    const req = { method: head.method, url: head.target, headers: nodeHeaders(head), socket };
    const upgrade: GuardedUpgrade = {
      accept(open, gone) {
        accepted = true;
        if (socket.destroyed) return gone();
        socket.once("close", gone);
        wss.handleUpgrade(req as unknown as IncomingMessage, socket, rest, (ws) => {
          // A message past the cap: ws queues a close (1009) and would read
          // on until the client closes too; the rest is not read.
          ws.on("error", () => socket.end(() => socket.destroy()));
          // The feeds' clients send nothing, so any message, ping or pong
          // ends the socket at once: 32 sockets from one address sending
          // 4,000-byte messages as fast as they could kept another voter's
          // /healthz unanswered for over 10 s.
          const hostile = () => ws.terminate();
          ws.on("message", hostile);
          ws.on("ping", hostile);
          ws.on("pong", hostile);
          open(ws);
        });
        if (!socket.destroyed) socket.resume(); // paused since the head was read
      },
    };
    try {
      const request = toRequest(head, null);
      const response = request === null
        ? new Response(null, { status: 400 })
        : await fetch(request, { remoteAddr: remoteOf(socket), upgrade });
      if (!accepted) await answerRaw(socket, response, http.options.idleTimeoutMs);
    } catch (e) {
      console.error("A WebSocket upgrade failed:", (e as Error).message);
      socket.destroy();
    }
  }
  // Once an accept fails for want of a descriptor, node:net in Deno stops
  // accepting for good, without an error. So every few seconds the server
  // connects to itself; if that connection is not accepted within a second,
  // twice in a row, the listener is opened anew (the connections it has
  // keep going). A busy process can take over a second to accept (a burst
  // of 14,400 pipelined requests did), and reopening then reset every
  // connection waiting to be accepted: so one miss is not enough, and a
  // probe whose second took much longer proves nothing.
  let probing = false;
  let missed = 0;
  function probeListener(port: number) {
    if (probing || !server.listening) return;
    probing = true;
    probed = false;
    const host = options.hostname === "0.0.0.0"
      ? "127.0.0.1"
      : options.hostname === "::"
      ? "::1"
      : options.hostname;
    const probe = net.connect({ port, host });
    probe.on("error", () => {});
    probe.on("connect", () => probes.add(probe.localPort ?? -1));
    const started = performance.now();
    setTimeout(() => {
      probes.delete(probe.localPort ?? -1);
      probe.destroy();
      probing = false;
      if (probed || !server.listening) {
        missed = 0;
        return;
      }
      if (performance.now() - started > 1_250 || ++missed < 2) return;
      missed = 0;
      console.error("The listener stopped accepting connections; opening it again.");
      server.close();
      server.listen(port, options.hostname);
    }, 1_000);
  }

  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, options.hostname, () => {
      server.off("error", reject);
      // An accept that fails (out of descriptors) or any later server error
      // is logged; it never ends the process.
      server.on("error", (error: Error) => console.error("The HTTP server:", error.message));
      const { port } = server.address() as AddressInfo;
      options.onListen?.({ hostname: options.hostname, port });
      const watchdog = options.watchdogMs ?? 2_000;
      const timer = watchdog > 0 ? setInterval(() => probeListener(port), watchdog) : undefined;
      if (timer !== undefined) Deno.unrefTimer(timer);
      server.once("close", () => clearInterval(timer));
      resolve({
        port,
        async shutdown() {
          clearInterval(timer);
          server.close();
          http.closeIdle();
          // Requests in flight (votes being committed) get a few seconds;
          // then every connection left, WebSockets included, is closed.
          const deadline = Date.now() + 5_000;
          while (http.inFlight > 0 && Date.now() < deadline) {
            await new Promise((r) => setTimeout(r, 10));
          }
          for (const socket of clients.keys()) socket.destroy();
          http.stop();
        },
      });
    });
  });
}

/**
 * Serves with `Deno.serve` (HTTPS and WSS with HTTP/2 when `tls` is given),
 * without the caps and timeouts of `serveGuarded`: for TLS ended by Matdaan,
 * and for `--http-server deno` behind a proxy that caps connections itself.
 * When an accept fails (out of descriptors) `Deno.serve` stops; the server is
 * then opened again on the same port, so the process never ends on it.
 */
export function serveDeno(
  fetch: (request: Request, env: ServeEnv) => Response | Promise<Response>,
  options: {
    port: number;
    hostname: string;
    tls?: { cert: string; key: string };
    onListen?: (addr: { hostname: string; port: number }) => void;
    /** How long to wait before listening again after a failed accept (default 100 ms). */
    retryMs?: number;
  },
): Promise<GuardedServer> {
  let current: Deno.HttpServer<Deno.NetAddr>;
  let stopping = false;
  const handler = (request: Request, info: Deno.ServeHandlerInfo<Deno.NetAddr>) =>
    fetch(request, { remoteAddr: { ...info.remoteAddr, transport: "tcp" } });
  return new Promise((resolve, reject) => {
    const open = (port: number, first: boolean) => {
      try {
        current = Deno.serve({
          port,
          hostname: options.hostname,
          ...options.tls,
          onListen: ({ port }) => {
            if (!first) return;
            options.onListen?.({ hostname: options.hostname, port });
            queueMicrotask(() =>
              resolve({
                port,
                shutdown: () => {
                  stopping = true;
                  return current.shutdown();
                },
              })
            );
          },
        }, handler);
      } catch (e) {
        if (first) return reject(e);
        console.error(`The HTTP server could not listen again: ${(e as Error).message}`);
        setTimeout(() => open(port, false), options.retryMs ?? 100);
        return;
      }
      current.finished.catch((e: Error) => {
        if (stopping) return;
        console.error(`The HTTP server stopped (${e.message}); listening again.`);
        setTimeout(() => open(current.addr.port || port, false), options.retryMs ?? 100);
      });
    };
    open(options.port, true);
  });
}
