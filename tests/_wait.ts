/**
 * The one wait loop of the tests and benchmarks: every wait has a deadline,
 * so a condition that never comes fails the test instead of hanging the run.
 */

/** How `waitFor` polls and what it says when the deadline passes. */
export interface WaitOptions {
  /** Milliseconds between checks; 10 unless given. */
  intervalMs?: number;
  /** What was awaited, for the failure message (a function is called only on failure). */
  what?: string | (() => string);
}

/**
 * Checks `predicate` until it holds, at least once and then every `intervalMs`.
 * Throws once `timeoutMs` milliseconds have passed without it holding.
 */
export async function waitFor(
  predicate: () => boolean | Promise<boolean>,
  timeoutMs: number,
  options: WaitOptions = {},
): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!await predicate()) {
    if (performance.now() > deadline) {
      const what = typeof options.what === "function" ? options.what() : options.what;
      throw new Error(`Waited ${timeoutMs} ms in vain${what ? ` for ${what}` : ""}.`);
    }
    await new Promise((r) => setTimeout(r, options.intervalMs ?? 10));
  }
}
