/** Static files: built bundles under `/build/` (cached for a year) and `static/` under `/static/`. */
import { Hono } from "hono";
import { serveStatic } from "hono/deno";
import { fileURLToPath } from "node:url";

const STATIC = fileURLToPath(new URL("../static", import.meta.url));
const ROOT = fileURLToPath(new URL("..", import.meta.url));

/**
 * Serves `static/build/*` and rendered logos as immutable (their names are
 * content-hashed) and the rest of `static/` with a short cache.
 */
export function staticFiles(): Hono {
  return new Hono()
    .use(
      "/build/*",
      serveStatic({
        root: STATIC,
        onFound: (_path, c) => c.header("Cache-Control", "public, max-age=31536000, immutable"),
      }),
    )
    .use(
      "/static/logos/cache/*",
      serveStatic({
        root: ROOT,
        onFound: (_path, c) => c.header("Cache-Control", "public, max-age=31536000, immutable"),
      }),
    )
    .use(
      "/static/*",
      serveStatic({
        root: ROOT,
        onFound: (_path, c) => c.header("Cache-Control", "public, max-age=3600"),
      }),
    );
}
