/** Reads QR codes back, as a phone would: from the terminal's text or a screenshot. */
import jsQRModule from "jsqr";
import { Image } from "imagescript";

// jsqr is CommonJS: at run time its default import is the function itself.
const jsQR = jsQRModule as unknown as typeof jsQRModule.default;
const SCALE = 8;
const MARGIN = 4;

/** Decodes a QR code from grey-free RGBA pixels; null when none is found. */
function decodePixels(data: Uint8ClampedArray, width: number, height: number): string | null {
  return jsQR(data, width, height)?.data ?? null;
}

/**
 * Decodes the QR code a terminal shows as half blocks (`▀`, `▄`, `█`, space:
 * two modules a character, dark on light). ANSI colours are dropped; the last
 * row of upper halves drawn in the background's colour is the quiet zone.
 */
export function decodeTerminalQr(output: string): string | null {
  // deno-lint-ignore no-control-regex
  const lines = output.replace(/\x1b\[[0-9;]*m/g, "").split(/\r?\n/)
    .filter((l) => /^[ ▀▄█]+$/.test(l) && /[▀▄█]/.test(l) && !/^▀+$/.test(l.trim()));
  if (lines.length === 0) return null;
  const cols = Math.max(...lines.map((l) => [...l].length));
  const rows = lines.length * 2;
  const width = (cols + 2 * MARGIN) * SCALE;
  const height = (rows + 2 * MARGIN) * SCALE;
  const data = new Uint8ClampedArray(width * height * 4).fill(255);
  lines.forEach((line, i) => {
    [...line].forEach((ch, x) => {
      const dark = [ch === "▀" || ch === "█", ch === "▄" || ch === "█"];
      dark.forEach((isDark, half) => {
        if (!isDark) return;
        for (let dy = 0; dy < SCALE; dy++) {
          for (let dx = 0; dx < SCALE; dx++) {
            const px = (x + MARGIN) * SCALE + dx;
            const py = (i * 2 + half + MARGIN) * SCALE + dy;
            data.fill(0, (py * width + px) * 4, (py * width + px) * 4 + 3);
          }
        }
      });
    });
  });
  return decodePixels(data, width, height);
}

/** Decodes a QR code in a PNG (a Chromium screenshot). */
export async function decodePngQr(png: Uint8Array): Promise<string | null> {
  const image = await Image.decode(png);
  return decodePixels(new Uint8ClampedArray(image.bitmap), image.width, image.height);
}
