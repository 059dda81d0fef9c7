import { type Clock, HangupCauses, systemClock } from "@ringflow/core";
import { type AgentRegistry, InMemoryAgentRegistry } from "@ringflow/core/agents";
import { type FlowGraph, parseFlowGraph } from "@ringflow/core/flow";
import type { FlowRuntime } from "@ringflow/core/interpreter";
import type { LiveCommand } from "@ringflow/core/live";
import { InMemoryBackend, Queue, type QueueBackend } from "@ringflow/core/queue";
import {
  RedisAgentRegistry,
  type RedisClient,
  RedisLiveCommands,
  RedisLiveFeed,
  RedisLiveStore,
  subscribeFlowAnnouncements,
  subscribeLiveCommands,
} from "@ringflow/core/redis";
import { InMemoryLoadBalancer, type LoadBalancer } from "@ringflow/core/ring-group";
import { createDb, type Db, migrateDatabase } from "@ringflow/db";
import { FreeswitchCallControl } from "@ringflow/esl";
import { AgentChannels } from "./agents/agent-channels.js";
import { AgentSync } from "./agents/agent-sync.js";
import { AgentFeatureCodes } from "./agents/feature-codes.js";
import { createCallbackContexts } from "./callbacks/callback-context.js";
import { CallbackDispatcher } from "./callbacks/callback-dispatcher.js";
import { CallbackIntake } from "./callbacks/callback-intake.js";
import { DEFAULT_CALLBACK_SETTINGS } from "./callbacks/callback-settings.js";
import { dialCallback } from "./callbacks/dial-callback.js";
import { HistoryCleanup } from "./calls/history-cleanup.js";
import { LostCalls } from "./calls/lost-calls.js";
import { RecordWriter } from "./calls/record-writer.js";
import type { WorkerConfig } from "./env.js";
import { channelStates } from "./esl/channel-states.js";
import { EslLink } from "./esl/esl-link.js";
import { FlowCatalog } from "./flows/flow-catalog.js";
import { createAgentGroupResolver } from "./flows/resolve-agent-group.js";
import type { CheckResult, ReadinessCheck } from "./http/http-server.js";
import type { LiveRoutes } from "./http/live-routes.js";
import { LiveHub, type ServedCaller } from "./live/live-hub.js";
import type { Logger } from "./logger.js";
import { openRedisServices, type RedisTrouble } from "./redis-services.js";
import type { WorkerInstruments } from "./telemetry.js";

/** Options of {@link WorkerContext}. */
export interface WorkerContextOptions {
  readonly config: WorkerConfig;
  readonly log: Logger;
  readonly instruments: WorkerInstruments;
  /** Aborting it gives up an opening still in progress (e.g. waiting for FreeSWITCH). */
  readonly signal: AbortSignal;
  /** Told of every caller served from a queue, with their estimate at entry (`bench:ewt`). */
  readonly onServed?: (served: ServedCaller) => void;
  /** The one source of time and timers of every part (default: the system's). */
  readonly clock?: Clock;
}

/** How long a readiness check may take before it counts as failed. */
const CHECK_TIMEOUT_MS = 2_000;

/** One part to close, and how. */
interface Closer {
  readonly what: string;
  readonly close: () => unknown;
}

/**
 * Everything a worker runs calls with, without the transports that bring
 * calls in (the call port, admission, HTTP): the database, the queue line
 * (in memory or shared through Redis), the live agent registry and the
 * wall-board's hub, the published flows, the control connection to
 * FreeSWITCH and the call control on it, the batching record writer, the
 * sweep of dead workers' calls, callbacks, and the {@link FlowRuntime}
 * that ties them together for the interpreter.
 *
 * {@link open} opens the parts in the order they need each
 * other; {@link close} closes them in reverse, each on its own (one failing
 * does not stop the rest), so the record writer is flushed after every part
 * that writes records and before the database closes.
 */
export class WorkerContext {
  private readonly closers: Closer[] = [];
  private closing: Promise<void> | undefined;
  private redisProbe: RedisClient | null = null;
  private redisTrouble: RedisTrouble | undefined;
  private commandSender: RedisLiveCommands | null = null;
  private agentSyncPart: AgentSync | undefined;
  private dbPart: Db<FlowGraph> | undefined;
  private queuePart: Queue | undefined;
  private balancerPart: LoadBalancer | undefined;
  private registryPart: AgentRegistry | undefined;
  private hubPart: LiveHub | undefined;
  private catalogPart: FlowCatalog | undefined;
  private eslPart: EslLink | undefined;
  private runtimePart: FlowRuntime | undefined;
  private recordWriterPart: RecordWriter | undefined;
  private callbackIntake: CallbackIntake | undefined;
  private dispatcher: CallbackDispatcher | undefined;
  private featureCodesPart: AgentFeatureCodes | undefined;
  private liveRoutesPart: LiveRoutes | undefined;

  readonly config: WorkerConfig;
  readonly log: Logger;
  /** The time every part reads and the timers every part sets. */
  readonly clock: Clock;

  /** A context with nothing open yet: {@link open} opens it. Its readiness checks answer meanwhile. */
  constructor(private readonly options: WorkerContextOptions) {
    this.config = options.config;
    this.log = options.log;
    this.clock = options.clock ?? systemClock;
  }

  /**
   * Opens every part. Resolves once calls can be run: the database
   * migrated, the shared line answering, the agents' state and the
   * published flows loaded, the switch connected. On failure (or when
   * `signal` aborts), closes what it opened and rejects.
   */
  async open(): Promise<void> {
    try {
      await this.openParts(this.options);
    } catch (error) {
      await this.close();
      throw error;
    }
  }

  /** The database (call records, flows, agents, callbacks). */
  get db(): Db<FlowGraph> {
    return required(this.dbPart, "database");
  }

  /** The queues calls wait in (shared through Redis when configured). */
  get queue(): Queue {
    return required(this.queuePart, "queue");
  }

  /** The live agent registry (shared through Redis when configured). */
  get agents(): AgentRegistry {
    return required(this.registryPart, "agent registry");
  }

  /** The wall-board's hub: live queue and agent states, estimates. */
  get live(): LiveHub {
    return required(this.hubPart, "live hub");
  }

  /** The published flows, by number. */
  get catalog(): FlowCatalog {
    return required(this.catalogPart, "flow catalog");
  }

  /** The control connection to FreeSWITCH's Event Socket. */
  get esl(): EslLink {
    return required(this.eslPart, "control connection");
  }

  /** What the interpreter runs every call's flow with. */
  get runtime(): FlowRuntime {
    return required(this.runtimePart, "flow runtime");
  }

  /** Writes call records and traces in batches. */
  get recordWriter(): RecordWriter {
    return required(this.recordWriterPart, "record writer");
  }

  /** Stores callback requests (core's callback-request port). */
  get callbacks(): CallbackIntake {
    return required(this.callbackIntake, "callback intake");
  }

  /** Works through stored callback requests. */
  get callbackDispatch(): CallbackDispatcher {
    return required(this.dispatcher, "callback dispatcher");
  }

  /** What an agent's feature-code call (`*50`, `*51`) is handed to. */
  get featureCodes(): AgentFeatureCodes {
    return required(this.featureCodesPart, "feature codes");
  }

  /** Re-reads the published flows now, once they are loaded (what a publish announcement triggers). */
  async refreshFlows(): Promise<void> {
    await this.catalogPart?.sync();
  }

  /** The wall-board's routes over HTTP, once the hub runs. */
  get liveRoutes(): LiveRoutes | undefined {
    return this.liveRoutesPart;
  }

  /**
   * Applies a supervisor's change at once (what `POST /live/commands` and
   * the Redis commands channel do): the database must already hold it.
   */
  async applyLiveCommand(command: LiveCommand): Promise<void> {
    switch (command.type) {
      case "setAgentStatus":
        await required(this.agentSyncPart, "agent sync").applyStatus(
          command.agentId,
          command.status,
        );
        return;
      case "setQueuePaused":
        await this.live.setPaused(command.queueId, command.paused);
        return;
      case "setQueueLimit":
        await this.live.setLimit(command.queueId, command.maxConcurrent);
        return;
    }
  }

  /** Readiness of the parts: the switch, the flows, the database and Redis (when configured). */
  readinessChecks(): Record<string, ReadinessCheck> {
    const checks: Record<string, ReadinessCheck> = {
      esl: () => {
        const state = this.eslPart?.state ?? "connecting";
        return { ok: state === "connected", detail: state };
      },
      // Informational: a version this worker cannot run leaves one number
      // unrouted, not the worker unable to take calls.
      flows: () => ({ ok: true, detail: describeCatalog(this.catalogPart) }),
      database: async () => {
        const db = this.dbPart;
        if (!db) return { ok: false, detail: "not open yet" };
        await withTimeout(db.routes.get(""), CHECK_TIMEOUT_MS, "database");
        return { ok: true, detail: db.provider };
      },
    };
    if (this.config.redis) {
      checks.redis = async (): Promise<CheckResult> => {
        const probe = this.redisProbe;
        if (!probe) return { ok: false, detail: "not connected yet" };
        const reply = await withTimeout(probe.ping(), CHECK_TIMEOUT_MS, "Redis");
        return { ok: reply === "PONG", detail: reply };
      };
    }
    return checks;
  }

  /** Closes every part opened, in reverse order, each on its own. Idempotent. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      this.liveRoutesPart = undefined;
      for (const { what, close } of this.closers.splice(0).reverse()) {
        try {
          await close();
        } catch (error) {
          this.log.warn({ err: error }, `closing ${what} failed`);
        }
      }
    })();
    return this.closing;
  }

  /** Remembers how to close a part just opened. */
  private opened(what: string, close: () => unknown): void {
    this.closers.push({ what, close });
  }

  private async openParts(options: WorkerContextOptions): Promise<void> {
    const { config, log, clock } = this;
    const { signal, instruments } = options;
    const migrated = await migrateDatabase({ url: config.databaseUrl });
    if (migrated.applied.length > 0) log.info({ applied: migrated.applied }, "database migrated");
    const db = await createDb<FlowGraph>({ url: config.databaseUrl, parseGraph: parseFlowGraph });
    this.dbPart = db;
    this.opened("the database", () => db.close());
    signal.throwIfAborted();

    const queue = await this.openQueue(signal);
    await this.openLive(db, queue, options.onServed);
    await this.openCatalog(db);
    signal.throwIfAborted();

    const esl = await EslLink.open({ ...config.esl, log, signal });
    this.eslPart = esl;
    this.opened("the FreeSWITCH connection", () => esl.close());
    // The control connection is the call control's alone: callers' own
    // channel events reach the worker through their outbound sockets.
    const callControl = new FreeswitchCallControl(esl.connection, {
      outboundLegEventsOnly: true,
      // uuid_kill / uuid_bridge / uuid_exists: replies that never wait behind events.
      ...(esl.commands ? { commands: esl.commands } : {}),
    });
    callControl.onError((error) => log.warn({ err: error }, "call control background failure"));
    // Before any call is taken: agents a previous run left talking are busy, not idle.
    const agentChannels = new AgentChannels({
      connection: esl.connection,
      commands: () => esl.commandConnection,
      registry: this.agents,
      log,
    });
    await agentChannels.start();
    this.opened("the agent channels", () => agentChannels.stop());

    // Opened before every part that writes records, so closed (flushed) after them.
    const recordWriter = new RecordWriter({
      calls: db.calls,
      clock,
      onFailure: ({ error, calls, dropped }) => {
        instruments.recordWriteFailures.add(calls, { dropped });
        log.error(
          { err: error, calls, dropped },
          dropped
            ? "could not write call records and traces; giving up on them"
            : "could not write call records and traces; will try again",
        );
      },
    });
    this.recordWriterPart = recordWriter;
    this.opened("the call records still to write", () => recordWriter.flush());

    // The wall-board's callback counts are refreshed on each change.
    const callbacksChanged = (queueId: string) => this.live.callbacksChanged(queueId);
    this.callbackIntake = new CallbackIntake({ db, log, onStored: callbacksChanged });
    const runtime: FlowRuntime = {
      queue,
      clock,
      callControl,
      balancer: required(this.balancerPart, "load balancer"),
      agents: this.agents,
      estimateWaitMs: (queueId, callUuid) => this.live.estimate(queueId, callUuid),
      resolveAgentGroup: createAgentGroupResolver(db, { clock }),
      callbacks: this.callbackIntake,
      onError: (error) => log.warn({ err: error }, "ring group background failure"),
    };
    this.runtimePart = runtime;
    this.featureCodesPart = new AgentFeatureCodes({
      db,
      clock,
      registry: this.agents,
      agentSync: required(this.agentSyncPart, "agent sync"),
    });

    const lostCalls = new LostCalls({
      workerId: config.workerId,
      clock,
      calls: db.calls,
      redis:
        config.redis && this.redisProbe
          ? { client: this.redisProbe, keyPrefix: config.redis.keyPrefix }
          : null,
      livenessMs: config.workerLivenessMs,
      log,
      switchboard: {
        channelStates: () => channelStates(esl.commandConnection),
        hangup: (uuid) => callControl.hangup(uuid, HangupCauses.NormalTemporaryFailure),
      },
    });
    await lostCalls.start();
    this.opened("the lost-calls sweep", () => lostCalls.stop());
    if (config.historyRetentionMs) {
      const cleanup = new HistoryCleanup({
        calls: db.calls,
        clock,
        retentionMs: config.historyRetentionMs,
        log,
      });
      cleanup.start();
      this.opened("the history clean-up", () => cleanup.stop());
    }
    this.openCallbacks(db, queue, runtime, esl);
  }

  /** The queue line: shared through Redis when configured, else in this process. */
  private async openQueue(signal: AbortSignal): Promise<Queue> {
    const { config, log, clock } = this;
    let backend: QueueBackend;
    let balancer: LoadBalancer;
    if (config.redis) {
      const redis = openRedisServices({ ...config.redis, workerId: config.workerId, log, clock });
      backend = redis.backend;
      balancer = redis.balancer;
      this.redisProbe = redis.probe;
      this.redisTrouble = redis.trouble;
      const probe = redis.probe;
      this.opened("the Redis probe", () => probe.disconnect());
    } else {
      backend = new InMemoryBackend({ clock });
      balancer = new InMemoryLoadBalancer({ clock });
    }
    this.opened("the load balancer", () => balancer.close());
    this.opened("the queue backend", () => backend.close());
    this.balancerPart = balancer;
    this.queuePart = new Queue(backend);
    // Calls are taken only once the shared line answers: a call taken earlier
    // would join behind later calls of workers already connected.
    await backend.ready(signal);
    return this.queuePart;
  }

  /**
   * The live agent registry (kept in step with the database), the
   * wall-board's hub and its commands: through Redis when configured,
   * else in this process and over `/live/*`.
   */
  private async openLive(
    db: Db<FlowGraph>,
    queue: Queue,
    onServed: ((served: ServedCaller) => void) | undefined,
  ): Promise<void> {
    const { config, log, clock } = this;
    const redis = config.redis;
    const onError = (what: string) => (error: unknown) =>
      this.redisTrouble?.(what, error, `Redis trouble (${what})`) ??
      log.warn({ err: error }, `${what} failure`);
    const registry = redis
      ? new RedisAgentRegistry({
          url: redis.url,
          keyPrefix: redis.keyPrefix,
          clock,
          onError: onError("agent registry"),
        })
      : new InMemoryAgentRegistry({ clock, onError: onError("agent registry") });
    this.registryPart = registry;
    this.opened("the agent registry", () => registry.close());
    const agentSync = new AgentSync({ db, registry, log, clock, pollMs: config.flowPollMs });
    this.agentSyncPart = agentSync;
    this.opened("the agent sync", () => agentSync.stop());
    await agentSync.start();
    let liveStore: RedisLiveStore | null = null;
    let liveFeed: RedisLiveFeed | null = null;
    if (redis) {
      const store = new RedisLiveStore({
        url: redis.url,
        keyPrefix: redis.keyPrefix,
        connectionName: `ringflow-worker-live:${config.workerId}`,
        onError: onError("live store"),
      });
      this.opened("the live store", () => store.close());
      const feed = new RedisLiveFeed({
        url: redis.url,
        keyPrefix: redis.keyPrefix,
        connectionName: `ringflow-worker-live-feed:${config.workerId}`,
        onError: onError("live feed"),
      });
      this.opened("the live feed", () => feed.close());
      liveStore = store;
      liveFeed = feed;
    }
    const hub = new LiveHub({
      queue,
      clock,
      registry,
      db,
      store: liveStore,
      sharedFeed: liveFeed,
      log,
      ...(onServed ? { onServed } : {}),
    });
    this.hubPart = hub;
    await hub.start();
    this.opened("the live hub", () => hub.stop());
    const apply = (command: LiveCommand) =>
      this.applyLiveCommand(command).catch((error: unknown) =>
        log.warn({ err: error, command }, "could not apply a live command"),
      );
    if (redis) {
      const commands = await subscribeLiveCommands({
        url: redis.url,
        keyPrefix: redis.keyPrefix,
        connectionName: `ringflow-worker-live-commands:${config.workerId}`,
        onCommand: (command) => void apply(command),
        onInvalid: (message, error) =>
          log.warn({ err: error, message }, "ignoring a malformed live command"),
        onError: onError("live commands"),
      });
      this.opened("the live commands", () => commands.close());
      const sender = new RedisLiveCommands({ url: redis.url, keyPrefix: redis.keyPrefix });
      this.commandSender = sender;
      this.opened("the live command sender", () => sender.close());
    }
    const sender = this.commandSender;
    this.liveRoutesPart = {
      feed: hub.feed,
      // With Redis a command posted here reaches every worker, this one included.
      command: sender
        ? (command) => sender.send(command)
        : (command) => this.applyLiveCommand(command),
      token: config.liveToken ?? null,
    };
  }

  /** The published flows, re-read on poll and on a publish announced through Redis. */
  private async openCatalog(db: Db<FlowGraph>): Promise<void> {
    const { config, log, clock } = this;
    const catalog = new FlowCatalog({ db, log, clock, pollMs: config.flowPollMs });
    this.catalogPart = catalog;
    this.opened("the flow catalog", () => catalog.stop());
    await catalog.start();
    log.info({ numbers: catalog.size }, "published flows loaded");
    if (config.redis) {
      const updates = await subscribeFlowAnnouncements({
        url: config.redis.url,
        keyPrefix: config.redis.keyPrefix,
        connectionName: `ringflow-worker-flows:${config.workerId}`,
        onUpdate: (notice) => {
          log.info({ notice }, "flow publish announced; re-reading published flows");
          void catalog.sync();
        },
        onInvalid: (message, error) =>
          log.warn({ err: error, message }, "ignoring a malformed flow publish announcement"),
        onError: (error) =>
          this.redisTrouble?.("flow updates", error, "Redis trouble (flow updates subscription)"),
      });
      this.opened("the flow updates subscription", () => updates.close());
    }
  }

  /** The dispatcher that rings agents and calls customers back from this worker. */
  private openCallbacks(db: Db<FlowGraph>, queue: Queue, runtime: FlowRuntime, esl: EslLink): void {
    const { config, log } = this;
    const settings = config.callbacks ?? DEFAULT_CALLBACK_SETTINGS;
    const api = (command: string) => esl.commandConnection.api(command);
    const hangupLegsOf = async (variable: string, value: string) => {
      await api(`hupall ${HangupCauses.NormalClearing} ${variable} ${value}`);
    };
    const liveConversation = async (leg: string) => {
      // `uuid_getvar` answers `_undef_` for an unset variable, `-ERR ...` for no such channel.
      const partner = (await api(`uuid_getvar ${leg} bridge_uuid`)).trim();
      if (partner === "" || partner === "_undef_" || partner.startsWith("-")) return false;
      return (await api(`uuid_exists ${partner}`)).trim() === "true";
    };
    const dispatcher = new CallbackDispatcher({
      owner: config.workerId,
      clock: this.clock,
      db,
      queue,
      settings,
      contextOf: createCallbackContexts(db),
      dial: (dial) =>
        dialCallback(dial, {
          runtime,
          hangupLegsOf,
          customerRingMs: settings.customerRingMs,
        }),
      liveConversation,
      log,
      onSettled: (queueId) => this.live.callbacksChanged(queueId),
      // On the board a request in line shows the number it will call.
      line: {
        joined: (request, itemId) =>
          this.live.callerJoined(itemId, {
            queueId: request.queueId,
            callerNumber: request.number,
            vip: false,
          }),
        unserved: (itemId) => this.live.holdServedNobody(itemId),
        left: (itemId) => this.live.callerLeft(itemId),
      },
    });
    this.dispatcher = dispatcher;
    this.opened("the callback dispatcher", () => dispatcher.stop(0));
    dispatcher.start();
  }
}

function required<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`the worker's ${what} is not open`);
  return value;
}

function describeCatalog(catalog: FlowCatalog | undefined): string {
  if (!catalog) return "not loaded yet";
  const rejected = catalog
    .rejected()
    .map(
      (r) =>
        `${r.number}: published version ${r.version} rejected by this worker's flow schema (${r.cause}); ${
          r.keptVersion === null ? "unrouted" : `keeps version ${r.keptVersion}`
        }`,
    );
  return [`${catalog.size} numbers routed`, ...rejected].join("; ");
}

async function withTimeout<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not answer within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([work, late]);
  } finally {
    clearTimeout(timer);
  }
}
