import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { createServer } from "node:net";
import { Redis } from "ioredis";

/** A port nothing listens on right now. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (!address || typeof address !== "object") throw new Error("no free port");
  return address.port;
}

/**
 * A `redis-server` of a test's own, on a free port, without persistence
 * (`--save "" --appendonly no`): stopping and starting it again is Redis
 * restarted empty. Tests that stop or stall Redis use one of these, never
 * the shared Redis.
 */
export class RedisServer {
  private process: ChildProcess | undefined;

  private constructor(
    readonly port: number,
    private readonly extraArgs: readonly string[],
  ) {}

  /**
   * Starts one on a free port and waits until it answers; `args` adds
   * `redis-server` options (a cluster node's, a replica's), given the port.
   */
  static async start(args?: (port: number) => readonly string[]): Promise<RedisServer> {
    const port = await freePort();
    const server = new RedisServer(port, args?.(port) ?? []);
    await server.start();
    return server;
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  /** Starts it (again, on the same port) and waits until it answers PING. */
  async start(): Promise<void> {
    if (this.process) return;
    const child = spawn(
      "redis-server",
      [
        "--port",
        String(this.port),
        "--bind",
        "127.0.0.1",
        "--save",
        "",
        "--appendonly",
        "no",
        ...this.extraArgs,
      ],
      { stdio: "ignore" },
    );
    this.process = child;
    child.once("exit", () => {
      if (this.process === child) this.process = undefined;
    });
    const deadline = Date.now() + 10_000;
    for (;;) {
      const probe = new Redis(this.url, {
        lazyConnect: true,
        maxRetriesPerRequest: 0,
        retryStrategy: () => null,
      });
      probe.on("error", () => {});
      try {
        await probe.connect();
        await probe.ping();
        return;
      } catch (error) {
        if (Date.now() > deadline)
          throw new Error(`redis-server on ${this.port} did not start`, { cause: error });
        await new Promise((resolve) => setTimeout(resolve, 50));
      } finally {
        probe.disconnect();
      }
    }
  }

  /** Kills it (SIGKILL: no goodbye to its clients) and waits until it is gone; its data goes with it. */
  async stop(): Promise<void> {
    const child = this.process;
    if (!child) return;
    this.process = undefined;
    if (child.exitCode === null && child.signalCode === null) {
      const exited = once(child, "exit");
      child.kill("SIGCONT");
      child.kill("SIGKILL");
      await exited;
    }
  }

  /** Stops it answering while connections stay open (SIGSTOP). */
  pause(): void {
    this.process?.kill("SIGSTOP");
  }

  /** Lets it answer again (SIGCONT). */
  resume(): void {
    this.process?.kill("SIGCONT");
  }
}
