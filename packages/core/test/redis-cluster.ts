import { execFile } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { Redis } from "ioredis";
import { RedisServer } from "./redis-server.js";

const run = promisify(execFile);

/** A local Redis Cluster of three masters and no replicas, for the cluster suites. */
export interface LocalRedisCluster {
  /** `host:port` of each master, comma-separated (what `REDIS_CLUSTER_NODES` takes). */
  readonly nodes: string;
  /** Stops every node and deletes their configuration files. */
  stop(): Promise<void>;
}

/**
 * Starts three `redis-server --cluster-enabled yes` on free ports (no
 * persistence, node files in a temporary directory), joins them with
 * `redis-cli --cluster create`, and waits until every node says
 * `cluster_state:ok` and knows all 16384 slots.
 */
export async function startRedisCluster(): Promise<LocalRedisCluster> {
  const dir = await mkdtemp(join(tmpdir(), "ringflow-cluster-"));
  const servers: RedisServer[] = [];
  const stop = async () => {
    await Promise.all(servers.map((server) => server.stop()));
    await rm(dir, { recursive: true, force: true });
  };
  try {
    for (let i = 0; i < 3; i++) {
      servers.push(
        await RedisServer.start((port) => [
          "--cluster-enabled",
          "yes",
          "--cluster-config-file",
          join(dir, `nodes-${port}.conf`),
          "--dir",
          dir,
        ]),
      );
    }
    const addresses = servers.map((server) => `127.0.0.1:${server.port}`);
    await run("redis-cli", [
      "--cluster",
      "create",
      ...addresses,
      "--cluster-replicas",
      "0",
      "--cluster-yes",
    ]);
    await untilClusterOk(servers.map((server) => server.port));
    return { nodes: addresses.join(","), stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** Polls each node's CLUSTER INFO until all agree the cluster is whole (10 s at most). */
async function untilClusterOk(ports: readonly number[]): Promise<void> {
  const clients = ports.map((port) => new Redis({ port, host: "127.0.0.1", lazyConnect: true }));
  try {
    const deadline = Date.now() + 10_000;
    for (;;) {
      const infos = await Promise.all(clients.map((client) => client.cluster("INFO")));
      if (
        infos.every(
          (info) => info.includes("cluster_state:ok") && info.includes("cluster_slots_ok:16384"),
        )
      ) {
        return;
      }
      if (Date.now() > deadline) throw new Error(`the cluster did not become ok:\n${infos[0]}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  } finally {
    for (const client of clients) client.disconnect();
  }
}
