/** `deno task build`: builds the island bundles and style sheets into static/build/. */
import { buildBundles, BuildError } from "../lib/islands/bundles.ts";

try {
  const manifest = await buildBundles();
  for (const [name, url] of Object.entries({ ...manifest.islands, ...manifest.css })) {
    console.log(`${name.padEnd(12)} ${url}`);
  }
} catch (e) {
  if (!(e instanceof BuildError)) throw e;
  console.error(`matdaan build: ${e.message}`);
  Deno.exit(1);
}
