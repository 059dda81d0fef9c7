import { Cluster, type ClusterOptions, Redis, type RedisOptions } from "ioredis";
import { z } from "zod";
import { RingflowError } from "../errors.js";

/** One Redis node's address. */
export interface RedisNodeAddress {
  readonly host: string;
  readonly port: number;
}

/** Credentials and transport shared by every topology. */
interface RedisAuth {
  readonly username?: string;
  readonly password?: string;
  /** TLS to every node (a `rediss` scheme). */
  readonly tls?: boolean;
}

/**
 * Where Redis is, in one of the three topologies Ringflow runs on (see
 * docs/redis.md): one server, a master watched by Sentinel, or a Cluster.
 */
export type RedisConnectionConfig =
  | { readonly kind: "single"; readonly url: string }
  | (RedisAuth & {
      readonly kind: "sentinel";
      /** The sentinels to ask where the master is. */
      readonly sentinels: readonly RedisNodeAddress[];
      /** The master's name in the sentinels' configuration. */
      readonly name: string;
      readonly db?: number;
      /** The sentinels' own password, if they have one. */
      readonly sentinelPassword?: string;
    })
  | (RedisAuth & {
      readonly kind: "cluster";
      /** Some of the cluster's nodes; the rest are discovered from them. */
      readonly nodes: readonly RedisNodeAddress[];
    });

/**
 * What every Redis backend takes as `url`: a URL (`redis://`, `rediss://`,
 * `redis+sentinel://`, `redis+cluster://`; see {@link parseRedisUrl}) or a
 * parsed {@link RedisConnectionConfig}.
 */
export type RedisTarget = string | RedisConnectionConfig;

/** A client of any topology: a `Redis` (single, Sentinel) or a `Cluster`. */
export type RedisClient = Redis | Cluster;

/** A Redis address or variable is malformed; the message is one line naming it. */
export class RedisConfigError extends RingflowError {
  readonly code = "REDIS_CONFIG_INVALID";

  constructor(
    /** The variable (or option) that is wrong, e.g. `REDIS_SENTINELS`. */
    readonly variable: string,
    /** What is wrong with it. */
    readonly problem: string,
  ) {
    super(`${variable}: ${problem}`);
  }
}

const nodeList = z
  .string()
  .trim()
  .transform((text, context) => {
    const nodes: RedisNodeAddress[] = [];
    for (const part of text.split(",")) {
      const match = /^\s*(\[[^\]]+\]|[^\s:,[\]]+):(\d{1,5})\s*$/.exec(part);
      const port = Number(match?.[2]);
      if (!match || port < 1 || port > 65_535) {
        context.addIssue({
          code: "custom",
          message: `expected host:port[,host:port...], got "${part.trim()}"`,
        });
        return z.NEVER;
      }
      nodes.push({ host: (match[1] as string).replace(/^\[|\]$/g, ""), port });
    }
    return nodes;
  });

/** `REDIS_SENTINELS` / `REDIS_CLUSTER_NODES` values: host:port, comma-separated. */
export const redisNodeListSchema = nodeList;

const TOPOLOGY_URL =
  /^(rediss?)\+(sentinel|cluster):\/\/(?:([^:@/]*)(?::([^@/]*))?@)?([^/]+)(\/.*)?$/;

function fail(what: string, message: string): never {
  throw new RedisConfigError(what, message);
}

function decode(value: string | undefined): string | undefined {
  return value ? decodeURIComponent(value) : undefined;
}

/**
 * Reads a Redis URL: `redis://` or `rediss://` for one server;
 * `redis+sentinel://[user:password@]host:port[,host:port...]/<master name>[/<db>]`
 * for a master found through Sentinel; `redis+cluster://[user:password@]host:port[,...]`
 * for a Cluster (`rediss+…` for TLS). The password is the data nodes' one.
 * @throws {RedisConfigError} naming `what` and what is wrong, in one line.
 */
export function parseRedisUrl(url: string, what = "REDIS_URL"): RedisConnectionConfig {
  const topology = TOPOLOGY_URL.exec(url.trim());
  if (!topology) {
    let protocol: string | undefined;
    try {
      protocol = new URL(url).protocol;
    } catch {
      protocol = undefined;
    }
    if (protocol !== "redis:" && protocol !== "rediss:") {
      fail(what, "must be redis://, rediss://, redis+sentinel:// or redis+cluster:// URL");
    }
    return { kind: "single", url };
  }
  const [, scheme, kind, username, password, hosts, path = ""] = topology;
  const parsed = nodeList.safeParse(hosts);
  if (!parsed.success) fail(what, parsed.error.issues[0]?.message ?? "bad host list");
  const auth = {
    ...(decode(username) ? { username: decode(username) } : {}),
    ...(decode(password) ? { password: decode(password) } : {}),
    ...(scheme === "rediss" ? { tls: true } : {}),
  };
  if (kind === "cluster") {
    if (path !== "" && path !== "/") fail(what, "a cluster URL has no path (a cluster has no db)");
    return { kind: "cluster", nodes: parsed.data, ...auth };
  }
  const [, name, db, ...rest] = path.split("/");
  if (!name || rest.length > 0)
    fail(what, "must name the master: redis+sentinel://host:port/<name>[/<db>]");
  if (db !== undefined && db !== "" && !/^\d+$/.test(db))
    fail(what, `db must be a number, got "${db}"`);
  return {
    kind: "sentinel",
    sentinels: parsed.data,
    name: decodeURIComponent(name),
    ...(db ? { db: Number(db) } : {}),
    ...auth,
  };
}

const blankIsUnset = (value: unknown) =>
  typeof value === "string" && value.trim() === "" ? undefined : value;
const optionalText = z.preprocess(blankIsUnset, z.string().optional());

/** The variables {@link redisConfigFromEnv} reads. */
export const redisEnvSchema = z.object({
  REDIS_URL: optionalText,
  REDIS_SENTINELS: z.preprocess(blankIsUnset, nodeList.optional()),
  REDIS_SENTINEL_NAME: optionalText,
  REDIS_SENTINEL_PASSWORD: optionalText,
  REDIS_CLUSTER_NODES: z.preprocess(blankIsUnset, nodeList.optional()),
  REDIS_PASSWORD: optionalText,
});

/** The names of the variables {@link redisConfigFromEnv} reads. */
export const REDIS_ENV_NAMES = Object.keys(redisEnvSchema.shape) as ReadonlyArray<
  keyof typeof redisEnvSchema.shape
>;

/**
 * Where Redis is, from environment variables (a pure function of `env`):
 * `REDIS_URL` (any form of {@link parseRedisUrl}), or `REDIS_SENTINELS`
 * (host:port,...) with `REDIS_SENTINEL_NAME`, or `REDIS_CLUSTER_NODES`
 * (host:port,...); `REDIS_PASSWORD` and `REDIS_SENTINEL_PASSWORD` go with the
 * last two. Blank counts as unset. Returns `null` when none is set.
 * @throws {RedisConfigError} one line naming the variable that is wrong.
 */
export function redisConfigFromEnv(
  env: Readonly<Record<string, string | undefined>>,
): RedisConnectionConfig | null {
  const parsed = redisEnvSchema.safeParse(env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    fail(String(issue?.path[0] ?? "REDIS"), issue?.message ?? "invalid");
  }
  const e = parsed.data;
  const set = [
    e.REDIS_URL && "REDIS_URL",
    e.REDIS_SENTINELS && "REDIS_SENTINELS",
    e.REDIS_CLUSTER_NODES && "REDIS_CLUSTER_NODES",
  ].filter(Boolean);
  if (set.length > 1)
    fail(set.join(", "), "set only one of REDIS_URL, REDIS_SENTINELS and REDIS_CLUSTER_NODES");
  const password = e.REDIS_PASSWORD ? { password: e.REDIS_PASSWORD } : {};
  if (e.REDIS_SENTINELS) {
    if (!e.REDIS_SENTINEL_NAME) fail("REDIS_SENTINEL_NAME", "is required with REDIS_SENTINELS");
    return {
      kind: "sentinel",
      sentinels: e.REDIS_SENTINELS,
      name: e.REDIS_SENTINEL_NAME,
      ...password,
      ...(e.REDIS_SENTINEL_PASSWORD ? { sentinelPassword: e.REDIS_SENTINEL_PASSWORD } : {}),
    };
  }
  if (e.REDIS_SENTINEL_NAME) fail("REDIS_SENTINEL_NAME", "is only read with REDIS_SENTINELS");
  if (e.REDIS_CLUSTER_NODES) return { kind: "cluster", nodes: e.REDIS_CLUSTER_NODES, ...password };
  if (e.REDIS_URL) return parseRedisUrl(e.REDIS_URL);
  return null;
}

/** A target as a {@link RedisConnectionConfig} (a URL is parsed). */
export function toRedisConfig(target: RedisTarget, what = "url"): RedisConnectionConfig {
  return typeof target === "string" ? parseRedisUrl(target, what) : target;
}

/** The target for messages and logs: its topology and nodes, never a password. */
export function describeRedisTarget(target: RedisTarget): string {
  const config = typeof target === "string" ? tryParse(target) : target;
  if (!config) return "(malformed Redis URL)";
  const list = (nodes: readonly RedisNodeAddress[]) =>
    nodes.map((n) => `${n.host}:${n.port}`).join(",");
  switch (config.kind) {
    case "single": {
      const parsed = new URL(config.url);
      parsed.password = "";
      return parsed.toString().replace(/\/$/, "");
    }
    case "sentinel":
      return `redis+sentinel://${list(config.sentinels)}/${config.name}${config.db ? `/${config.db}` : ""}`;
    case "cluster":
      return `redis+cluster://${list(config.nodes)}`;
  }
}

function tryParse(url: string): RedisConnectionConfig | undefined {
  try {
    return parseRedisUrl(url);
  } catch {
    return undefined;
  }
}

/**
 * Opens a client for `target` with `options`: a `Redis` for one server or
 * a Sentinel-watched master (ioredis follows a failover by itself), a
 * `Cluster` for a Cluster, with the per-connection options (timeouts,
 * retries, connection name) applied to every node's connection. Every
 * Redis backend opens its connections here.
 * @throws {RedisConfigError} a URL is malformed.
 */
export function createRedisClient(target: RedisTarget, options: RedisOptions = {}): RedisClient {
  const config = toRedisConfig(target);
  const auth = (c: RedisAuth) => ({
    ...(c.username ? { username: c.username } : {}),
    ...(c.password ? { password: c.password } : {}),
    ...(c.tls ? { tls: {} } : {}),
  });
  switch (config.kind) {
    case "single":
      return new Redis(config.url, options);
    case "sentinel":
      return new Redis({
        ...options,
        sentinels: config.sentinels.map(({ host, port }) => ({ host, port })),
        name: config.name,
        // Reconnect on the sentinels' +switch-master at once, not when the
        // old master is turned into a replica (up to its next INFO, ~10 s,
        // while it still takes writes that the new master never sees).
        failoverDetector: true,
        ...(config.db === undefined ? {} : { db: config.db }),
        ...(config.sentinelPassword ? { sentinelPassword: config.sentinelPassword } : {}),
        ...(config.tls ? { enableTLSForSentinelMode: true } : {}),
        ...auth(config),
      });
    case "cluster": {
      const { enableOfflineQueue, lazyConnect, retryStrategy, ...perNode } = options;
      const clusterOptions: ClusterOptions = {
        redisOptions: { ...perNode, ...auth(config) },
        ...(enableOfflineQueue === undefined ? {} : { enableOfflineQueue }),
        ...(lazyConnect === undefined ? {} : { lazyConnect }),
        ...(retryStrategy ? { clusterRetryStrategy: (times: number) => retryStrategy(times) } : {}),
      };
      return new Cluster(
        config.nodes.map(({ host, port }) => ({ host, port })),
        clusterOptions,
      );
    }
  }
}
