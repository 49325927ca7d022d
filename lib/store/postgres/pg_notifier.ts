/**
 * Live updates between instances. After commits, an instance announces its
 * tally version on a channel, at most once per interval and never inside a
 * vote's transaction; every instance listens (on the pool's own listening
 * connection, which `postgres` reconnects by itself) and, on a notification,
 * on every (re)listen, and every few seconds as a safety net, asks its owner
 * to read the tally again.
 */
import type postgres from "postgres";
import { Coalescer } from "../../live/coalescer.ts";
import type { Timers } from "../../timers.ts";

/** The channel every instance of one database listens on. */
export const CHANNEL = "matdaan_tally";

/** Options for `PgNotifier`. */
export interface PgNotifierOptions {
  /** The least time between two notifications sent, in milliseconds (default 200). */
  intervalMs?: number;
  /** How often to resynchronise without a notification, in milliseconds (default 5000). */
  resyncMs?: number;
  /** Called with the announced tally version, or null to resynchronise. */
  onChange: (version: number | null) => void;
  /** The clock and timeouts of the coalescing (default: the system's). */
  timers?: Timers;
}

/**
 * Sends coalesced notifications and follows the other instances' ones.
 *
 * @example
 * ```ts ignore
 * // Illustrative: it needs a running PostgreSQL (tests/postgres_notifier_test.ts runs it).
 * import postgres from "postgres";
 * import { PgNotifier } from "./pg_notifier.ts";
 * const sql = postgres("postgres://root@127.0.0.1:5432/matdaan");
 * const notifier = new PgNotifier(sql, { onChange: (version) => console.log(version) });
 * await notifier.start();
 * notifier.changed(42); // other instances' onChange(42) within about 200 ms
 * await notifier.stop();
 * ```
 */
export class PgNotifier {
  readonly #sql: postgres.Sql;
  readonly #options: Required<Omit<PgNotifierOptions, "timers">>;
  readonly #coalescer: Coalescer;
  #listening: postgres.ListenMeta | undefined;
  #resync: ReturnType<typeof setInterval> | undefined;
  #pending: number | null = null;
  #sending: Promise<unknown> = Promise.resolve();
  #stopped = false;

  /**
   * Prepares the notifier; `start()` begins listening.
   *
   * @param sql The instance's pool; `sql.listen` opens its own connection beside it.
   * @param options The intervals and the callback.
   */
  constructor(sql: postgres.Sql, options: PgNotifierOptions) {
    this.#sql = sql;
    this.#options = { intervalMs: 200, resyncMs: 5000, ...options };
    this.#coalescer = new Coalescer(() => this.#send(), {
      intervalMs: this.#options.intervalMs,
      timers: options.timers,
    });
  }

  /** Starts listening; resolves once the first LISTEN is in place. */
  async start(): Promise<void> {
    // Called back on every (re)listen: whatever was announced meanwhile is read again.
    this.#listening = await this.#sql.listen(CHANNEL, (payload) => {
      const version = Number(payload);
      this.#options.onChange(Number.isFinite(version) ? version : null);
    }, () => this.#options.onChange(null));
    // Only once listening: a start that fails leaves no timer behind.
    this.#resync = setInterval(() => this.#options.onChange(null), this.#options.resyncMs);
  }

  /** Announces a committed version: now if the interval has passed, else once at its end. */
  changed(version: number): void {
    if (this.#stopped) return;
    this.#pending = Math.max(this.#pending ?? 0, version);
    this.#coalescer.request();
  }

  #send() {
    const version = this.#pending;
    if (version === null) return;
    this.#pending = null;
    this.#sending = this.#sql.notify(CHANNEL, String(version)).catch((e) =>
      console.error(`Could not notify the other instances: ${e.message}`)
    );
  }

  /** Sends what is pending and stops listening (the pool's `end()` closes the connection). */
  async stop(): Promise<void> {
    clearInterval(this.#resync);
    this.#coalescer.flush();
    this.#stopped = true;
    await this.#sending;
    await this.#listening?.unlisten().catch(() => {});
  }
}
