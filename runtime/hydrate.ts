/**
 * The browser side of islands (part of the islands runtime, `runtime/`): finds each server-rendered instance of one
 * island, reads its props from the JSON script after it, revives signals and
 * hydrates it. The build makes one entry per island that calls this.
 */
import { type ComponentType, h, hydrate } from "preact";
import { signal } from "@preact/signals";

/** What the server wrote after an island (see `serialiseProps` in `Island.tsx`). */
interface IslandData {
  /** The props as plain data. */
  props: Record<string, unknown>;
  /** The props to revive as signals. */
  signals: string[];
}

function readData(marker: Element): IslandData {
  const script = marker.nextElementSibling;
  if (script?.hasAttribute("data-island-props")) return JSON.parse(script.textContent ?? "");
  return { props: {}, signals: [] };
}

/**
 * Hydrates every instance of the island `name` on the page and marks each
 * with `data-hydrated` (the browser tests wait for it).
 *
 * @param name The island's name, as in `data-island="…"`.
 * @param component The island component (the file's default export).
 * @example Illustration only (it needs a browser document); each built entry is exactly this
 * ```ts ignore
 * import { hydrateIslands } from "./hydrate.ts";
 * import VoteBooth from "../islands/VoteBooth.tsx";
 * hydrateIslands("VoteBooth", VoteBooth);
 * ```
 */
export function hydrateIslands(name: string, component: ComponentType<Record<string, unknown>>) {
  for (const marker of document.querySelectorAll(`[data-island="${name}"]`)) {
    const { props, signals } = readData(marker);
    for (const key of signals) props[key] = signal(props[key]);
    hydrate(h(component, props), marker);
    marker.setAttribute("data-hydrated", "");
  }
}
