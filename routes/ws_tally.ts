/** `GET /ws/tally`: the tally on connect and after each change (coalesced). */
import { Hono } from "hono";
import { upgradeWebSocket } from "hono/deno";
import type { FeedSocket } from "../lib/live/feed_socket.ts";
import type { TallyFeed } from "../lib/live/tally_feed.ts";

/** The public live tally socket. Messages from the client are ignored. */
export function wsTally(feed: TallyFeed): Hono {
  return new Hono().get(
    "/",
    upgradeWebSocket(() => {
      let socket: FeedSocket | undefined;
      return {
        onOpen: (_event, ws) => {
          socket = ws.raw as WebSocket;
          feed.add(socket);
        },
        onClose: () => {
          if (socket) feed.remove(socket);
        },
      };
    }),
  );
}
