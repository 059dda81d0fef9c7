import "server-only";
import { RedisConfigError, redisConfigFromEnv } from "@ringflow/core/redis";
import { databaseProvider, defaultDatabaseUrl } from "@ringflow/db";
import { z } from "zod";

// Empty means unset: `FOO=` in a shell or a compose file is common.
const blankIsUnset = (value: unknown) =>
  typeof value === "string" && value.trim() === "" ? undefined : value;
const optional = <T extends z.ZodType>(schema: T) => z.preprocess(blankIsUnset, schema.optional());

/**
 * The web app's environment, read and checked once. Every variable is
 * optional: with none set the app runs on the SQLite file the worker uses.
 */
export const webEnvSchema = z
  .object({
    DATABASE_URL: z
      .preprocess(blankIsUnset, z.string().default(defaultDatabaseUrl))
      .refine(
        (url) => {
          try {
            databaseProvider(url);
            return true;
          } catch {
            return false;
          }
        },
        { message: "must be file:<path> (SQLite) or postgres(ql)://... (PostgreSQL)" },
      )
      .describe("file:<path> (SQLite) or postgres://... (PostgreSQL), shared with the worker"),
    REDIS_URL: optional(z.string()).describe(
      "the workers' Redis (redis://, rediss://, redis+sentinel://, redis+cluster://): publishes are announced at once, the wall-board reads it; unset = they poll the database",
    ),
    REDIS_SENTINELS: optional(z.string()).describe(
      "instead of REDIS_URL: host:port,... of the sentinels (with REDIS_SENTINEL_NAME)",
    ),
    REDIS_SENTINEL_NAME: optional(z.string()).describe("the master's name in the sentinels"),
    REDIS_SENTINEL_PASSWORD: optional(z.string()).describe("the sentinels' own password"),
    REDIS_CLUSTER_NODES: optional(z.string()).describe(
      "instead of REDIS_URL: host:port,... of some Redis Cluster nodes",
    ),
    REDIS_PASSWORD: optional(z.string()).describe(
      "the Redis password with REDIS_SENTINELS or REDIS_CLUSTER_NODES",
    ),
    REDIS_KEY_PREFIX: z
      .preprocess(blankIsUnset, z.string().min(1).default("ringflow:"))
      .describe("prefix of every Redis key (the workers' REDIS_KEY_PREFIX)"),
    WORKER_HTTP_URL: z
      .preprocess(blankIsUnset, z.url({ protocol: /^https?$/ }).default("http://127.0.0.1:9464"))
      .describe(
        "without REDIS_URL: the worker's HTTP address, whose /live endpoints feed the wall-board",
      ),
    LIVE_TOKEN: optional(z.string().min(16, "use at least 16 characters")).describe(
      "the worker's LIVE_TOKEN, when its /live endpoints ask for one (HTTP only)",
    ),
    RINGFLOW_AUTH_SECRET: optional(z.string().min(32, "use at least 32 characters")).describe(
      "signs session cookies; unset = a random secret kept in the database",
    ),
    RINGFLOW_PUBLIC_URL: optional(z.url()).describe(
      "the address people open (e.g. https://ringflow.example.com); unset = taken from each request",
    ),
    RINGFLOW_SIM_CONTROL_URL: optional(z.url({ protocol: /^https?$/ })).describe(
      "the simulator's control API (pnpm dev sets it): turns on the editor's test calls",
    ),
    RINGFLOW_ADMIN_EMAIL: optional(z.email()).describe(
      "with RINGFLOW_ADMIN_PASSWORD: the first admin, created at start when there is no user",
    ),
    RINGFLOW_ADMIN_PASSWORD: optional(z.string().min(12, "use at least 12 characters")),
  })
  .refine(
    (env) =>
      (env.RINGFLOW_ADMIN_EMAIL === undefined) === (env.RINGFLOW_ADMIN_PASSWORD === undefined),
    {
      path: ["RINGFLOW_ADMIN_PASSWORD"],
      message: "set RINGFLOW_ADMIN_EMAIL and RINGFLOW_ADMIN_PASSWORD together",
    },
  )
  // Where Redis is, as core reads it (one server, Sentinel or Cluster; docs/redis.md).
  .transform((env, context) => {
    try {
      return { ...env, redis: redisConfigFromEnv(env) };
    } catch (error) {
      if (!(error instanceof RedisConfigError)) throw error;
      context.addIssue({ code: "custom", path: [error.variable], message: error.problem });
      return z.NEVER;
    }
  });

/** The parsed environment. */
export type WebEnv = z.infer<typeof webEnvSchema>;

/** A variable is wrong: the message names every one and what it must be. */
export class WebConfigError extends Error {
  override readonly name = "WebConfigError";
}

/** Reads and checks the environment. @throws {WebConfigError} naming every bad variable. */
export function loadWebEnv(source: NodeJS.ProcessEnv = process.env): WebEnv {
  const parsed = webEnvSchema.safeParse(source);
  if (parsed.success) return parsed.data;
  const lines = parsed.error.issues.map((issue) => `  ${issue.path.join(".")}: ${issue.message}`);
  throw new WebConfigError(`Ringflow web: bad configuration\n${lines.join("\n")}`);
}
