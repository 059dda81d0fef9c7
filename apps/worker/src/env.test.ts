import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "./env.js";

describe("loadConfig", () => {
  it("fills defaults around the one required variable", () => {
    const config = loadConfig({ ESL_PASSWORD: "s3cret", WORKER_ID: "w1" });
    expect(config).toMatchObject({
      esl: { host: "127.0.0.1", port: 8021, password: "s3cret" },
      listen: { host: "127.0.0.1", port: 8084 },
      redis: null,
      workerId: "w1",
      http: { host: "0.0.0.0", port: 9464 },
      drainTimeoutMs: 30_000,
      flowPollMs: 1_000,
      workerLivenessMs: 10_000,
      logLevel: "info",
    });
    expect(config.databaseUrl).toMatch(/^file:.*ringflow\.db$/);
  });

  it("reads the overload limits: 0 is off, only memory is on by default, refusal hangup or handback", () => {
    const defaults = loadConfig({ ESL_PASSWORD: "x" });
    expect(defaults.admission).toEqual({
      maxEventLoopDelayMs: Number.POSITIVE_INFINITY,
      maxCallsInSetUp: Number.POSITIVE_INFINITY,
      maxRssMb: 1_024,
      refusal: { kind: "hangup", cause: "NORMAL_TEMPORARY_FAILURE" },
    });
    const set = loadConfig({
      ESL_PASSWORD: "x",
      ADMISSION_MAX_EVENT_LOOP_DELAY_MS: "500",
      ADMISSION_MAX_CALLS_IN_SETUP: "200",
      ADMISSION_MAX_RSS_MB: "0",
      ADMISSION_REFUSAL: "handback",
    });
    expect(set.admission).toEqual({
      maxEventLoopDelayMs: 500,
      maxCallsInSetUp: 200,
      maxRssMb: Number.POSITIVE_INFINITY,
      refusal: { kind: "handback" },
    });
    expect(() => loadConfig({ ESL_PASSWORD: "x", ADMISSION_HANGUP_CAUSE: "busy" })).toThrow(
      /ADMISSION_HANGUP_CAUSE/,
    );
  });

  it("reads the callback settings, and refuses a dial template without {number}", () => {
    expect(loadConfig({ ESL_PASSWORD: "x" }).callbacks).toMatchObject({
      dialTemplate: "loopback/{number}/default",
      leaseMs: 30_000,
      maxAttempts: 3,
      backoff: { initialMs: 60_000, maxMs: 1_800_000 },
    });
    const set = loadConfig({
      ESL_PASSWORD: "x",
      CALLBACK_DIAL_TEMPLATE: "sofia/gateway/carrier/{number}",
      CALLBACK_LEASE_MS: "5000",
      CALLBACK_DIALS_PER_MINUTE: "2",
      CALLBACK_MAX_ACTIVE: "0",
      CALLBACK_RETRY_MS: "10000",
      CALLBACK_RETRY_MAX_MS: "20000",
    });
    expect(set.callbacks).toMatchObject({
      dialTemplate: "sofia/gateway/carrier/{number}",
      leaseMs: 5_000,
      dialsPerMinute: 2,
      maxActive: 0,
      backoff: { initialMs: 10_000, maxMs: 20_000 },
    });
    expect(() => loadConfig({ ESL_PASSWORD: "x", CALLBACK_DIAL_TEMPLATE: "user/1001" })).toThrow(
      /CALLBACK_DIAL_TEMPLATE: must contain \{number\}/,
    );
    expect(() => loadConfig({ ESL_PASSWORD: "x", CALLBACK_LEASE_MS: "10" })).toThrow(
      /CALLBACK_LEASE_MS/,
    );
  });

  it("uses Redis when REDIS_URL is set, and polls flows less often then", () => {
    const config = loadConfig({
      ESL_PASSWORD: "x",
      REDIS_URL: "redis://127.0.0.1:6379/2",
      REDIS_KEY_PREFIX: "acme:",
      DATABASE_URL: "postgresql://ringflow@db:5432/ringflow",
      LISTEN_PORT: "9000",
    });
    expect(config.redis).toEqual({ url: "redis://127.0.0.1:6379/2", keyPrefix: "acme:" });
    expect(config.flowPollMs).toBe(30_000);
    expect(config.listen.port).toBe(9000);
    expect(loadConfig({ ESL_PASSWORD: "x", REDIS_URL: "" }).redis).toBeNull();
  });

  it("takes a Sentinel or a Cluster, from REDIS_URL or their own variables", () => {
    expect(
      loadConfig({
        ESL_PASSWORD: "x",
        REDIS_SENTINELS: "s1:26379,s2:26379",
        REDIS_SENTINEL_NAME: "main",
      }).redis,
    ).toEqual({
      url: {
        kind: "sentinel",
        sentinels: [
          { host: "s1", port: 26379 },
          { host: "s2", port: 26379 },
        ],
        name: "main",
      },
      keyPrefix: "ringflow:",
    });
    expect(loadConfig({ ESL_PASSWORD: "x", REDIS_CLUSTER_NODES: "n1:7000" }).redis?.url).toEqual({
      kind: "cluster",
      nodes: [{ host: "n1", port: 7000 }],
    });
    const fromUrl = loadConfig({ ESL_PASSWORD: "x", REDIS_URL: "redis+cluster://n1:7000,n2:7001" });
    expect(fromUrl.redis?.url).toMatchObject({ kind: "cluster" });
    expect(fromUrl.flowPollMs).toBe(30_000);
    expect(() => loadConfig({ ESL_PASSWORD: "x", REDIS_SENTINELS: "s1:26379" })).toThrow(
      /REDIS_SENTINEL_NAME: is required with REDIS_SENTINELS/,
    );
  });

  it("names every variable that is wrong, at once", () => {
    let error: unknown;
    try {
      loadConfig({
        ESL_PORT: "eighty",
        LISTEN_PORT: "70000",
        DATABASE_URL: "mysql://nope",
        REDIS_URL: "http://127.0.0.1:6379",
        LOG_LEVEL: "loud",
        DRAIN_TIMEOUT_MS: "-1",
        FLOW_POLL_MS: "5",
      });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems.map((p) => p.split(":")[0]);
    expect(problems.sort()).toEqual(
      [
        "DATABASE_URL",
        "DRAIN_TIMEOUT_MS",
        "ESL_PASSWORD",
        "ESL_PORT",
        "FLOW_POLL_MS",
        "LISTEN_PORT",
        "LOG_LEVEL",
        "REDIS_URL",
      ].sort(),
    );
    expect((error as ConfigError).message).toContain("ESL_PASSWORD: is required");
  });
});
