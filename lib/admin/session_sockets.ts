/**
 * Every open admin socket, by the session it was opened with: a sign-out
 * closes that session's sockets at once, and a check every half second
 * closes those whose session expired or was ended on another instance.
 */

/** The part of a WebSocket this needs. */
export interface ClosableSocket {
  /** Closes the socket with a WebSocket close code and reason. */
  close(code?: number, reason?: string): void;
}

/** The close code an admin socket gets when its session ends (the panel then asks to sign in). */
export const SESSION_ENDED = 4401;

/**
 * Closes admin sockets when their session ends.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { SessionSockets } from "./session_sockets.ts";
 * const closed: number[] = [];
 * const sockets = new SessionSockets(() => Promise.resolve(true), { intervalMs: 0 });
 * sockets.add({ close: (code) => closed.push(code ?? 0) }, "s1");
 * sockets.endSession("s1");
 * assert.deepEqual(closed, [4401]);
 * assert.equal(sockets.size, 0);
 * ```
 */
export class SessionSockets {
  readonly #sockets = new Map<ClosableSocket, string>();
  readonly #isValid: (session: string) => Promise<boolean>;
  readonly #timer: ReturnType<typeof setInterval> | undefined;
  #checking = false;

  /**
   * Follows the admin sockets and closes those whose session ends.
   *
   * @param isValid Says whether a session is still live (asks the shared store).
   * @param options `intervalMs`: how often to check (default 500; 0: only on `check`).
   */
  constructor(
    isValid: (session: string) => Promise<boolean>,
    options: { intervalMs?: number } = {},
  ) {
    this.#isValid = isValid;
    const interval = options.intervalMs ?? 500;
    if (interval > 0) {
      const timer = setInterval(() => this.check(), interval);
      Deno.unrefTimer(timer);
      this.#timer = timer;
    }
  }

  /** Watches a socket opened with `session`. */
  add(socket: ClosableSocket, session: string): void {
    this.#sockets.set(socket, session);
  }

  /** Forgets a socket that closed. */
  remove(socket: ClosableSocket): void {
    this.#sockets.delete(socket);
  }

  /** Closes the sockets of one session (it was signed out here). */
  endSession(session: string): void {
    for (const [socket, s] of this.#sockets) if (s === session) this.#close(socket);
  }

  /** Closes every socket (signed out everywhere). */
  endAll(): void {
    for (const socket of this.#sockets.keys()) this.#close(socket);
  }

  /** Checks each session once and closes the sockets of those that ended. */
  async check(): Promise<void> {
    if (this.#checking || this.#sockets.size === 0) return;
    this.#checking = true;
    try {
      for (const session of new Set(this.#sockets.values())) {
        const live = await this.#isValid(session).catch(() => true); // a store hiccup ends nothing
        if (!live) this.endSession(session);
      }
    } finally {
      this.#checking = false;
    }
  }

  /** Open admin sockets. */
  get size(): number {
    return this.#sockets.size;
  }

  /** Stops the checks. */
  stop(): void {
    clearInterval(this.#timer);
  }

  #close(socket: ClosableSocket) {
    this.#sockets.delete(socket);
    try {
      socket.close(SESSION_ENDED, "session ended");
    } catch {
      // already closed
    }
  }
}
