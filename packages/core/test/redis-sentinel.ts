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
    // Seen, and seen in sync: the sentinel refuses to promote (NOGOODSLAVE) a
    // replica whose last INFO, refreshed every 10 s, still had its link down.
    await until(
      async () => {
        const replicas = (await client.call("SENTINEL", "REPLICAS", name)) as string[][];
        const fields = replicas.length === 1 ? fieldsOf(replicas[0] as string[]) : null;
        return fields?.get("flags") === "slave" && fields.get("master-link-status") === "ok";
      },
      "the sentinel to see the replica in sync",
      25_000,
    );
    return { name, master, replica, port, client, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** A sentinel reply's flat field / value list as a map. */
function fieldsOf(flat: readonly string[]): Map<string, string> {
  const fields = new Map<string, string>();
  for (let i = 0; i + 1 < flat.length; i += 2) fields.set(flat[i] as string, flat[i + 1] as string);
  return fields;
}

/** Polls `check` every 50 ms until it holds (`timeoutMs`, default 10 s, at most). */
export async function until(
  check: () => Promise<boolean>,
  what: string,
  timeoutMs = 10_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
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
