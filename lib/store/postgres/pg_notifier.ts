/**
 * Live updates between instances. After commits, an instance announces its
 * tally version on a channel, at most once per interval and never inside a
 * vote's transaction; every instance listens on its own connection and, on a
 * notification, on (re)connecting, and every few seconds as a safety net,
 * asks its owner to read the tally again.
 */
import postgres from "postgres";

/** The channel every instance of one database listens on. */
export const CHANNEL = "matdaan_tally";

/** Options for `PgNotifier`. */
export interface PgNotifierOptions {
  /** The least time between two notifications sent (default 200 ms). */
  intervalMs?: number;
  /** How often to resynchronise without a notification (default 5 s). */
  resyncMs?: number;
  /** Called with the announced version (or null to resynchronise). */
  onChange: (version: number | null) => void;
}

/** Sends coalesced notifications and follows the other instances' ones. */
export class PgNotifier {
  readonly #sql: postgres.Sql;
  readonly #url: string;
  readonly #options: Required<PgNotifierOptions>;
  #listener: postgres.Sql | undefined;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #resync: ReturnType<typeof setInterval> | undefined;
  #lastSent = 0;
  #pending: number | null = null;
  #sending: Promise<unknown> = Promise.resolve();
  #stopped = false;

  constructor(sql: postgres.Sql, url: string, options: PgNotifierOptions) {
    this.#sql = sql;
    this.#url = url;
    this.#options = { intervalMs: 200, resyncMs: 5000, ...options };
  }

  /** Starts listening; resolves once the first LISTEN is in place. */
  async start(): Promise<void> {
    this.#resync = setInterval(() => this.#options.onChange(null), this.#options.resyncMs);
    await this.#listen();
  }

  async #listen(): Promise<void> {
    const listener = postgres(this.#url, {
      max: 1,
      idle_timeout: null,
      max_lifetime: null,
      onnotice: () => {},
      onnotify: (_channel: string, payload: string) => {
        const version = Number(payload);
        this.#options.onChange(Number.isFinite(version) ? version : null);
      },
      onclose: () => {
        if (!this.#stopped) this.#reconnect(listener);
      },
    } as unknown as postgres.Options<Record<string, never>>);
    this.#listener = listener;
    await listener.unsafe(`LISTEN ${CHANNEL}`);
    this.#options.onChange(null);
  }

  /** The listening connection dropped: listen again until it works, then resynchronise. */
  async #reconnect(old: postgres.Sql) {
    if (this.#listener !== old) return;
    this.#listener = undefined;
    old.end({ timeout: 0 }).catch(() => {});
    for (let wait = 100; !this.#stopped; wait = Math.min(wait * 2, 5000)) {
      try {
        await this.#listen();
        return;
      } catch {
        await new Promise((r) => setTimeout(r, wait));
      }
    }
  }

  /** Announces a committed version: now if the interval has passed, else once at its end. */
  changed(version: number): void {
    if (this.#stopped) return;
    this.#pending = Math.max(this.#pending ?? 0, version);
    if (this.#timer !== undefined) return;
    const wait = Math.max(0, this.#lastSent + this.#options.intervalMs - Date.now());
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      this.#send();
    }, wait);
  }

  #send() {
    const version = this.#pending;
    if (version === null) return;
    this.#pending = null;
    this.#lastSent = Date.now();
    this.#sending = this.#sql`SELECT pg_notify(${CHANNEL}, ${String(version)})`.catch((e) =>
      console.error(`Could not notify the other instances: ${e.message}`)
    );
  }

  /** Sends what is pending and stops listening. */
  async stop(): Promise<void> {
    clearInterval(this.#resync);
    clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#send();
    await this.#sending;
    this.#stopped = true;
    await this.#listener?.end({ timeout: 1 });
  }
}
