/** Who is asking: the client's address, as the connection (or a trusted proxy) says. */
import type { Context } from "hono";
import { getConnInfo } from "hono/deno";

/** The caller's address, for caps, throttling and the audit log. */
export function clientAddress(c: Context): string {
  try {
    return getConnInfo(c).remote.address ?? "unknown";
  } catch {
    return "unknown"; // app.request() in tests has no connection
  }
}
