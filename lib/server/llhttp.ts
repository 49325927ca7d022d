/**
 * Node's HTTP/1 request parser (llhttp) as Deno's `node:http` uses it, with
 * types: `node:_http_common` is typed `any` in Deno. Matdaan's guarded server
 * (`http1.ts`) drives it; no HTTP is parsed by hand.
 */
import * as common from "node:_http_common";
import type { Buffer } from "node:buffer";

/** Called once the request line and headers are in (Node's callback, in its order). */
export type OnHeadersComplete = (
  versionMajor: number,
  versionMinor: number,
  /** Names and values as sent, flat; undefined when `OnHeaders` had them already. */
  headers: string[] | undefined,
  /** An index into `methods`. */
  method: number,
  /** The request target as sent; undefined when `OnHeaders` had it already. */
  url: string | undefined,
  statusCode: undefined,
  statusMessage: undefined,
  upgrade: boolean,
  shouldKeepAlive: boolean,
) => number;

/** What llhttp's `execute` returns for input it refuses. */
export interface ParseError extends Error {
  /** llhttp's name for it, such as `HPE_HEADER_OVERFLOW` or `HPE_INVALID_METHOD`. */
  code: string;
}

/** One parser, for one connection's requests in turn. */
export interface HttpParser {
  initialize(kind: number, resource: object, maxHeaderSize: number, lenient: number): void;
  /** Parses `data`: the bytes taken, or the error that stopped it. */
  execute(data: Buffer): number | ParseError;
  close(): void;
  [key: number]: unknown;
}

/** The parser's constructor and the keys its callbacks are set under. */
export interface HttpParserClass {
  new (): HttpParser;
  readonly REQUEST: number;
  /** `() => void`: a request's first byte. */
  readonly kOnMessageBegin: number;
  /** `(headers: string[], url: string) => void`: a part of long headers, before the rest. */
  readonly kOnHeaders: number;
  /** An `OnHeadersComplete`. */
  readonly kOnHeadersComplete: number;
  /** `(chunk: Buffer) => void`: a piece of the body, de-chunked. */
  readonly kOnBody: number;
  /** `() => void`: the request's last byte. */
  readonly kOnMessageComplete: number;
}

/** llhttp's request parser. */
export const HTTPParser: HttpParserClass = common.HTTPParser;

/** Method names by the index `OnHeadersComplete` gives. */
export const methods: readonly string[] = common.methods;
