import os from "node:os";
import {
  RedisConfigError,
  type RedisConnectionConfig,
  redisConfigFromEnv,
} from "@ringflow/core/redis";
import { databaseProvider, defaultDatabaseUrl } from "@ringflow/db";
import { z } from "zod";
import { type CallbackSettings, DEFAULT_CALLBACK_SETTINGS } from "./callbacks/callback-settings.js";
import type { AdmissionLimits } from "./calls/admission.js";

const LOG_LEVELS = ["fatal", "error", "warn", "info", "debug", "trace", "silent"] as const;

/** A pino log level. */
export type LogLevel = (typeof LOG_LEVELS)[number];

const port = (fallback: number) => z.coerce.number().int().min(0).max(65_535).default(fallback);
const host = (fallback: string) => z.string().trim().min(1).default(fallback);
const duration = (fallback: number, max: number) =>
  z.coerce.number().int().min(0).max(max).default(fallback);
// Empty means unset: `FOO= worker` in a shell or a compose file is common.
const blankIsUnset = (value: unknown) =>
  typeof value === "string" && value.trim() === "" ? undefined : value;

/**
 * Default overload limits (see apps/worker/README.md, "Overload"): only the
 * memory one is on. The event-loop and set-up limits depend on the host
 * (a loaded test machine would shed calls a test expects served), so a
 * site sets them; 0 is off.
 */
export const DEFAULT_ADMISSION = {
  maxEventLoopDelayMs: 0,
  maxCallsInSetUp: 0,
  maxRssMb: 1_024,
} as const;

/**
 * The worker's environment. Every variable is read and checked once at
 * start-up; {@link loadConfig} names each one that is wrong.
 */
export const envSchema = z.object({
  ESL_HOST: host("127.0.0.1").describe("FreeSWITCH Event Socket (inbound) address"),
  ESL_PORT: port(8021).describe("FreeSWITCH Event Socket port"),
  ESL_PASSWORD: z.string().min(1).describe("Event Socket password (event_socket.conf.xml)"),
  LISTEN_HOST: host("127.0.0.1").describe("where the outbound-socket server listens"),
  LISTEN_PORT: port(8084).describe("the port the dialplan's `socket` app dials"),
  DATABASE_URL: z
    .string()
    .default(defaultDatabaseUrl)
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
    .describe("file:<path> (SQLite) or postgres://... (PostgreSQL)"),
  // REDIS_URL, REDIS_SENTINELS, REDIS_SENTINEL_NAME, REDIS_SENTINEL_PASSWORD,
  // REDIS_CLUSTER_NODES, REDIS_PASSWORD: read by core's redisConfigFromEnv
  // (see docs/redis.md); unset = in memory, one worker.
  REDIS_KEY_PREFIX: z.string().min(1).default("ringflow:").describe("prefix of every Redis key"),
  WORKER_ID: z
    .string()
    .trim()
    .min(1)
    .max(200)
    .default(() => `${os.hostname()}-${process.pid}`)
    .describe("names this worker in call records, logs and metrics"),
  HTTP_HOST: host("0.0.0.0").describe("address of /healthz, /readyz and /metrics"),
  HTTP_PORT: port(9464).describe("port of /healthz, /readyz and /metrics"),
  DRAIN_TIMEOUT_MS: duration(30_000, 24 * 3_600_000).describe(
    "on SIGTERM, how long running calls may go on before they are hung up",
  ),
  FLOW_POLL_MS: z
    .preprocess(blankIsUnset, z.coerce.number().int().min(100).max(600_000).optional())
    .describe("how often published flows are re-read: default 1000, or 30000 with Redis"),
  WORKER_LIVENESS_MS: z.coerce
    .number()
    .int()
    .min(500)
    .max(600_000)
    .default(10_000)
    .describe(
      "with Redis: how long a worker counts as alive after it last said so; a worker silent longer has its open call records closed as workerLost",
    ),
  LIVE_TOKEN: z
    .preprocess(blankIsUnset, z.string().min(16).optional())
    .describe(
      "bearer token the web app sends to the worker's /live/* endpoints; unset = only loopback clients are served",
    ),
  HISTORY_RETENTION_DAYS: z
    .preprocess(blankIsUnset, z.coerce.number().int().min(1).max(36_500).optional())
    .describe(
      "finished call records and traces older than this many days are deleted hourly, in batches; unset = kept",
    ),
  LOG_LEVEL: z.enum(LOG_LEVELS).default("info").describe("pino level"),
  ADMISSION_MAX_EVENT_LOOP_DELAY_MS: z.coerce
    .number()
    .int()
    .min(0)
    .default(DEFAULT_ADMISSION.maxEventLoopDelayMs)
    .describe("refuse new calls while the event loop's p99 delay is past this (ms; 0 = no limit)"),
  ADMISSION_MAX_CALLS_IN_SETUP: z.coerce
    .number()
    .int()
    .min(0)
    .default(DEFAULT_ADMISSION.maxCallsInSetUp)
    .describe(
      "refuse new calls while this many are being set up (taken, not yet in line or with an agent; 0 = no limit)",
    ),
  ADMISSION_MAX_RSS_MB: z.coerce
    .number()
    .int()
    .min(0)
    .default(DEFAULT_ADMISSION.maxRssMb)
    .describe(
      "refuse new calls while the worker's resident memory is past this (MB; 0 = no limit)",
    ),
  ADMISSION_REFUSAL: z
    .enum(["hangup", "handback"])
    .default("hangup")
    .describe(
      "what a refused call gets: hangup (with ADMISSION_HANGUP_CAUSE, never answered) or handback (the socket is closed; the dialplan's next action runs)",
    ),
  ADMISSION_HANGUP_CAUSE: z
    .string()
    .regex(/^[A-Z_]+$/, "must be a FreeSWITCH hangup cause such as NORMAL_TEMPORARY_FAILURE")
    .default("NORMAL_TEMPORARY_FAILURE")
    .describe("the cause a refused call is hung up with (ADMISSION_REFUSAL=hangup)"),
  CALLBACK_DIAL_TEMPLATE: z
    .string()
    .trim()
    .default(DEFAULT_CALLBACK_SETTINGS.dialTemplate)
    .refine((t) => t.includes("{number}"), { message: "must contain {number}" })
    .describe(
      "the customer's dial string for a callback, {number} replaced by their number (e.g. sofia/gateway/carrier/{number})",
    ),
  CALLBACK_LEASE_MS: z.coerce
    .number()
    .int()
    .min(1_000)
    .max(3_600_000)
    .default(DEFAULT_CALLBACK_SETTINGS.leaseMs)
    .describe(
      "how long a worker holds a callback request without renewing it; a killed worker's requests are taken over after this",
    ),
  CALLBACK_POLL_MS: z.coerce
    .number()
    .int()
    .min(100)
    .max(600_000)
    .default(DEFAULT_CALLBACK_SETTINGS.pollMs)
    .describe("how often the worker looks for due callback requests"),
  CALLBACK_MAX_ACTIVE: z.coerce
    .number()
    .int()
    .min(0)
    .max(10_000)
    .default(DEFAULT_CALLBACK_SETTINGS.maxActive)
    .describe("callback requests this worker works on at once (0: none)"),
  CALLBACK_DIALS_PER_MINUTE: z.coerce
    .number()
    .int()
    .min(1)
    .max(10_000)
    .default(DEFAULT_CALLBACK_SETTINGS.dialsPerMinute)
    .describe("customers dialled back per queue per minute, across workers"),
  CALLBACK_MAX_ATTEMPTS: z.coerce
    .number()
    .int()
    .min(1)
    .max(100)
    .default(DEFAULT_CALLBACK_SETTINGS.maxAttempts)
    .describe("attempts to reach the customer when the flow does not say"),
  CALLBACK_RETRY_MS: z.coerce
    .number()
    .int()
    .min(1_000)
    .max(86_400_000)
    .default(DEFAULT_CALLBACK_SETTINGS.backoff.initialMs)
    .describe("wait after the first unanswered attempt; doubles after each"),
  CALLBACK_RETRY_MAX_MS: z.coerce
    .number()
    .int()
    .min(1_000)
    .max(86_400_000)
    .default(DEFAULT_CALLBACK_SETTINGS.backoff.maxMs)
    .describe("longest wait between attempts"),
  CALLBACK_CUSTOMER_RING_MS: z.coerce
    .number()
    .int()
    .min(1_000)
    .max(600_000)
    .default(DEFAULT_CALLBACK_SETTINGS.customerRingMs)
    .describe("how long the customer's phone rings on a callback"),
  CALLBACK_NO_AGENT_RETRY_MS: z.coerce
    .number()
    .int()
    .min(100)
    .max(3_600_000)
    .default(DEFAULT_CALLBACK_SETTINGS.noAgentRetryMs)
    .describe(
      "how long a callback that found no agent answering (all busy) waits before it joins the line again",
    ),
  TEST_CALLS: z
    .preprocess(blankIsUnset, z.enum(["0", "1", "false", "true"]).default("0"))
    .transform((value) => value === "1" || value === "true")
    .describe(
      "1: a call carrying the SIP header X-Ringflow-Draft: <flow id> runs that flow's unpublished draft (the editor's test calls, against the simulator); leave off where callers can send SIP headers",
    ),
});

/** The worker's settings, parsed from the environment. */
export interface WorkerConfig {
  readonly esl: { readonly host: string; readonly port: number; readonly password: string };
  readonly listen: { readonly host: string; readonly port: number };
  readonly databaseUrl: string;
  /**
   * Where Redis is (one server, Sentinel or Cluster; `url` takes a URL too)
   * and the key prefix. `null`: in-memory queues and balancer (one worker only).
   */
  readonly redis: {
    readonly url: string | RedisConnectionConfig;
    readonly keyPrefix: string;
  } | null;
  readonly workerId: string;
  readonly http: { readonly host: string; readonly port: number };
  readonly drainTimeoutMs: number;
  readonly flowPollMs: number;
  /** With Redis: how long a worker counts as alive after it last said so (it says so every fifth). */
  readonly workerLivenessMs: number;
  /** Bearer token of `/live/*`; `null`: only loopback clients are served. */
  readonly liveToken?: string | null;
  /** Age after which finished calls are deleted (ms); `null`/absent: kept. */
  readonly historyRetentionMs?: number | null;
  readonly logLevel: LogLevel;
  /** Overload limits; a limit of `Infinity` is off. Unset: no limits (what {@link loadConfig} never leaves out). */
  readonly admission?: AdmissionLimits;
  /** Whether calls may run a flow's draft (the editor's test calls); see `TEST_CALLS`. */
  readonly testCalls?: boolean;
  /** Callback requests (`CALLBACK_*`); absent: {@link DEFAULT_CALLBACK_SETTINGS}. */
  readonly callbacks?: CallbackSettings;
}

/** The environment is wrong; `problems` lists `VARIABLE: what is wrong`, one per variable. */
export class ConfigError extends Error {
  override readonly name = "ConfigError";
  constructor(readonly problems: readonly string[]) {
    super(`Invalid worker environment:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
  }
}

/** Poll interval without Redis: publishes reach the worker within a second. */
export const DEFAULT_FLOW_POLL_MS = 1_000;
/** With Redis, publishes arrive by pub/sub; the poll is only a safety net. */
export const DEFAULT_FLOW_POLL_MS_WITH_REDIS = 30_000;

/**
 * Reads and checks the worker's environment.
 * @throws {ConfigError} naming every variable that is missing or invalid.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): WorkerConfig {
  const parsed = envSchema.safeParse(env);
  const problems = parsed.success
    ? []
    : parsed.error.issues.map((issue) => {
        const name = issue.path.join(".") || "(environment)";
        const message =
          issue.code === "invalid_type" && env[name] === undefined ? "is required" : issue.message;
        return `${name}: ${message}`;
      });
  let redis: RedisConnectionConfig | null = null;
  try {
    redis = redisConfigFromEnv(env);
  } catch (error) {
    if (!(error instanceof RedisConfigError)) throw error;
    problems.push(error.message);
  }
  if (!parsed.success || problems.length > 0) throw new ConfigError(problems);
  const e = parsed.data;
  return {
    esl: { host: e.ESL_HOST, port: e.ESL_PORT, password: e.ESL_PASSWORD },
    listen: { host: e.LISTEN_HOST, port: e.LISTEN_PORT },
    databaseUrl: e.DATABASE_URL,
    redis: redis
      ? { url: redis.kind === "single" ? redis.url : redis, keyPrefix: e.REDIS_KEY_PREFIX }
      : null,
    workerId: e.WORKER_ID,
    http: { host: e.HTTP_HOST, port: e.HTTP_PORT },
    drainTimeoutMs: e.DRAIN_TIMEOUT_MS,
    flowPollMs: e.FLOW_POLL_MS ?? (redis ? DEFAULT_FLOW_POLL_MS_WITH_REDIS : DEFAULT_FLOW_POLL_MS),
    workerLivenessMs: e.WORKER_LIVENESS_MS,
    liveToken: e.LIVE_TOKEN ?? null,
    historyRetentionMs:
      e.HISTORY_RETENTION_DAYS === undefined ? null : e.HISTORY_RETENTION_DAYS * 86_400_000,
    logLevel: e.LOG_LEVEL,
    admission: {
      maxEventLoopDelayMs: e.ADMISSION_MAX_EVENT_LOOP_DELAY_MS || Number.POSITIVE_INFINITY,
      maxCallsInSetUp: e.ADMISSION_MAX_CALLS_IN_SETUP || Number.POSITIVE_INFINITY,
      maxRssMb: e.ADMISSION_MAX_RSS_MB || Number.POSITIVE_INFINITY,
      refusal:
        e.ADMISSION_REFUSAL === "handback"
          ? { kind: "handback" }
          : { kind: "hangup", cause: e.ADMISSION_HANGUP_CAUSE },
    },
    testCalls: e.TEST_CALLS,
    callbacks: {
      ...DEFAULT_CALLBACK_SETTINGS,
      dialTemplate: e.CALLBACK_DIAL_TEMPLATE,
      leaseMs: e.CALLBACK_LEASE_MS,
      pollMs: e.CALLBACK_POLL_MS,
      maxActive: e.CALLBACK_MAX_ACTIVE,
      dialsPerMinute: e.CALLBACK_DIALS_PER_MINUTE,
      maxAttempts: e.CALLBACK_MAX_ATTEMPTS,
      customerRingMs: e.CALLBACK_CUSTOMER_RING_MS,
      noAgentRetryMs: e.CALLBACK_NO_AGENT_RETRY_MS,
      backoff: {
        initialMs: e.CALLBACK_RETRY_MS,
        maxMs: Math.max(e.CALLBACK_RETRY_MS, e.CALLBACK_RETRY_MAX_MS),
      },
    },
  };
}
