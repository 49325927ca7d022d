/**
 * The server's live terminal: one status line redrawn in place on a terminal
 * (plain lines, at most one every `plainEveryMs`, when the output is a pipe or
 * a log), the close notice, and the result at the close or at the start of a
 * closed election. It reads the tally on a timer, so it never slows a vote.
 */
import type { Tally } from "../election/types.ts";
import { systemTimers, type TimerId, type Timers } from "../timers.ts";
import { closeNotice, resultLines, statusLine } from "./terminal_status.ts";
import { localTime } from "../election/local_time.ts";

/** Erases the current terminal line and returns to its start. */
const CLEAR_LINE = "\r\x1b[2K";
const MINUTE = 60_000;

/** How the display writes and how often. */
export interface TerminalDisplayOptions {
  /** Writes text as given (line breaks included). */
  write: (text: string) => void;
  /** Redraw one line in place (a terminal), or print plain lines (a pipe or log). */
  inPlace: boolean;
  /** The election's time zone, for the close notice. */
  timeZone: string;
  /** How often the tally is read, in milliseconds (default 1000). */
  intervalMs?: number;
  /** In plain mode, the least time between two status lines (default 10 s). */
  plainEveryMs?: number;
  /** The clock and timeouts (default the system's). */
  timers?: Timers;
  /**
   * The terminal's width in characters, read at each redraw: a line that
   * wrapped could no longer be redrawn in place, so it is cut to fit.
   */
  columns?: () => number;
}

/**
 * The live status of an election on the server's terminal.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { TerminalDisplay } from "./terminal_display.ts";
 * import { ManualTimers } from "../timers.ts";
 * const parties = [{ id: "bjp", name: "BJP", votes: 0 }];
 * let tally = { status: "open" as "open" | "closed", total: 0, limit: 2, closedReason: null as "limit" | null,
 *   result: null as { winner: string | null; tie: string[] } | null, results: "live" as const, step: { size: 1, published: 0 }, parties };
 * const timers = new ManualTimers();
 * let out = "";
 * const display = new TerminalDisplay({ snapshot: () => tally }, {
 *   write: (text) => out += text, inPlace: false, timeZone: "UTC", timers,
 * });
 * display.start();
 * assert.match(out, /Voting open · 0 of 2 votes/);
 * tally = { ...tally, status: "closed", total: 2, closedReason: "limit", results: "live" as const, step: { size: 1, published: 0 },
 *   result: { winner: "bjp", tie: [] }, parties: [{ id: "bjp", name: "BJP", votes: 2 }] };
 * timers.advance(1000);
 * assert.match(out, /Voting closed at 00:00:01 UTC: the limit of 2 votes was reached\.\nResult/);
 * assert.match(out, /BJP wins\.\n$/);
 * display.stop();
 * ```
 */
export class TerminalDisplay {
  readonly #source: { snapshot(): Tally };
  readonly #write: (text: string) => void;
  readonly #inPlace: boolean;
  readonly #timeZone: string;
  readonly #intervalMs: number;
  readonly #plainEveryMs: number;
  readonly #timers: Timers;
  readonly #columns: () => number;
  /** Totals seen in the last minute or so, oldest first, to count votes per minute. */
  #samples: { at: number; total: number }[] = [];
  #status: Tally["status"] | null = null;
  /** The status, and whether a mock poll runs, when the samples were taken. */
  #phase = "";
  #line = "";
  #plainAt = -Infinity;
  #timer: TimerId | undefined;

  /**
   * Prepares the display; nothing is written until `start()`.
   *
   * @param source Where the tally is read (an `ElectionStore` will do).
   * @param options How to write, in place or not, the time zone, the timers.
   */
  constructor(source: { snapshot(): Tally }, options: TerminalDisplayOptions) {
    this.#source = source;
    this.#write = options.write;
    this.#inPlace = options.inPlace;
    this.#timeZone = options.timeZone;
    this.#intervalMs = options.intervalMs ?? 1000;
    this.#plainEveryMs = options.plainEveryMs ?? 10_000;
    this.#timers = options.timers ?? systemTimers;
    this.#columns = options.columns ?? (() => Infinity);
  }

  /** Writes the current state (the result, for a closed election) and starts following it. */
  start(): void {
    const tally = this.#source.snapshot();
    this.#status = tally.status;
    if (tally.status === "closed") this.log(resultLines(tally).join("\n"));
    this.#tick();
  }

  /** Writes whole lines above the status line, which is then drawn again. */
  log(text: string): void {
    if (this.#inPlace && this.#line) this.#write(`${CLEAR_LINE}${text}\n${this.#line}`);
    else this.#write(`${text}\n`);
  }

  /** Stops following; on a terminal, leaves the last status line on its own line. */
  stop(): void {
    this.#timers.clearTimeout(this.#timer);
    this.#timer = undefined;
    if (this.#inPlace && this.#line) this.#write("\n");
    this.#line = "";
  }

  #tick() {
    const now = this.#timers.now();
    const tally = this.#source.snapshot();
    // A mock poll's totals are not the election's: a phase change (the mock
    // poll started or cleared, voting opened) starts the count afresh, so a
    // cleared mock poll never shows as negative votes per minute.
    const phase = `${tally.status}${tally.day?.mockPoll ? ":mock" : ""}`;
    if (phase !== this.#phase) this.#samples = [];
    this.#phase = phase;
    // The published total: in live mode it moves by steps, sealed it is hidden.
    this.#samples.push({ at: now, total: tally.total ?? 0 });
    while (this.#samples.length > 1 && this.#samples[1].at <= now - MINUTE) this.#samples.shift();
    const perMinute = tally.total === null ? null : tally.total - this.#samples[0].total;
    if (this.#status === "pending" && tally.status === "open") {
      this.log(`Voting opened at ${localTime(now, this.#timeZone, { date: false })}.`);
    }
    if (this.#status !== "closed" && tally.status === "closed") {
      this.log([closeNotice(tally, now, this.#timeZone), ...resultLines(tally)].join("\n"));
    }
    this.#status = tally.status;
    this.#show(statusLine(tally, perMinute), now);
    this.#timer = this.#timers.setTimeout(() => this.#tick(), this.#intervalMs);
  }

  #show(line: string, now: number) {
    if (this.#inPlace) {
      const width = Math.max(20, this.#columns() - 1);
      if ([...line].length > width) line = [...line].slice(0, width - 1).join("") + "…";
      if (line !== this.#line) this.#write(`${CLEAR_LINE}${line}`);
      this.#line = line;
      return;
    }
    // In a log, a line only when something changed, and not more often than plainEveryMs.
    if (line === this.#line || now - this.#plainAt < this.#plainEveryMs) return;
    this.#line = line;
    this.#plainAt = now;
    this.#write(`${line}\n`);
  }
}
