/** `GET /ws/tally`: the tally on connect and after each change (coalesced). */
import { Hono } from "hono";
import type { ConnectionLimits } from "../lib/server/connection_limits.ts";
import type { TallyFeed } from "../lib/live/tally_feed.ts";
import { acceptSocket } from "./_websocket.ts";

/** The public live tally socket. Messages from the client are ignored. */
export function wsTally(feed: TallyFeed, sockets: ConnectionLimits): Hono {
  return new Hono().get("/", (c) =>
    acceptSocket(c, sockets, {
      open: (socket) => feed.add(socket),
      close: (socket) => feed.remove(socket),
    }));
}
