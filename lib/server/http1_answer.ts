/**
 * Writes a fetch `Response` to an HTTP/1 connection: the status line, the
 * headers and a body done after its first chunk (every page and JSON answer)
 * in one socket write, with its length; a longer body (the register's CSV)
 * streamed in chunks with back-pressure, and dropped if the client goes away.
 */
import { Buffer } from "node:buffer";
import { STATUS_CODES } from "node:http";
import type { Socket } from "node:net";

/** How the answer is framed. */
export interface AnswerFraming {
  /** The answer to a HEAD: headers only. */
  head: boolean;
  /** HTTP/1.0: no chunked encoding; a streamed body ends with the connection. */
  http10: boolean;
  /** Whether the connection stays open after this answer. */
  keepAlive: boolean;
  /** With `keepAlive`, the idle timeout told to the client, in seconds. */
  keepAliveSeconds: number;
}

/**
 * An answer written as it is, without a fetch `Response`: what an express
 * lane gives (`serve.ts`), one socket write with no stream to read.
 */
export interface PlainAnswer {
  status: number;
  /** Header names and values, alternating; no length, no framing. */
  headers: readonly string[];
  /** The body; its length is added. */
  body: string;
}

/** What `writeAnswer` did: whether the connection may carry another answer. */
export type Written = "open" | "ended";

const statusLines = new Map<number, string>();
function statusLine(status: number): string {
  let line = statusLines.get(status);
  if (line === undefined) {
    line = `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? "Unknown"}\r\n`;
    statusLines.set(status, line);
  }
  return line;
}

let dateLine = "";
let dateSecond = 0;
/** The `date` header line, made once a second. */
function dateHeader(): string {
  const now = Date.now();
  const second = Math.floor(now / 1000);
  if (second !== dateSecond) {
    dateSecond = second;
    dateLine = `date: ${new Date(second * 1000).toUTCString()}\r\n`;
  }
  return dateLine;
}

/** Resolves when `socket` can take more, or has closed. */
function drained(socket: Socket): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      socket.off("drain", done);
      socket.off("close", done);
      resolve();
    };
    socket.on("drain", done);
    socket.on("close", done);
  });
}

const encoder = new TextEncoder();
/**
 * `text` (one byte a character: header values are byte strings) with `body`
 * after it. `encodeInto` is native and about seven times as fast as Deno's
 * latin1 `Buffer.write`, which is kept for the rare value past ASCII.
 */
function joined(text: string, body: Uint8Array | undefined): Buffer {
  const size = body?.byteLength ?? 0;
  const out = Buffer.allocUnsafe(text.length + size);
  const { read, written } = encoder.encodeInto(text, out);
  if (read !== text.length || written !== text.length) out.write(text, 0, "latin1");
  if (body !== undefined) out.set(body, text.length);
  return out;
}

/**
 * Writes `response` to `socket` as the answer to one request.
 *
 * @param socket The connection.
 * @param response The app's answer.
 * @param framing How to frame it.
 * @returns Once it is written (or the client has gone): whether the connection stays open.
 * @example Illustrative (it needs a connection):
 * ```ts ignore
 * const framing = { head: false, http10: false, keepAlive: true, keepAliveSeconds: 5 };
 * await writeAnswer(socket, new Response("hi"), framing);
 * ```
 */
export async function writeAnswer(
  socket: Socket,
  response: Response | PlainAnswer,
  framing: AnswerFraming,
): Promise<Written> {
  if (!(response instanceof Response)) return writePlain(socket, response, framing);
  const { status } = response;
  let head = statusLine(status);
  let length: string | undefined;
  response.headers.forEach((value, name) => {
    if (name === "content-length") length = value;
    else if (name === "connection" || name === "transfer-encoding" || name === "keep-alive") {
      return; // the framing is the connection's
    }
    head += `${name}: ${value}\r\n`;
  });
  head += dateHeader();
  let keepAlive = framing.keepAlive;
  const body = response.body;
  const bodiless = framing.head || status === 204 || status === 304 || status < 200;
  if (bodiless || body === null) {
    if (!bodiless) length = "0";
    if (length !== undefined) head += `content-length: ${length}\r\n`;
    head += connection(keepAlive, framing);
    socket.write(joined(head, undefined));
    if (body !== null) body.cancel().catch(() => {});
    return keepAlive ? "open" : "ended";
  }
  const reader = body.getReader();
  try {
    const first = await reader.read();
    const second = first.done ? first : await reader.read();
    if (second.done) {
      const bytes = first.done ? undefined : first.value;
      head += `content-length: ${length ?? bytes?.byteLength ?? 0}\r\n`;
      head += connection(keepAlive, framing);
      if (!socket.destroyed) socket.write(joined(head, bytes));
      return keepAlive ? "open" : "ended";
    }
    // Streamed: chunked unless the app gave the length; HTTP/1.0 knows no
    // chunks, so there the connection's end ends the body.
    const chunked = length === undefined && !framing.http10;
    if (length !== undefined) head += `content-length: ${length}\r\n`;
    else if (chunked) head += "transfer-encoding: chunked\r\n";
    else keepAlive = false;
    head += connection(keepAlive, framing);
    let chunk: ReadableStreamReadResult<Uint8Array> = first;
    let text = head;
    while (!chunk.done) {
      if (socket.destroyed) return "ended";
      const bytes = chunk.value;
      if (chunked) text += `${bytes.byteLength.toString(16)}\r\n`;
      const flushed = socket.write(joined(text, bytes));
      text = chunked ? "\r\n" : "";
      if (!flushed) await drained(socket);
      chunk = chunk === first ? second : await reader.read();
    }
    if (chunked) socket.write(joined(`${text}0\r\n\r\n`, undefined));
    return keepAlive ? "open" : "ended";
  } catch (e) {
    console.error("An answer could not be written:", (e as Error).message);
    socket.destroy();
    return "ended";
  } finally {
    // No releaseLock(): the stream is done with, and releasing makes an Error (a stack) each time.
    if (socket.destroyed) reader.cancel().catch(() => {});
  }
}

/** Writes a plain answer in one socket write. */
function writePlain(socket: Socket, answer: PlainAnswer, framing: AnswerFraming): Written {
  let head = statusLine(answer.status);
  const { headers } = answer;
  for (let i = 0; i < headers.length; i += 2) head += `${headers[i]}: ${headers[i + 1]}\r\n`;
  const bytes = encoder.encode(answer.body);
  head += dateHeader();
  head += `content-length: ${bytes.byteLength}\r\n`;
  head += connection(framing.keepAlive, framing);
  if (!socket.destroyed) socket.write(joined(head, framing.head ? undefined : bytes));
  return framing.keepAlive ? "open" : "ended";
}

function connection(keepAlive: boolean, framing: AnswerFraming): string {
  if (!keepAlive) return "connection: close\r\n\r\n";
  return framing.http10
    ? `connection: keep-alive\r\nkeep-alive: timeout=${framing.keepAliveSeconds}\r\n\r\n`
    : `keep-alive: timeout=${framing.keepAliveSeconds}\r\n\r\n`;
}
