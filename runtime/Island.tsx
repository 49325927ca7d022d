/**
 * The server side of islands (part of the islands runtime, `runtime/`). `<Island of={VoteBooth} props={...} />` renders
 * the island's HTML, marks its place for the browser, and writes its props as
 * JSON in a `<script type="application/json">` (never executed, so allowed by
 * the Content-Security-Policy). Props must be plain data; top-level signals
 * are sent by value and revived as signals in the browser.
 */
import { type ComponentType, type Context, createContext, type VNode } from "preact";
import { useContext } from "preact/hooks";
import { Signal } from "@preact/signals";

/** Collects the names of the islands a page renders, so only their scripts are sent. */
export const IslandsUsed: Context<Set<string> | null> = createContext<Set<string> | null>(null);

function isPlainData(value: unknown, seen: Set<unknown>): boolean {
  if (value === null || typeof value === "string" || typeof value === "boolean") return true;
  if (typeof value === "number") return Number.isFinite(value);
  if (typeof value !== "object" || seen.has(value)) return false;
  seen.add(value);
  const proto = Object.getPrototypeOf(value);
  const ok = Array.isArray(value)
    ? value.every((v) => isPlainData(v, seen))
    : (proto === Object.prototype || proto === null) &&
      Object.values(value).every((v) => isPlainData(v, seen));
  seen.delete(value);
  return ok;
}

/**
 * Serialises island props as JSON that is safe inside a `<script>` element:
 * every `<` is escaped, so neither `</script` nor `<!--` can appear.
 *
 * @param props The island's props: plain data (JSON values), or signals of plain data.
 * @returns JSON `{ props, signals }`, `signals` naming the props that were signals.
 * @throws {TypeError} When a prop is not plain data (a function, a class instance, a cycle).
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { signal } from "@preact/signals";
 * import { serialiseProps } from "./Island.tsx";
 * const json = serialiseProps({ text: "</script>", count: signal(3) });
 * assert.equal(json, '{"props":{"text":"\\u003c/script>","count":3},"signals":["count"]}');
 * assert.throws(() => serialiseProps({ when: new Date() }), TypeError);
 * ```
 */
export function serialiseProps(props: Record<string, unknown>): string {
  const plain: Record<string, unknown> = {};
  const signals: string[] = [];
  for (const [key, value] of Object.entries(props)) {
    const data = value instanceof Signal ? value.peek() : value;
    if (value instanceof Signal) signals.push(key);
    if (!isPlainData(data, new Set())) {
      throw new TypeError(`Island prop "${key}" must be plain data or a signal of plain data.`);
    }
    plain[key] = data;
  }
  return JSON.stringify({ props: plain, signals })
    .replace(/</g, "\\u003c")
    .replace(/\u2028/g, "\\u2028")
    .replace(/\u2029/g, "\\u2029");
}

/** Props of `Island`: the island component and the props to render and hydrate it with. */
export interface IslandProps<P> {
  /** The island: the default export of a file in `islands/`, named after the file. */
  of: ComponentType<P>;
  /** Its props, rendered on the server and sent to the browser as JSON (plain data or signals). */
  props: P;
}

/**
 * Renders an island on the server and marks it for hydration in the browser.
 *
 * @example
 * ```tsx
 * import assert from "node:assert/strict";
 * import { renderToString } from "preact-render-to-string";
 * import { Island } from "./Island.tsx";
 * function Hello({ who }: { who: string }) {
 *   return <p>Hello {who}</p>;
 * }
 * assert.equal(
 *   renderToString(<Island of={Hello} props={{ who: "Asha" }} />),
 *   '<div data-island="Hello" class="island"><p>Hello Asha</p></div>' +
 *     '<script type="application/json" data-island-props>{"props":{"who":"Asha"},"signals":[]}</script>',
 * );
 * ```
 */
export function Island<P extends object>({ of, props }: IslandProps<P>): VNode {
  const name = of.displayName ?? of.name;
  useContext(IslandsUsed)?.add(name);
  const Component = of as ComponentType<P>;
  return (
    <>
      <div data-island={name} class="island">
        <Component {...props} />
      </div>
      <script
        type="application/json"
        data-island-props=""
        dangerouslySetInnerHTML={{ __html: serialiseProps(props as Record<string, unknown>) }}
      />
    </>
  );
}
