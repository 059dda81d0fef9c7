import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Redis } from "ioredis";
import { freePort, RedisServer } from "./redis-server.js";

/** A master, one replica and one sentinel watching them as `name`, for a failover test. */
export interface LocalSentinel {
  readonly name: string;
  readonly master: RedisServer;
  readonly replica: RedisServer;
  /** The sentinel's port. */
  readonly port: number;
  /** A client of the sentinel itself (SENTINEL commands). */
  readonly client: Redis;
  stop(): Promise<void>;
}

/**
 * Starts a master, a replica of it and a sentinel (quorum 1, a master down
 * after 1 s), each on a free port and without persistence, and waits until
 * the sentinel knows the replica.
 */
export async function startSentinel(name = "ringflow"): Promise<LocalSentinel> {
  const dir = await mkdtemp(join(tmpdir(), "ringflow-sentinel-"));
  const master = await RedisServer.start();
  const replica = await RedisServer.start(() => ["--replicaof", "127.0.0.1", String(master.port)]);
  const port = await freePort();
  const config = join(dir, "sentinel.conf");
  await writeFile(
    config,
    [
      `port ${port}`,
      "bind 127.0.0.1",
      `dir ${dir}`,
      `sentinel monitor ${name} 127.0.0.1 ${master.port} 1`,
      `sentinel down-after-milliseconds ${name} 1000`,
      `sentinel failover-timeout ${name} 10000`,
      "",
    ].join("\n"),
  );
  const sentinel: ChildProcess = spawn("redis-server", [config, "--sentinel"], { stdio: "ignore" });
  const client = new Redis({ port, host: "127.0.0.1", retryStrategy: () => 50 });
  client.on("error", () => {});
  const stop = async () => {
    client.disconnect();
    if (sentinel.exitCode === null && sentinel.signalCode === null) {
      const exited = once(sentinel, "exit");
      sentinel.kill("SIGKILL");
      await exited;
    }
    await Promise.all([master.stop(), replica.stop()]);
    await rm(dir, { recursive: true, force: true });
  };
  try {
    await until(async () => {
      const replicas = (await client.call("SENTINEL", "REPLICAS", name)) as string[][];
      return replicas.length === 1;
    }, "the sentinel to see the replica");
    return { name, master, replica, port, client, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** Polls `check` every 50 ms until it holds (10 s at most). */
export async function until(check: () => Promise<boolean>, what: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    try {
      if (await check()) return;
    } catch {
      // not there yet
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
