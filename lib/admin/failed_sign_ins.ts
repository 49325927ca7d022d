/**
 * Failed sign-ins, coalesced for the audit log: one entry per address per
 * minute with a count, written by a timer rather than by each request, so a
 * flood of guesses neither floods the log nor adds a disk sync per guess.
 */
import type { AuditEvent } from "./audit_log.ts";

/** Addresses written one by one per flush; beyond them one entry sums the rest. */
export const MAX_ENTRIES_PER_FLUSH = 50;

/** Where the entries go: an `AuditLog`, or anything with its `append`. */
export interface AuditSink {
  /** Records one entry; what it returns is not used. */
  append(event: AuditEvent): unknown;
}

/**
 * Counts failed sign-ins by address and writes them to the audit log.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { FailedSignIns } from "./failed_sign_ins.ts";
 * const written: unknown[] = [];
 * const failed = new FailedSignIns({ append: (e) => written.push(e) }, { intervalMs: 0 });
 * for (let i = 0; i < 500; i++) failed.record("10.0.0.1", "throttled");
 * failed.record("10.0.0.2", "wrong_password");
 * failed.flush();
 * assert.equal(written.length, 2);
 * assert.deepEqual((written[0] as { detail: unknown }).detail, { count: 500, wrong_password: 0, throttled: 500 });
 * ```
 */
export class FailedSignIns {
  readonly #audit: AuditSink;
  readonly #counts = new Map<string, { wrong_password: number; throttled: number }>();
  readonly #timer: ReturnType<typeof setInterval> | undefined;

  /**
   * Collects failed sign-ins and writes them to the log now and then.
   *
   * @param audit The log.
   * @param options `intervalMs`: how often to write (default a minute; 0: only on `flush`).
   */
  constructor(audit: AuditSink, options: { intervalMs?: number } = {}) {
    this.#audit = audit;
    const interval = options.intervalMs ?? 60_000;
    if (interval > 0) {
      const timer = setInterval(() => this.flush(), interval);
      Deno.unrefTimer(timer);
      this.#timer = timer;
    }
  }

  /** Counts one failed sign-in from `address`. */
  record(address: string, reason: "wrong_password" | "throttled"): void {
    const counts = this.#counts.get(address) ?? { wrong_password: 0, throttled: 0 };
    counts[reason]++;
    this.#counts.set(address, counts);
  }

  /** Writes what was counted since the last flush. */
  flush(): void {
    const entries = [...this.#counts];
    this.#counts.clear();
    for (const [address, counts] of entries.slice(0, MAX_ENTRIES_PER_FLUSH)) {
      this.#audit.append({
        actor: "unknown",
        address,
        event: "login-failed",
        detail: { count: counts.wrong_password + counts.throttled, ...counts },
      });
    }
    const rest = entries.slice(MAX_ENTRIES_PER_FLUSH);
    if (rest.length > 0) {
      const count = rest.reduce((n, [, c]) => n + c.wrong_password + c.throttled, 0);
      this.#audit.append({
        actor: "unknown",
        address: "-",
        event: "login-failed",
        detail: { count, addresses: rest.length },
      });
    }
  }

  /** Writes what is left and stops the timer. */
  stop(): void {
    clearInterval(this.#timer);
    this.flush();
  }
}
