import { databaseProvider, defaultDatabaseUrl } from "@ringflow/db";
import { z } from "zod";

/** Where the real FreeSWITCH's Event Socket is, when one is configured. */
export interface FreeswitchAddress {
  readonly host: string;
  readonly port: number;
  readonly password: string;
}

/** What `pnpm dev` / `pnpm start` run, read from the environment. */
export interface DevConfig {
  readonly mode: "dev" | "start";
  readonly databaseUrl: string;
  readonly redisUrl: string | undefined;
  /** Null: no FreeSWITCH configured, so the simulator runs with demo traffic. */
  readonly freeswitch: FreeswitchAddress | null;
  readonly webPort: number;
  /** Where the worker takes calls (the dialplan's `socket` address). */
  readonly workerPort: number;
  readonly workerHttpPort: number;
  /**
   * The simulator's speed-up: simulated seconds per real second. Only the
   * simulated phones run faster (the worker keeps real time), so above 1
   * callers' patience and agents' talk times shrink; 1 keeps one clock.
   */
  readonly timeScale: number;
  /** The simulator's control API (test calls from the editor). */
  readonly simControlPort: number;
  /** Demo callers per simulated minute (0: none, only test calls). */
  readonly callsPerMinute: number;
}

/** The environment is wrong: one line per problem, each saying how to fix it. */
export class DevConfigError extends Error {
  override readonly name = "DevConfigError";
}

const blankIsUnset = (value: unknown) =>
  typeof value === "string" && value.trim() === "" ? undefined : value;
const optional = <T extends z.ZodType>(schema: T) => z.preprocess(blankIsUnset, schema.optional());
const port = (fallback: number) =>
  z.preprocess(blankIsUnset, z.coerce.number().int().min(1).max(65_535).default(fallback));

const envSchema = z.object({
  DATABASE_URL: z.preprocess(blankIsUnset, z.string().default(defaultDatabaseUrl)),
  REDIS_URL: optional(
    z.url({ protocol: /^rediss?$/, error: "use redis://host:6379 (or rediss://)" }),
  ),
  FREESWITCH_ESL_URL: optional(
    z.url({ protocol: /^esl$/, error: "use esl://:password@host:8021" }),
  ),
  ESL_HOST: optional(z.string()),
  ESL_PORT: optional(z.coerce.number().int().min(1).max(65_535)),
  ESL_PASSWORD: optional(z.string()),
  PORT: port(3000),
  LISTEN_PORT: port(8084),
  HTTP_PORT: port(9464),
  SIM_CONTROL_PORT: port(8022),
  DEMO_TIME_SCALE: z.preprocess(blankIsUnset, z.coerce.number().min(1).max(100).default(1)),
  DEMO_CALLS_PER_MINUTE: z.preprocess(blankIsUnset, z.coerce.number().min(0).max(600).default(6)),
});

/** Reads the environment. @throws {DevConfigError} with a line per bad variable. */
export function loadDevConfig(
  mode: DevConfig["mode"],
  env: NodeJS.ProcessEnv = process.env,
): DevConfig {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    throw new DevConfigError(
      parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("\n"),
    );
  }
  const e = parsed.data;
  try {
    databaseProvider(e.DATABASE_URL);
  } catch {
    throw new DevConfigError(
      `DATABASE_URL: "${e.DATABASE_URL.split(":")[0]}:…" is neither file:<path> (SQLite) nor postgres://… (PostgreSQL)`,
    );
  }
  let freeswitch: FreeswitchAddress | null = null;
  if (e.FREESWITCH_ESL_URL) {
    const url = new URL(e.FREESWITCH_ESL_URL);
    freeswitch = {
      host: url.hostname,
      port: url.port ? Number(url.port) : 8021,
      password: decodeURIComponent(url.password || url.username || "ClueCon"),
    };
  } else if (e.ESL_HOST) {
    freeswitch = {
      host: e.ESL_HOST,
      port: e.ESL_PORT ?? 8021,
      password: e.ESL_PASSWORD ?? "ClueCon",
    };
  }
  return {
    mode,
    databaseUrl: e.DATABASE_URL,
    redisUrl: e.REDIS_URL,
    freeswitch,
    webPort: e.PORT,
    workerPort: e.LISTEN_PORT,
    workerHttpPort: e.HTTP_PORT,
    timeScale: e.DEMO_TIME_SCALE,
    simControlPort: e.SIM_CONTROL_PORT,
    callsPerMinute: e.DEMO_CALLS_PER_MINUTE,
  };
}
