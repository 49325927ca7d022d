/**
 * Accepts a WebSocket, from `Deno.serve` (tests) or from the guarded server
 * (`serve.ts`, which hands over the raw socket), with a cap on open sockets
 * per client address.
 */
import type { Context } from "hono";
import type { ConnectionLimits } from "../lib/server/connection_limits.ts";
import { HttpError } from "./_errors.ts";
import type { ServeEnv } from "../serve.ts";
import { clientAddress } from "./_client.ts";

/** What to do with an accepted socket. */
export interface SocketHandlers {
  open(socket: WebSocket): void;
  close(socket: WebSocket): void;
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
      { error: { code: "bad_request", message: "This address is a WebSocket." } },
      426,
    );
  }
  const address = clientAddress(c);
  if (!limits.admit(address)) {
    throw new HttpError("too_many_requests", "Too many live connections from this address.");
  }
  const upgrade = (c.env as Partial<ServeEnv> | undefined)?.upgrade;
  let socket: WebSocket, response: Response;
  try {
    ({ socket, response } = Deno.upgradeWebSocket(
      c.req.raw,
      upgrade && { socket: upgrade.socket, head: upgrade.head },
    ));
  } catch (e) {
    limits.release(address);
    throw new HttpError(
      "bad_request",
      `This is not a valid WebSocket request: ${(e as Error).message}`,
    );
  }
  socket.addEventListener("open", () => handlers.open(socket));
  socket.addEventListener("close", () => {
    limits.release(address);
    upgrade?.closed();
    handlers.close(socket);
  });
  return response;
}
