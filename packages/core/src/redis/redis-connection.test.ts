import { Cluster, Redis } from "ioredis";
import { describe, expect, it } from "vitest";
import {
  createRedisClient,
  describeRedisTarget,
  parseRedisUrl,
  RedisConfigError,
  redisConfigFromEnv,
} from "./redis-connection.js";

describe("parseRedisUrl", () => {
  it("keeps redis:// and rediss:// URLs as one server", () => {
    expect(parseRedisUrl("redis://:pw@10.0.0.1:6380/2")).toEqual({
      kind: "single",
      url: "redis://:pw@10.0.0.1:6380/2",
    });
    expect(parseRedisUrl("rediss://r.example:6379")).toMatchObject({ kind: "single" });
  });

  it("reads a Sentinel URL: sentinels, master name, db, password, TLS", () => {
    expect(parseRedisUrl("redis+sentinel://:s%40cret@s1:26379,s2:26380/mymaster/3")).toEqual({
      kind: "sentinel",
      sentinels: [
        { host: "s1", port: 26379 },
        { host: "s2", port: 26380 },
      ],
      name: "mymaster",
      db: 3,
      password: "s@cret",
    });
    expect(parseRedisUrl("rediss+sentinel://s1:26379/m")).toEqual({
      kind: "sentinel",
      sentinels: [{ host: "s1", port: 26379 }],
      name: "m",
      tls: true,
    });
  });

  it("reads a Cluster URL", () => {
    expect(parseRedisUrl("redis+cluster://user:pw@n1:7000,[::1]:7001")).toEqual({
      kind: "cluster",
      nodes: [
        { host: "n1", port: 7000 },
        { host: "::1", port: 7001 },
      ],
      username: "user",
      password: "pw",
    });
  });

  it.each([
    ["http://x:1", /REDIS_URL: must be redis:\/\//],
    ["not a url", /REDIS_URL: must be/],
    ["redis+sentinel://s1:26379", /must name the master/],
    ["redis+sentinel://s1/m", /expected host:port.*got "s1"/],
    ["redis+sentinel://s1:26379/m/x", /db must be a number/],
    ["redis+cluster://n1:70000", /got "n1:70000"/],
    ["redis+cluster://n1:7000/0", /no path/],
  ])("refuses %s in one line naming the variable", (url, message) => {
    let error: unknown;
    try {
      parseRedisUrl(url);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(RedisConfigError);
    expect((error as RedisConfigError).code).toBe("REDIS_CONFIG_INVALID");
    expect((error as Error).message).toMatch(message);
    expect((error as Error).message).not.toContain("\n");
  });
});

describe("redisConfigFromEnv", () => {
  it("is null when nothing is set (blank is unset)", () => {
    expect(redisConfigFromEnv({})).toBeNull();
    expect(redisConfigFromEnv({ REDIS_URL: " ", REDIS_CLUSTER_NODES: "" })).toBeNull();
  });

  it("takes REDIS_URL in any form", () => {
    expect(redisConfigFromEnv({ REDIS_URL: "redis://h:1" })).toEqual({
      kind: "single",
      url: "redis://h:1",
    });
    expect(redisConfigFromEnv({ REDIS_URL: "redis+cluster://a:1,b:2" })).toMatchObject({
      kind: "cluster",
    });
  });

  it("takes REDIS_SENTINELS with REDIS_SENTINEL_NAME and the passwords", () => {
    expect(
      redisConfigFromEnv({
        REDIS_SENTINELS: "s1:26379, s2:26379",
        REDIS_SENTINEL_NAME: "main",
        REDIS_PASSWORD: "pw",
        REDIS_SENTINEL_PASSWORD: "spw",
      }),
    ).toEqual({
      kind: "sentinel",
      sentinels: [
        { host: "s1", port: 26379 },
        { host: "s2", port: 26379 },
      ],
      name: "main",
      password: "pw",
      sentinelPassword: "spw",
    });
  });

  it("takes REDIS_CLUSTER_NODES", () => {
    expect(redisConfigFromEnv({ REDIS_CLUSTER_NODES: "127.0.0.1:7000,127.0.0.1:7001" })).toEqual({
      kind: "cluster",
      nodes: [
        { host: "127.0.0.1", port: 7000 },
        { host: "127.0.0.1", port: 7001 },
      ],
    });
  });

  it.each([
    [{ REDIS_SENTINELS: "s1:26379" }, /^REDIS_SENTINEL_NAME: is required with REDIS_SENTINELS$/],
    [{ REDIS_SENTINEL_NAME: "m" }, /^REDIS_SENTINEL_NAME: is only read with REDIS_SENTINELS$/],
    [{ REDIS_CLUSTER_NODES: "a:1,b" }, /^REDIS_CLUSTER_NODES: expected host:port.*got "b"$/],
    [{ REDIS_URL: "redis://h:1", REDIS_CLUSTER_NODES: "a:1" }, /set only one of/],
    [{ REDIS_URL: "http://h:1" }, /^REDIS_URL: /],
  ])("refuses %o in one line", (env, message) => {
    expect(() => redisConfigFromEnv(env)).toThrow(message);
  });
});

describe("createRedisClient and describeRedisTarget", () => {
  it("opens a Redis for one server or Sentinel and a Cluster for a cluster, lazily", () => {
    const single = createRedisClient("redis://127.0.0.1:1", { lazyConnect: true });
    const sentinel = createRedisClient("redis+sentinel://127.0.0.1:1/m", { lazyConnect: true });
    const cluster = createRedisClient("redis+cluster://127.0.0.1:1", {
      lazyConnect: true,
      connectionName: "n",
    });
    expect(single).toBeInstanceOf(Redis);
    expect(sentinel).toBeInstanceOf(Redis);
    expect((sentinel as Redis).options.name).toBe("m");
    expect(cluster).toBeInstanceOf(Cluster);
    expect((cluster as Cluster).options.redisOptions?.connectionName).toBe("n");
    for (const client of [single, sentinel, cluster]) client.disconnect();
  });

  it("names a target without its password", () => {
    expect(describeRedisTarget("redis://:pw@h:1")).toBe("redis://h:1");
    expect(describeRedisTarget("redis+sentinel://:pw@s1:2,s2:3/m/1")).toBe(
      "redis+sentinel://s1:2,s2:3/m/1",
    );
    expect(
      describeRedisTarget({ kind: "cluster", nodes: [{ host: "a", port: 1 }], password: "x" }),
    ).toBe("redis+cluster://a:1");
  });
});
