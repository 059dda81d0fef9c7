import { randomBytes } from "node:crypto";
import { Cluster, Redis } from "ioredis";
import { afterAll, beforeAll, inject } from "vitest";
import {
  createRedisClient,
  type RedisClient,
  type RedisTarget,
} from "../src/redis/redis-connection.js";

/** The Redis the integration tests talk to (`REDIS_URL`, default the local one). */
export const redisUrl = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";

/** The local cluster's masters in the `cluster` test project (test/redis-cluster-setup.ts), else undefined. */
const clusterNodes: string | undefined = inject("redisClusterNodes");

/** True in the `cluster` test project: {@link redisTarget} is a 3-master Redis Cluster. */
export const onCluster = clusterNodes !== undefined;

/**
 * What suites that run in both projects connect to: {@link redisUrl}, or the
 * local cluster in the `cluster` project.
 */
export const redisTarget: RedisTarget = clusterNodes ? `redis+cluster://${clusterNodes}` : redisUrl;

/** A plain client of {@link redisTarget} (a `Cluster` in the cluster project); quit it after use. */
export function targetClient(): RedisClient {
  return createRedisClient(redisTarget, { maxRetriesPerRequest: 1 });
}

/** A key prefix no other test (or test run, or engineer) uses. */
export function uniquePrefix(label: string): string {
  return `test:${label}:${randomBytes(6).toString("hex")}:`;
}

/** A plain client for inspecting and arranging keys; quit it after use. */
export function plainClient(): Redis {
  return new Redis(redisUrl, { maxRetriesPerRequest: 1 });
}

/**
 * A client that has answered PING. Fails loudly, with the address, when
 * Redis is not there: these tests never skip.
 */
export async function connectRedis(): Promise<Redis> {
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: 1, retryStrategy: () => null });
  try {
    await redis.ping();
  } catch (error) {
    redis.disconnect();
    throw new Error(`Redis is required at ${redisUrl} and did not answer`, { cause: error });
  }
  return redis;
}

/** Deletes every key under `prefix`, through `redis` or a client of its own (on every master of a cluster). */
export async function deleteKeys(prefix: string, redis?: RedisClient): Promise<void> {
  const client = redis ?? targetClient();
  try {
    const nodes = client instanceof Cluster ? client.nodes("master") : [client];
    for (const node of nodes) {
      let cursor = "0";
      do {
        const [next, keys] = await node.scan(cursor, "MATCH", `${prefix}*`, "COUNT", 1000);
        cursor = next;
        // One key a command: a cluster refuses several keys of different slots.
        await Promise.all(keys.map((key) => node.unlink(key)));
      } while (cursor !== "0");
    }
  } finally {
    if (!redis) await client.quit();
  }
}

/** What {@link useRedis} gives a test file. */
export interface RedisFixture {
  /** A client that answered PING (set up in `beforeAll`). */
  readonly client: Redis;
  /** A fresh key prefix, deleted with everything under it after the file's tests. */
  prefix(label: string): string;
}

/**
 * Connects once for the calling test file and, after its tests, deletes the
 * keys under every prefix it handed out and quits.
 */
export function useRedis(): RedisFixture {
  let client: Redis | undefined;
  const prefixes: string[] = [];
  beforeAll(async () => {
    client = await connectRedis();
  });
  afterAll(async () => {
    if (!client) return;
    for (const prefix of prefixes) await deleteKeys(prefix, client);
    await client.quit();
  });
  return {
    get client() {
      if (!client) throw new Error("useRedis: the client exists once beforeAll has run");
      return client;
    },
    prefix(label) {
      const p = uniquePrefix(label);
      prefixes.push(p);
      return p;
    },
  };
}
