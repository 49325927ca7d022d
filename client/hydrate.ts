/**
 * The browser side of islands: finds each server-rendered instance of one
 * island, reads its props from the JSON script after it, revives signals and
 * hydrates it. The build makes one entry per island that calls this.
 */
import { type ComponentType, h, hydrate } from "preact";
import { signal } from "@preact/signals";

interface IslandData {
  props: Record<string, unknown>;
  signals: string[];
}

function readData(marker: Element): IslandData {
  const script = marker.nextElementSibling;
  if (script?.hasAttribute("data-island-props")) return JSON.parse(script.textContent ?? "");
  return { props: {}, signals: [] };
}

/** Hydrates every instance of the island `name` on the page. */
export function hydrateIslands(name: string, component: ComponentType<Record<string, unknown>>) {
  for (const marker of document.querySelectorAll(`[data-island="${name}"]`)) {
    const { props, signals } = readData(marker);
    for (const key of signals) props[key] = signal(props[key]);
    hydrate(h(component, props), marker);
    marker.setAttribute("data-hydrated", "");
  }
}
