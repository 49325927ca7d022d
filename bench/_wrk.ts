/** Runs wrk and reads its figures. */

/** What one wrk run measured. */
export interface WrkResult {
  requests: number;
  perSecond: number;
  non2xx: number;
  errors: number;
  p50Ms: number;
  p99Ms: number;
}

function millis(value: string): number {
  const m = value.match(/^([\d.]+)(us|ms|s|m)$/);
  if (!m) return NaN;
  const scale = { us: 0.001, ms: 1, s: 1000, m: 60_000 }[m[2] as "us" | "ms" | "s" | "m"];
  // Rounded to the microsecond: 569.00us × 0.001 printed as 0.5690000000000001 ms.
  return Math.round(Number(m[1]) * scale * 1000) / 1000;
}

/**
 * Parses wrk's report (run with `--latency`).
 *
 * @param text What wrk printed.
 * @returns The figures.
 */
export function parseWrk(text: string): WrkResult {
  const num = (re: RegExp) => Number(text.match(re)?.[1] ?? 0);
  const errors = [...text.matchAll(/(?:connect|read|write|timeout) (\d+)/g)]
    .reduce((sum, m) => sum + Number(m[1]), 0);
  return {
    requests: num(/(\d+) requests in/),
    perSecond: num(/Requests\/sec:\s+([\d.]+)/),
    non2xx: num(/Non-2xx or 3xx responses:\s+(\d+)/),
    errors,
    p50Ms: millis(text.match(/\s50%\s+(\S+)/)?.[1] ?? ""),
    p99Ms: millis(text.match(/\s99%\s+(\S+)/)?.[1] ?? ""),
  };
}

/** Whether wrk is installed. */
export async function haveWrk(): Promise<boolean> {
  try {
    await new Deno.Command("wrk", { args: ["--version"], stdout: "null", stderr: "null" }).output();
    return true;
  } catch {
    return false;
  }
}

/** Loads `url` with wrk: one thread, `connections` connections, for `seconds`. */
export async function runWrk(
  url: string,
  options: {
    connections?: number;
    seconds?: number;
    script?: string;
    env?: Record<string, string>;
  } = {},
): Promise<WrkResult> {
  const args = [
    "-t1",
    `-c${options.connections ?? 64}`,
    `-d${options.seconds ?? 10}s`,
    "--latency",
  ];
  if (options.script) args.push("-s", options.script);
  const out = await new Deno.Command("wrk", { args: [...args, url], env: options.env }).output();
  const text = new TextDecoder().decode(out.stdout);
  if (!out.success) throw new Error(`wrk failed: ${new TextDecoder().decode(out.stderr)}`);
  return parseWrk(text);
}
