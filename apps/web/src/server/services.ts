import { randomBytes } from "node:crypto";
import { RingflowError } from "@ringflow/core";
import { type FlowGraph, parseFlowGraph } from "@ringflow/core/flow";
import { RedisFlowAnnouncer } from "@ringflow/core/redis";
import { createDb, type Db, migrateDatabase } from "@ringflow/db";
import { SimControlClient } from "@ringflow/fs-sim/control-client";
import { type Auth, createAuth } from "./auth";
import { loadWebEnv, type WebEnv } from "./env";
import { createLiveServices, type LiveServices } from "./live/live-services";
import { workerLiveOpeners } from "./live/worker-live";

/** What every request handler uses: the database and sign-in, built once per process. */
export interface Services {
  readonly env: WebEnv;
  readonly db: Db<FlowGraph>;
  readonly auth: Auth;
  /** The simulator's control API when `RINGFLOW_SIM_CONTROL_URL` is set (test calls), else null. */
  readonly simulator: SimControlClient | null;
  /** The workers' live state (the wall-board's feed) and the channel for supervisors' changes. */
  readonly live: LiveServices;
  /** Closes the database and Redis connections. */
  close(): Promise<void>;
}

const SECRET_SETTING = "auth.secret";
const SETUP_CLAIM = "setup.claimedBy";

/**
 * Opens the database (migrated to the current schema), sign-in and, with
 * Redis (`REDIS_URL` or `REDIS_SENTINELS` / `REDIS_CLUSTER_NODES`), the announcer that tells workers of each publish at once.
 * With `RINGFLOW_ADMIN_EMAIL` / `RINGFLOW_ADMIN_PASSWORD` set and no user
 * yet, creates that admin.
 */
export async function createServices(
  env: WebEnv = loadWebEnv(),
  overrides: { readonly live?: LiveServices } = {},
): Promise<Services> {
  await migrateDatabase({ url: env.DATABASE_URL });
  const announcer = env.redis
    ? new RedisFlowAnnouncer({
        url: env.redis,
        keyPrefix: env.REDIS_KEY_PREFIX,
        connectionName: `ringflow-web:${process.pid}`,
        onError: (error) => console.warn("[ringflow-web] Redis announcement failed:", error),
      })
    : undefined;
  const db = await createDb({
    url: env.DATABASE_URL,
    parseGraph: parseFlowGraph,
    ...(announcer ? { announcer } : {}),
  });
  const secret =
    env.RINGFLOW_AUTH_SECRET ??
    (await db.settings.getOrCreate(SECRET_SETTING, () => randomBytes(32).toString("base64url")));
  const auth = createAuth({ db, secret, baseURL: env.RINGFLOW_PUBLIC_URL });
  if (env.RINGFLOW_ADMIN_EMAIL && env.RINGFLOW_ADMIN_PASSWORD && (await db.users.count()) === 0) {
    await createFirstAdmin(
      { db, auth },
      { email: env.RINGFLOW_ADMIN_EMAIL, password: env.RINGFLOW_ADMIN_PASSWORD, name: "Admin" },
    );
  }
  const live = overrides.live ?? createLiveServices(workerLiveOpeners(env));
  return {
    env,
    db,
    auth,
    simulator: env.RINGFLOW_SIM_CONTROL_URL
      ? new SimControlClient(env.RINGFLOW_SIM_CONTROL_URL)
      : null,
    live,
    async close() {
      await live.close();
      await db.close();
      await announcer?.close();
    },
  };
}

/** The first admin could not be created: someone set one up already. */
export class SetupDoneError extends RingflowError {
  readonly code = "SETUP_DONE";
  constructor() {
    super("Ringflow is already set up: sign in instead");
  }
}

/**
 * Creates the first admin, once: a second caller (another browser on the
 * setup page, or a second process starting with the admin variables) gets
 * {@link SetupDoneError} and nothing is written. The claim is a settings
 * row written once; only its writer creates the user.
 */
export async function createFirstAdmin(
  services: Pick<Services, "db" | "auth">,
  input: { email: string; password: string; name: string },
): Promise<void> {
  if ((await services.db.users.count()) > 0) throw new SetupDoneError();
  const claim = randomBytes(16).toString("hex");
  const winner = await services.db.settings.getOrCreate(SETUP_CLAIM, () => claim);
  if (winner !== claim || (await services.db.users.count()) > 0) throw new SetupDoneError();
  try {
    await services.auth.api.createUser({
      body: { email: input.email, password: input.password, name: input.name, role: "admin" },
    });
  } catch (error) {
    // Nobody was created: let the next attempt claim the setup again.
    await services.db.settings.deleteIf(SETUP_CLAIM, claim);
    throw error;
  }
}

const cache = globalThis as typeof globalThis & { __ringflowServices?: Promise<Services> };

/** The process's services, created on first use (kept across Next's dev reloads). */
export function getServices(): Promise<Services> {
  cache.__ringflowServices ??= createServices().catch((error: unknown) => {
    cache.__ringflowServices = undefined;
    throw error;
  });
  return cache.__ringflowServices;
}
