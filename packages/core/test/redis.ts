import { randomBytes } from "node:crypto";
import { Redis } from "ioredis";
import { afterAll, beforeAll } from "vitest";

/** The Redis the integration tests talk to (`REDIS_URL`, default the local one). */
export const redisUrl = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";

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

/** Deletes every key under `prefix`, through `redis` or a client of its own. */
export async function deleteKeys(prefix: string, redis?: Redis): Promise<void> {
  const client = redis ?? plainClient();
  try {
    let cursor = "0";
    do {
      const [next, keys] = await client.scan(cursor, "MATCH", `${prefix}*`, "COUNT", 1000);
      cursor = next;
      if (keys.length > 0) await client.unlink(...keys);
    } while (cursor !== "0");
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
