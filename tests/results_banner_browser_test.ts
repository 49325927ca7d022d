/**
 * Issue 15, point 7: no decorative element shows through the closed
 * dashboard's result banner. In Chromium at 320 and 1280 px: no other element
 * is painted where the banner is (`elementsFromPoint` over a grid of its box
 * finds only the banner and the elements it sits in), and with the banner
 * hidden, what lies behind its box (and a margin around it) is the page's
 * plain background: each row of pixels one colour, as the background's
 * vertical gradient paints it, with no shape in it (the bars of the old
 * background picture were painted right there).
 */
import assert from "node:assert/strict";
import { Image } from "imagescript";
import type { Page } from "playwright-core";
import { browserAvailable, launchBrowser } from "./_browser.ts";
import { startServer } from "./_server.ts";
import { sendVote } from "./_voters.ts";

/** How far around the banner its surroundings must be plain too (the margins are 16 px). */
const MARGIN = 8;
/** The most a channel may differ along one row of a plain gradient (dithering). */
const TOLERANCE = 2;

/** Elements painted at points of the banner that are neither inside it nor what it sits in. */
function strangersOverBanner(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const banner = document.querySelector(".result-banner")!;
    const box = banner.getBoundingClientRect();
    const found = new Set<string>();
    for (let i = 0; i <= 12; i++) {
      for (let j = 0; j <= 6; j++) {
        const x = box.left + 1 + (box.width - 2) * i / 12;
        const y = box.top + 1 + (box.height - 2) * j / 6;
        for (const el of document.elementsFromPoint(x, y)) {
          if (banner.contains(el) || el.contains(banner)) continue;
          found.add(`${el.tagName.toLowerCase()}.${[...el.classList].join(".")} at ${x},${y}`);
        }
      }
    }
    return [...found];
  });
}

/** The largest difference of a channel along any row of the screenshot. */
async function rowSpread(png: Uint8Array): Promise<{ spread: number; row: number }> {
  const image = await Image.decode(png);
  const { width, height, bitmap } = image;
  let worst = { spread: 0, row: -1 };
  for (let y = 0; y < height; y++) {
    for (let channel = 0; channel < 3; channel++) {
      let min = 255;
      let max = 0;
      for (let x = 0; x < width; x++) {
        const value = bitmap[(y * width + x) * 4 + channel];
        min = Math.min(min, value);
        max = Math.max(max, value);
      }
      if (max - min > worst.spread) worst = { spread: max - min, row: y };
    }
  }
  return worst;
}

Deno.test({
  name:
    "nothing decorative is painted behind the closed dashboard's result banner (320 and 1280 px)",
  ignore: !browserAvailable(),
  sanitizeOps: false,
  sanitizeResources: false,
  async fn(t) {
    const dir = await Deno.makeTempDir({ prefix: "matdaan-banner-" });
    const server = await startServer(["--db", `${dir}/e.db`, "--limit", "3"]);
    const browser = await launchBrowser();
    try {
      for (const [n, party] of [[0, "aap"], [1, "aap"], [2, "bjp"]] as const) {
        const res = await sendVote(server.url, n, party);
        assert.equal(res.status, 201);
        await res.body?.cancel();
      }
      for (const width of [320, 1280]) {
        await t.step(`${width} px`, async () => {
          const context = await browser.browser.newContext({
            viewport: { width, height: 900 },
            deviceScaleFactor: 1,
          });
          context.setDefaultTimeout(10_000);
          try {
            const page = await context.newPage();
            await page.goto(`${server.url}/results`);
            await page.locator('[data-island="LiveTally"][data-hydrated]').waitFor();
            const banner = page.locator(".result-banner");
            await banner.waitFor();
            assert.match(await banner.innerText(), /AAP/);
            assert.deepEqual(await strangersOverBanner(page), []);

            // What is behind the banner: hide it (and its shadow) and look.
            // (Through the CSSOM: the page's policy refuses a style element, as it should.)
            await page.evaluate(() => {
              const banner = document.querySelector<HTMLElement>(".result-banner")!;
              for (const el of [banner, ...banner.querySelectorAll<HTMLElement>("*")]) {
                el.style.setProperty("visibility", "hidden", "important");
                el.style.setProperty("box-shadow", "none", "important");
              }
            });
            const box = (await banner.boundingBox())!;
            assert.ok(box.y + box.height + MARGIN <= 900, "the banner is in the viewport");
            const clip = {
              x: Math.max(0, Math.floor(box.x - MARGIN)),
              y: Math.floor(box.y - MARGIN),
              width: Math.min(width, Math.ceil(box.width + 2 * MARGIN)),
              height: Math.ceil(box.height + 2 * MARGIN),
            };
            clip.width = Math.min(clip.width, width - clip.x);
            const png = await page.screenshot({ clip, animations: "disabled" });
            const { spread, row } = await rowSpread(png);
            assert.ok(
              spread <= TOLERANCE,
              `behind the banner at ${width} px, row ${clip.y + row} changes by ${spread} across ` +
                `(${JSON.stringify(clip)}): something is painted there`,
            );
          } finally {
            await context.close();
          }
        });
      }
    } finally {
      await browser.close();
      await server.stop();
      await Deno.remove(dir, { recursive: true });
    }
  },
});
