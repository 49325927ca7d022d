/**
 * Launches Debian's Chromium (or `CHROME_PATH`) headless through
 * playwright-core, with a fresh profile. Without a browser the browser tests
 * are skipped loudly, except on CI (`CI=true`), where they fail.
 */
import { existsSync } from "node:fs";
import axe from "axe-core";
import { type Browser, chromium, type Page } from "playwright-core";

/** The Chromium executable the browser tests use. */
export const CHROME_PATH = Deno.env.get("CHROME_PATH") ?? "/usr/bin/chromium";

/** Whether browser tests can run here; warns (or throws on CI) when they cannot. */
export function browserAvailable(): boolean {
  if (existsSync(CHROME_PATH)) return true;
  const message = `Chromium not found at ${CHROME_PATH} (set CHROME_PATH).`;
  if (Deno.env.get("CI") === "true") throw new Error(`${message} Browser tests cannot run on CI.`);
  console.warn(`\n⚠️  SKIPPING BROWSER TESTS: ${message}\n`);
  return false;
}

/** A launched browser and how to close it and remove its profile. */
export interface TestBrowser {
  browser: Browser;
  close(): Promise<void>;
}

/** Launches headless Chromium (with a fresh temporary profile). */
export async function launchBrowser(): Promise<TestBrowser> {
  const browser = await chromium.launch({
    executablePath: CHROME_PATH,
    headless: true,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
  return {
    browser,
    close: () => browser.close(),
  };
}

/** Runs axe-core on the page; returns each violation as `rule: targets`. */
export async function axeViolations(page: Page): Promise<string[]> {
  await page.evaluate(axe.source);
  const result = await page.evaluate(() =>
    // deno-lint-ignore no-explicit-any
    (globalThis as any).axe.run(document, { resultTypes: ["violations"] })
  );
  return result.violations.map((v: { id: string; nodes: { target: string[] }[] }) =>
    `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`
  );
}
