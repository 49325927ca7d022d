/**
 * Runs the real server (`main.ts`) as a child process on a free port, for
 * tests that need real sockets, signals or a crash.
 */
import { fileURLToPath } from "node:url";
import { ensureBundles } from "../runtime/bundles.ts";
import { prepareLogos } from "../lib/logos/logos.ts";
import { DEFAULT_PARTIES } from "../lib/election/parties.ts";
import { waitFor } from "./_wait.ts";
import net from "node:net";
import { type GuardedServeOptions, type ServeEnv, serveGuarded } from "../serve.ts";
import { ConnectionLimits } from "../lib/server/connection_limits.ts";

const MAIN = fileURLToPath(new URL("../main.ts", import.meta.url));

let built: Promise<void> | null = null;
/**
 * What `deno task build` does before `deno task start`: the server never
 * builds, so tests that run `main.ts` build first (once per test process).
 */
export function buildOnce(): Promise<void> {
  built ??= (async () => {
    await prepareLogos(DEFAULT_PARTIES, undefined, { prune: false });
    await ensureBundles();
  })();
  return built;
}

/**
 * Server arguments for a load that stands for many clients: every request
 * comes from this machine, so the per-client request budget is lifted
 * (not switched off: its cost per request is still measured).
 */
export const MANY_CLIENTS = ["--requests-per-client", "1000000000"];

/** A server four addresses can fill: 32 connections in all, 8 from one address. */
export const SMALL_SERVER = ["--max-connections", "32", "--connections-per-client", "8"];

/** A running server process. */
export interface ServerProcess {
  /** Base URL, e.g. `http://127.0.0.1:40123`. */
  url: string;
  port: number;
  process: Deno.ChildProcess;
  /** Everything the server printed so far (stdout and stderr). */
  output(): string;
  /** Sends a signal and waits for the exit; returns the exit code. */
  stop(signal?: Deno.Signal): Promise<number>;
}

/** Options for `startServer`. */
export interface StartOptions {
  env?: Record<string, string>;
  /** How long to wait for "Listening on port" (default 30 s). */
  timeoutMs?: number;
  /** A command that runs deno, e.g. `["prlimit", "--nofile=2048", "--"]`. */
  wrapper?: string[];
}

/**
 * Starts `main.ts` with `args` (add `--db`; `--port 0 --host 127.0.0.1
 * --step 1` are added unless given) and waits until it listens.
 */
export async function startServer(
  args: string[],
  options: StartOptions = {},
): Promise<ServerProcess> {
  const full = [...args];
  if (!full.includes("--port")) full.push("--port", "0");
  if (!full.includes("--host")) full.push("--host", "127.0.0.1");
  // Steps of one vote unless asked: most tests follow the tally vote by vote.
  if (!full.includes("--step")) full.push("--step", "1");
  // Without --db (PostgreSQL), the audit log still needs a folder: never the repository's data/.
  const scratch = full.includes("--db") ? null : await Deno.makeTempDir({ prefix: "matdaan-srv-" });
  if (scratch) full.push("--db", `${scratch}/election.db`);
  await buildOnce();
  const server = await startScript(MAIN, full, options);
  if (!scratch) return server;
  return {
    ...server,
    async stop(signal?: Deno.Signal) {
      const code = await server.stop(signal);
      await Deno.remove(scratch, { recursive: true }).catch((e) => {
        if (!(e instanceof Deno.errors.NotFound)) throw e; // stopped twice
      });
      return code;
    },
  };
}

/**
 * Runs a Deno script (with every permission) that prints "Listening on port
 * N." and waits until it does. The URL's host is the `--host` argument, else
 * 127.0.0.1.
 */
export function startScript(
  script: string,
  full: string[],
  options: StartOptions = {},
): Promise<ServerProcess> {
  return startDeno(["run", "--allow-all", script, ...full], options);
}

/**
 * Runs `deno` with `args` (a `run` or a `task`) and waits until it prints
 * "Listening on port N.".
 */
export async function startDeno(
  args: string[],
  options: StartOptions & { cwd?: string } = {},
): Promise<ServerProcess> {
  const full = args;
  const [command, ...prefix] = [...options.wrapper ?? [], Deno.execPath()];
  const child = new Deno.Command(command, {
    args: [...prefix, ...args],
    cwd: options.cwd,
    env: options.env,
    stdout: "piped",
    stderr: "piped",
    stdin: "null",
  }).spawn();
  let text = "";
  const decoder = new TextDecoder();
  const pump = async (stream: ReadableStream<Uint8Array>) => {
    for await (const chunk of stream) text += decoder.decode(chunk, { stream: true });
  };
  const pumps = Promise.all([pump(child.stdout), pump(child.stderr)]);
  const status = child.status;
  let port = 0;
  let exited = false;
  status.then(() => exited = true);
  try {
    await waitFor(
      () => {
        port = Number(text.match(/Listening on port (\d+)/)?.[1] ?? 0);
        if (!port && exited) throw new Error(`The server exited before listening:\n${text}`);
        return port > 0;
      },
      options.timeoutMs ?? 30_000,
      { intervalMs: 20, what: () => `the server to listen:\n${text}` },
    );
  } catch (e) {
    if (!exited) child.kill("SIGKILL");
    await status;
    throw e;
  }
  const host = full.includes("--host") ? full[full.indexOf("--host") + 1] : "127.0.0.1";
  return {
    url: `http://${host.includes(":") ? `[${host}]` : host}:${port}`,
    port,
    process: child,
    output: () => text,
    async stop(signal: Deno.Signal = "SIGTERM") {
      if (!exited) child.kill(signal);
      const { code } = await status;
      await pumps;
      return code;
    },
  };
}

/** Runs `main.ts` to completion (for bad command lines) and returns its exit code and output. */
export async function runMain(
  args: string[],
): Promise<{ code: number; stdout: string; stderr: string }> {
  await buildOnce();
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "--allow-all", MAIN, ...args],
    stdin: "null",
  }).output();
  const decoder = new TextDecoder();
  return { code: out.code, stdout: decoder.decode(out.stdout), stderr: decoder.decode(out.stderr) };
}

/** Opens a TCP connection from `localAddress` (a loopback address of 127/8); null if refused. */
export function connectFrom(port: number, localAddress: string): Promise<net.Socket | null> {
  return new Promise((resolve) => {
    const socket = net.connect({ port, host: "127.0.0.1", localAddress });
    socket.once("connect", () => resolve(socket));
    socket.once("error", () => resolve(null));
    socket.on("error", () => {}); // a reset by the server later is expected
  });
}

/**
 * `serveGuarded` in this process, on a free port of 127.0.0.1, without the
 * listener's watchdog, 100 connections in all and from one address unless
 * `options` say otherwise; with its base URL.
 */
export async function serveHere(
  fetch: (request: Request, env: ServeEnv) => Response | Promise<Response>,
  options: Partial<GuardedServeOptions> = {},
) {
  const server = await serveGuarded(fetch, {
    port: 0,
    hostname: "127.0.0.1",
    limits: new ConnectionLimits({ total: 100, perClient: 100 }),
    watchdogMs: 0,
    ...options,
  });
  return { ...server, url: `http://127.0.0.1:${server.port}` };
}
