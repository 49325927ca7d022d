/**
 * Accepts a WebSocket, from `Deno.serve` (`--http-server deno`, tests) or
 * from the guarded server (`serve.ts`, whose `ws` caps the size of a
 * client's messages), with a cap on open sockets per client address.
 */
import type { Context } from "hono";
import type { ConnectionLimits } from "../lib/server/connection_limits.ts";
import type { FeedSocket } from "../lib/live/feed_socket.ts";
import { HttpError } from "./_errors.ts";
import { type ServeEnv, UPGRADED } from "../serve.ts";
import { clientAddress } from "./_client.ts";
import { localeOf } from "./_locale.ts";
import { translate } from "../lib/i18n/catalogue.ts";

/** What to do with an accepted socket. */
export interface SocketHandlers {
  open(socket: FeedSocket): void;
  close(socket: FeedSocket): void;
}

/**
 * Upgrades the request: 426 without an upgrade header, 429 past the
 * client's cap on open sockets.
 */
export function acceptSocket(
  c: Context,
  limits: ConnectionLimits,
  handlers: SocketHandlers,
): Response {
  if (c.req.header("upgrade")?.toLowerCase() !== "websocket") {
    return c.json(
      { error: { code: "bad_request", message: translate(localeOf(c), "websocket_only") } },
      426,
    );
  }
  const address = clientAddress(c);
  if (!limits.admit(address)) {
    throw new HttpError("too_many_requests", { reason: "too_many_sockets" });
  }
  const guarded = (c.env as Partial<ServeEnv> | undefined)?.upgrade;
  if (guarded) {
    guarded.accept((socket) => {
      handlers.open(socket);
      socket.addEventListener("close", () => handlers.close(socket));
    }, () => limits.release(address));
    return UPGRADED;
  }
  let socket: WebSocket, response: Response;
  try {
    ({ socket, response } = Deno.upgradeWebSocket(c.req.raw));
  } catch {
    // Deno's reason ("'connection' header must contain 'Upgrade'") is a developer's, in English.
    limits.release(address);
    throw new HttpError("bad_request", { reason: "websocket_invalid" });
  }
  socket.addEventListener("open", () => handlers.open(socket));
  socket.addEventListener("close", () => {
    limits.release(address);
    handlers.close(socket);
  });
  return response;
}
