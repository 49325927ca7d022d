/**
 * The page shell's part of the islands runtime: renders a page's content while
 * noting which islands it contains, and lists the scripts of exactly those
 * islands for the document head. `components/Layout.tsx` (the app's chrome)
 * calls both.
 */
import type { ComponentChildren } from "preact";
import { renderToString } from "preact-render-to-string";
import { IslandsUsed } from "./Island.tsx";
import type { BuildManifest } from "./manifest.ts";

/** A page's content rendered to HTML, and the names of the islands in it. */
export interface RenderedContent {
  /** The content's HTML. */
  html: string;
  /** The names of the islands it rendered (file names in `islands/` without `.tsx`). */
  islands: Set<string>;
}

/**
 * Renders `content` to HTML and collects the islands it rendered.
 *
 * @param content The page's main content (JSX).
 * @returns The HTML and the islands used.
 * @example
 * ```tsx
 * import assert from "node:assert/strict";
 * import { Island } from "./Island.tsx";
 * import { renderContent } from "./page.tsx";
 * function Clock() {
 *   return <time>now</time>;
 * }
 * const { html, islands } = renderContent(<main><Island of={Clock} props={{}} /></main>);
 * assert.deepEqual([...islands], ["Clock"]);
 * assert.match(html, /^<main><div data-island="Clock"/);
 * assert.equal(renderContent(<p>Static</p>).islands.size, 0);
 * ```
 */
export function renderContent(content: ComponentChildren): RenderedContent {
  const islands = new Set<string>();
  const html = renderToString(
    <IslandsUsed.Provider value={islands}>{content}</IslandsUsed.Provider>,
  );
  return { html, islands };
}

/**
 * The script URLs to load for `islands`: none without a build (pages then
 * work without JavaScript, as in unit tests).
 *
 * @param assets The current build, or null.
 * @param islands The islands a page rendered.
 * @returns One module script URL per island, in the order rendered.
 * @throws {Error} When the build has no bundle for one of them (run `deno task build`).
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { islandScripts } from "./page.tsx";
 * const assets = { sourceHash: "x", islands: { Clock: "/build/Clock-1.js" }, css: {} };
 * assert.deepEqual(islandScripts(assets, new Set(["Clock"])), ["/build/Clock-1.js"]);
 * assert.deepEqual(islandScripts(null, new Set(["Clock"])), []);
 * assert.throws(() => islandScripts(assets, new Set(["Map"])), /deno task build/);
 * ```
 */
export function islandScripts(assets: BuildManifest | null, islands: Set<string>): string[] {
  if (!assets) return [];
  return [...islands].map((name) => {
    const url = assets.islands[name];
    if (!url) throw new Error(`Island ${name} is not in the build; run deno task build.`);
    return url;
  });
}
