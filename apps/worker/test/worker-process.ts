import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import path from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";

const appDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

/**
 * The worker as a real process (`src/main.ts` through tsx), its JSON log
 * lines collected. `viaPnpm` starts it the way an operator does, `pnpm
 * --filter @ringflow/worker start`, in a process group of its own (so a
 * test can signal the whole group, as a terminal's Ctrl-C does).
 */
export function spawnWorker(
  env: Record<string, string>,
  options: {
    readonly viaPnpm?: boolean;
    /** Which log lines to keep (default: all); a long run keeps only what it looks for. */
    readonly keep?: (line: Record<string, unknown>) => boolean;
  } = {},
): {
  child: ChildProcess;
  lines: Array<Record<string, unknown>>;
  waitForLine(
    predicate: (line: Record<string, unknown>) => boolean,
  ): Promise<Record<string, unknown>>;
  /** SIGKILLs the process and resolves once it has exited. */
  kill(): Promise<void>;
  /** SIGKILLs the process if it still runs (a test's clean-up, whether or not it got to kill it). */
  killIfRunning(): void;
} {
  const stdio: ["ignore", "pipe", "pipe"] = ["ignore", "pipe", "pipe"];
  const child = options.viaPnpm
    ? spawn("pnpm", ["--filter", "@ringflow/worker", "start"], {
        cwd: path.resolve(appDir, "../.."),
        env: { ...process.env, ...env },
        stdio,
        detached: true,
      })
    : spawn(process.execPath, ["--conditions=@ringflow/source", "--import", "tsx", "src/main.ts"], {
        cwd: appDir,
        env: { ...process.env, ...env },
        stdio,
      });
  const lines: Array<Record<string, unknown>> = [];
  const waiters: Array<() => void> = [];
  const stderr: string[] = [];
  child.stderr?.on("data", (chunk) => {
    stderr.push(String(chunk));
    if (stderr.length > 100) stderr.shift();
  });
  createInterface({ input: child.stdout as NodeJS.ReadableStream }).on("line", (text) => {
    let line: Record<string, unknown>;
    try {
      line = JSON.parse(text) as Record<string, unknown>;
    } catch {
      line = { msg: text };
    }
    if (options.keep && !options.keep(line)) return;
    lines.push(line);
    for (const wake of waiters.splice(0)) wake();
  });
  const running = () => child.exitCode === null && child.signalCode === null;
  return {
    child,
    lines,
    async kill() {
      if (!running()) return;
      const exited = once(child, "exit");
      child.kill("SIGKILL");
      await exited;
    },
    killIfRunning() {
      if (running()) child.kill("SIGKILL");
    },
    async waitForLine(predicate) {
      const deadline = Date.now() + 60_000;
      for (;;) {
        const found = lines.find(predicate);
        if (found) return found;
        if (child.exitCode !== null || Date.now() > deadline) {
          throw new Error(`worker log line not seen; stderr: ${stderr.join("")}`);
        }
        await new Promise<void>((resolve) => {
          waiters.push(resolve);
          setTimeout(resolve, 200);
        });
      }
    },
  };
}

/** The environment of a worker process pointed at fs-sim's port, on ephemeral ports. */
export function workerEnv(options: {
  readonly simPort: number;
  readonly databaseUrl: string;
  readonly workerId: string;
  readonly redis?: { readonly url: string; readonly keyPrefix: string };
  readonly extra?: Record<string, string>;
}): Record<string, string> {
  return {
    ESL_HOST: "127.0.0.1",
    ESL_PORT: String(options.simPort),
    ESL_PASSWORD: "ClueCon",
    LISTEN_PORT: "0",
    HTTP_HOST: "127.0.0.1",
    HTTP_PORT: "0",
    DATABASE_URL: options.databaseUrl,
    ...(options.redis
      ? { REDIS_URL: options.redis.url, REDIS_KEY_PREFIX: options.redis.keyPrefix }
      : { REDIS_URL: "" }),
    WORKER_ID: options.workerId,
    LOG_LEVEL: "info",
    ...options.extra,
  };
}
