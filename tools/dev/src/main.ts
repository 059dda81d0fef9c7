/**
 * `pnpm dev` / `pnpm start`: the whole product on one machine. The web
 * app, a worker, and — with no FreeSWITCH configured — the simulator with
 * demo callers and agents, each in its own process with its log lines
 * prefixed; Ctrl+C stops them all. `dev` runs the web app in development
 * mode and the worker from its sources; `start` runs the built ones.
 */
import { createServer } from "node:net";
import { fileURLToPath } from "node:url";
import { parseFlowGraph } from "@ringflow/core/flow";
import { createDb, migrateDatabase } from "@ringflow/db";
import { type DevConfig, DevConfigError, loadDevConfig } from "./config.js";
import { DEMO_DEV_NUMBER, seedDevDemo } from "./demo.js";
import { checkFreeswitch, checkPortFree, PreflightError } from "./preflight.js";
import { Supervisor } from "./supervisor.js";

const root = fileURLToPath(new URL("../../../", import.meta.url));
const mode = process.argv[2] === "start" ? "start" : "dev";

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => resolve(typeof address === "object" && address ? address.port : 0));
    });
  });
}

/** Migrates the database (and seeds the demo when the simulator runs); one clear line when it cannot. */
async function prepareDatabase(config: DevConfig, say: (line: string) => void): Promise<void> {
  try {
    await migrateDatabase({ url: config.databaseUrl });
  } catch (error) {
    const reason = error instanceof Error ? error.message.split("\n")[0] : String(error);
    throw new PreflightError(
      `The database at DATABASE_URL could not be opened or migrated: ${reason}`,
    );
  }
  if (config.freeswitch) return;
  const db = await createDb({ url: config.databaseUrl, parseGraph: parseFlowGraph });
  try {
    const { created } = await seedDevDemo(db);
    say(
      created
        ? `seeded the demo: flow "Sales line" on ${DEMO_DEV_NUMBER}, queue sales, four agents`
        : "the demo is already in the database (your changes are kept)",
    );
  } finally {
    await db.close();
  }
}

async function main(): Promise<number> {
  const supervisor = new Supervisor();
  const say = (line: string) => supervisor.say(line);
  let config: DevConfig;
  try {
    config = loadDevConfig(mode);
    await checkPortFree(config.webPort, "the web app", "PORT");
    await checkPortFree(config.workerPort, "the worker's call port", "LISTEN_PORT");
    await checkPortFree(config.workerHttpPort, "the worker's /metrics", "HTTP_PORT");
    if (config.freeswitch) await checkFreeswitch(config.freeswitch);
    else
      await checkPortFree(config.simControlPort, "the simulator's control API", "SIM_CONTROL_PORT");
    await prepareDatabase(config, say);
  } catch (error) {
    if (error instanceof DevConfigError || error instanceof PreflightError) {
      process.stderr.write(`ringflow: ${error.message}\n`);
      return 78;
    }
    throw error;
  }

  const common = {
    ...process.env,
    DATABASE_URL: config.databaseUrl,
    ...(config.redisUrl ? { REDIS_URL: config.redisUrl } : {}),
    NEXT_TELEMETRY_DISABLED: "1",
  };
  let esl = config.freeswitch;
  if (!esl) {
    const eslPort = await freePort();
    esl = { host: "127.0.0.1", port: eslPort, password: "ClueCon" };
    supervisor.start({
      name: "sim",
      command: process.execPath,
      args: [
        "--conditions=@ringflow/source",
        "--import",
        "tsx",
        "src/sim-main.ts",
        String(eslPort),
        String(config.simControlPort),
        String(config.workerPort),
        String(config.workerHttpPort),
        String(config.timeScale),
        String(config.callsPerMinute),
      ],
      cwd: fileURLToPath(new URL("../", import.meta.url)),
      env: common,
    });
  }
  supervisor.start({
    name: "worker",
    command: process.execPath,
    args:
      mode === "dev"
        ? ["--conditions=@ringflow/source", "--import", "tsx", "src/main.ts"]
        : ["dist/main.js"],
    cwd: `${root}apps/worker`,
    env: {
      ...common,
      ESL_HOST: esl.host,
      ESL_PORT: String(esl.port),
      ESL_PASSWORD: esl.password,
      LISTEN_HOST: config.freeswitch ? (process.env.LISTEN_HOST ?? "0.0.0.0") : "127.0.0.1",
      LISTEN_PORT: String(config.workerPort),
      HTTP_HOST: "127.0.0.1",
      HTTP_PORT: String(config.workerHttpPort),
      WORKER_ID: process.env.WORKER_ID ?? "worker-1",
      // Ctrl+C should not wait long for calls in progress.
      DRAIN_TIMEOUT_MS: process.env.DRAIN_TIMEOUT_MS ?? (mode === "dev" ? "3000" : "30000"),
      LOG_LEVEL: process.env.LOG_LEVEL ?? "info",
      // The editor's test calls run drafts; only the simulator can place them.
      TEST_CALLS: config.freeswitch ? (process.env.TEST_CALLS ?? "0") : "1",
    },
  });
  supervisor.start({
    name: "web",
    command: `${root}apps/web/node_modules/.bin/next`,
    args: [mode === "dev" ? "dev" : "start", "--port", String(config.webPort)],
    cwd: `${root}apps/web`,
    env: {
      ...common,
      ...(config.freeswitch
        ? {}
        : { RINGFLOW_SIM_CONTROL_URL: `http://127.0.0.1:${config.simControlPort}` }),
      ...(mode === "start" ? { NODE_ENV: "production" } : {}),
    },
  });
  supervisor.handleSignals();
  say(
    `Ringflow is starting: open http://localhost:${config.webPort} (on a fresh database the first visit creates the admin)`,
  );
  say(
    config.freeswitch
      ? `calls come from FreeSWITCH at ${config.freeswitch.host}:${config.freeswitch.port}; its dialplan must send them to this machine's port ${config.workerPort} (see apps/worker/README.md)`
      : `no FREESWITCH_ESL_URL: the simulator plays callers and four agents; the worker's metrics are on http://127.0.0.1:${config.workerHttpPort}/metrics`,
  );
  say("Ctrl+C stops everything");
  return supervisor.finished();
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(
      `ringflow: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    process.exit(1);
  },
);
