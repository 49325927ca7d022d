/** Filling a message's placeholders with elements, where a string will not do. */
import type { ComponentChildren } from "preact";

/**
 * Fills a catalogue message's `{placeholders}` with elements (a link, a
 * `<code>`), so the translator keeps the language's word order around them.
 * An unknown placeholder is left visible.
 *
 * @param template A message, already in the reader's language.
 * @param nodes The elements (or text) by placeholder name.
 * @returns The message's pieces, for use as children.
 */
export function fillNodes(
  template: string,
  nodes: Record<string, ComponentChildren>,
): ComponentChildren[] {
  return template.split(/(\{\w+\})/).filter((part) => part !== "").map((part) => {
    const name = /^\{(\w+)\}$/.exec(part)?.[1];
    return name !== undefined && Object.hasOwn(nodes, name) ? nodes[name] : part;
  });
}
