/**
 * Follows `/ws/tally` from the browser, reconnecting with exponential backoff
 * (0.5 s doubling to 15 s, with jitter) whenever the connection drops.
 */
import type { Tally } from "../lib/election/types.ts";

/** The state of the live connection, for an indicator. */
export type Connection = "connecting" | "live" | "offline";

/** What to call as the tally and the connection change. */
export interface TallyHandlers {
  onTally(tally: Tally): void;
  onConnection?(state: Connection): void;
}

/** Opens the live tally; returns a function that stops following it. */
export function followTally(handlers: TallyHandlers): () => void {
  return followSocket<Tally>("/ws/tally", {
    onMessage: handlers.onTally,
    onConnection: handlers.onConnection,
  });
}

/**
 * Follows any of the app's sockets (`/ws/tally`, `/ws/admin`), parsing each
 * message as JSON; returns a function that stops following it.
 */
export function followSocket<T>(
  path: string | (() => string),
  handlers: {
    onMessage(message: T): void;
    onConnection?(state: Connection): void;
    /** Asked after each close; false stops reconnecting (the admin panel's session ended). */
    shouldReconnect?(event: CloseEvent): Promise<boolean>;
  },
): () => void {
  let socket: WebSocket | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let attempt = 0;
  let stopped = false;
  function connect() {
    handlers.onConnection?.(attempt === 0 ? "connecting" : "offline");
    const url = new URL(typeof path === "string" ? path : path(), location.href);
    url.protocol = url.protocol === "https:" ? "wss:" : "ws:";
    socket = new WebSocket(url);
    socket.onopen = () => {
      attempt = 0;
      handlers.onConnection?.("live");
    };
    socket.onmessage = (event) => handlers.onMessage(JSON.parse(event.data));
    socket.onclose = async (event) => {
      if (stopped) return;
      handlers.onConnection?.("offline");
      if (handlers.shouldReconnect && !await handlers.shouldReconnect(event)) return;
      const delay = Math.min(15_000, 500 * 2 ** attempt++) * (0.75 + Math.random() / 2);
      timer = setTimeout(connect, delay);
    };
  }

  connect();
  return () => {
    stopped = true;
    clearTimeout(timer);
    socket?.close();
  };
}
