/**
 * Page weight: gzipped bytes of HTML, JavaScript, CSS and images for each
 * public page, and apart from them the web fonts its style sheets name (the
 * Devanagari font is fetched only by pages that show Devanagari).
 */
import { gzipSync } from "node:zlib";
import { startServer } from "../tests/_server.ts";

/** Gzipped bytes by kind for one page. */
export interface PageWeight {
  page: string;
  html: number;
  js: number;
  css: number;
  images: number;
  fonts: number;
}

const ASSET = /<(script|link|img)\b[^>]*?\b(?:src|href)="([^"]+)"[^>]*>/g;
const JS_IMPORT = /(?:import|from)\s*\(?\s*["'](\.{0,2}\/[^"']+\.js)["']/g;
const CSS_URL = /url\(\s*["']?([^"')]+)["']?\s*\)/g;

function kindOf(tag: string, url: string): keyof Omit<PageWeight, "page"> | null {
  if (tag === "script" || url.endsWith(".js")) return "js";
  if (url.endsWith(".css")) return "css";
  if (tag === "img" || /\.(png|svg|jpe?g|webp|ico)$/.test(url)) return "images";
  return null;
}

/** Fetches a page and everything it loads (following JavaScript imports), and weighs it gzipped. */
export async function weighPage(base: string, page: string): Promise<PageWeight> {
  const gz = (bytes: Uint8Array) => gzipSync(bytes).length;
  const res = await fetch(new URL(page, base));
  if (!res.ok) throw new Error(`${page} answered ${res.status}`);
  const html = new Uint8Array(await res.arrayBuffer());
  const weight: PageWeight = { page, html: gz(html), js: 0, css: 0, images: 0, fonts: 0 };
  const seen = new Set<string>();
  const queue: [string, keyof Omit<PageWeight, "page">][] = [];
  for (const [, tag, src] of new TextDecoder().decode(html).matchAll(ASSET)) {
    const kind = kindOf(tag, src);
    if (kind) queue.push([new URL(src, new URL(page, base)).href, kind]);
  }
  while (queue.length) {
    const [url, kind] = queue.shift()!;
    if (seen.has(url) || new URL(url).origin !== new URL(base).origin) continue;
    seen.add(url);
    const res = await fetch(url);
    const bytes = new Uint8Array(await res.arrayBuffer());
    if (!res.ok) continue;
    weight[kind] += gz(bytes);
    if (kind === "js") {
      for (const [, spec] of new TextDecoder().decode(bytes).matchAll(JS_IMPORT)) {
        queue.push([new URL(spec, url).href, "js"]);
      }
    }
    if (kind === "css") {
      for (const [, ref] of new TextDecoder().decode(bytes).matchAll(CSS_URL)) {
        if (!ref.startsWith("data:")) {
          queue.push([new URL(ref, url).href, ref.endsWith(".woff2") ? "fonts" : "images"]);
        }
      }
    }
  }
  return weight;
}

/** Weighs the booth (in English and Hindi), the dashboard and the receipt check on a fresh server. */
export async function benchPageWeight(): Promise<PageWeight[]> {
  const dir = await Deno.makeTempDir({ prefix: "matdaan-weight-" });
  const server = await startServer(["--db", `${dir}/election.db`]);
  try {
    const pages = ["/", "/?lang=hi", "/results", "/check"];
    const weights: PageWeight[] = [];
    for (const page of pages) weights.push(await weighPage(server.url, page));
    return weights;
  } finally {
    await server.stop();
    await Deno.remove(dir, { recursive: true });
  }
}

if (import.meta.main) console.table(await benchPageWeight());
