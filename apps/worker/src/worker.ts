import { metrics, type ObservableResult } from "@opentelemetry/api";
import { HangupCauses } from "@ringflow/core";
import { type AgentRegistry, InMemoryAgentRegistry } from "@ringflow/core/agents";
import { type FlowGraph, parseFlowGraph } from "@ringflow/core/flow";
import type { FlowRuntime } from "@ringflow/core/interpreter";
import type { LiveCommand } from "@ringflow/core/live";
import { InMemoryBackend, Queue, type QueueBackend } from "@ringflow/core/queue";
import {
  type FlowAnnouncementsSubscription,
  type LiveCommandsSubscription,
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
import {
  EslCallEndedBeforeSetupError,
  EslMalformedMessageError,
  type EslServer,
  FreeswitchCallControl,
  listen,
} from "@ringflow/esl";
import { AgentChannels } from "./agents/agent-channels.js";
import { AgentSync } from "./agents/agent-sync.js";
import { AgentFeatureCodes } from "./agents/feature-codes.js";
import { createCallbackContexts } from "./callbacks/callback-context.js";
import { CallbackDispatcher } from "./callbacks/callback-dispatcher.js";
import { CallbackIntake } from "./callbacks/callback-intake.js";
import { DEFAULT_CALLBACK_SETTINGS } from "./callbacks/callback-settings.js";
import { dialCallback } from "./callbacks/dial-callback.js";
import { Admission, type AdmissionLimits } from "./calls/admission.js";
import { CallRunner } from "./calls/call-runner.js";
import { recordEndedBeforeTaken } from "./calls/ended-before-taken.js";
import { HistoryCleanup } from "./calls/history-cleanup.js";
import { LostCalls } from "./calls/lost-calls.js";
import { RecordWriter } from "./calls/record-writer.js";
import type { WorkerConfig } from "./env.js";
import { channelStates } from "./esl/channel-states.js";
import { EslLink } from "./esl/esl-link.js";
import { FlowCatalog } from "./flows/flow-catalog.js";
import { createAgentGroupResolver } from "./flows/resolve-agent-group.js";
import { type CheckResult, HttpServer, type ReadinessCheck } from "./http/http-server.js";
import type { LiveRoutes } from "./http/live-routes.js";
import { LiveHub, type ServedCaller } from "./live/live-hub.js";
import { createLogger, type Logger } from "./logger.js";
import { openRedisServices, type RedisTrouble } from "./redis-services.js";
import { createWorkerInstruments, ProcessMetrics, type WorkerInstruments } from "./telemetry.js";

/** Where a worker is in its life. */
export type WorkerState = "starting" | "running" | "draining" | "stopped";

/** Options of {@link Worker.start}. */
export interface StartWorkerOptions {
  /** Default: JSON lines on stdout at `config.logLevel`. */
  readonly log?: Logger;
  /** Aborting it gives up a start-up still in progress (e.g. waiting for FreeSWITCH). */
  readonly signal?: AbortSignal;
  /** Told of every caller served from a queue, with their estimate at entry (`bench:ewt`). */
  readonly onServed?: (served: ServedCaller) => void;
}

/** After the drain timeout, how long hung-up calls get to wind down before their sockets are dropped. */
const HANGUP_GRACE_MS = 5_000;
/** Admission control when the config sets none: every call is taken. */
const NO_ADMISSION_LIMITS: AdmissionLimits = {
  maxEventLoopDelayMs: Number.POSITIVE_INFINITY,
  maxCallsInSetUp: Number.POSITIVE_INFINITY,
  maxRssMb: Number.POSITIVE_INFINITY,
  refusal: { kind: "hangup", cause: HangupCauses.NormalTemporaryFailure },
};
/** How long a readiness check may take before it counts as failed. */
const CHECK_TIMEOUT_MS = 2_000;

/**
 * The worker: one per FreeSWITCH box. It keeps a control connection to the
 * switch's Event Socket, listens for the calls the dialplan's `socket` app
 * hands over, runs each through its number's published flow, and writes call
 * records and traces. `/healthz`, `/readyz` and `/metrics` are served over HTTP.
 *
 * {@link Worker.start} resolves once calls are being taken; {@link stop}
 * drains: no new calls, running ones finish (up to `drainTimeoutMs`, then
 * they are hung up), then everything is closed.
 */
export class Worker {
  private currentState: WorkerState = "starting";
  private readonly boot = new AbortController();
  private http: HttpServer | undefined;
  private db: Db<FlowGraph> | undefined;
  private backend: QueueBackend | undefined;
  private balancer: LoadBalancer | undefined;
  private redisProbe: RedisClient | undefined;
  private redisTrouble: RedisTrouble | undefined;
  private catalog: FlowCatalog | undefined;
  private updates: FlowAnnouncementsSubscription | undefined;
  private esl: EslLink | undefined;
  private listener: EslServer | undefined;
  private runner: CallRunner | undefined;
  private admission: Admission | undefined;
  private recordWriter: RecordWriter | undefined;
  private lostCalls: LostCalls | undefined;
  private sharedQueue: Queue | undefined;
  private registry: AgentRegistry | undefined;
  private agentSync: AgentSync | undefined;
  private agentChannels: AgentChannels | undefined;
  private hub: LiveHub | undefined;
  private liveStore: RedisLiveStore | undefined;
  private liveFeed: RedisLiveFeed | undefined;
  private liveCommands: LiveCommandsSubscription | undefined;
  private commandSender: RedisLiveCommands | undefined;
  private liveRoutes: LiveRoutes | undefined;
  private onServed: ((served: ServedCaller) => void) | undefined;
  private historyCleanup: HistoryCleanup | undefined;
  private callbackIntake: CallbackIntake | undefined;
  private callbackDispatcher: CallbackDispatcher | undefined;
  private removeGauge: (() => void) | undefined;
  private stopping: Promise<void> | undefined;
  private closing: Promise<void> | undefined;

  private constructor(
    readonly config: WorkerConfig,
    readonly log: Logger,
  ) {}

  /** Starts a worker and resolves once it takes calls. On failure, closes what it opened and rejects. */
  static async start(config: WorkerConfig, options: StartWorkerOptions = {}): Promise<Worker> {
    const log = options.log ?? createLogger({ level: config.logLevel, workerId: config.workerId });
    const worker = new Worker(config, log);
    worker.onServed = options.onServed;
    const stopBoot = () => worker.boot.abort(options.signal?.reason);
    if (options.signal?.aborted) stopBoot();
    options.signal?.addEventListener("abort", stopBoot, { once: true });
    try {
      await worker.startUp();
      return worker;
    } catch (error) {
      await worker.close();
      throw error;
    } finally {
      options.signal?.removeEventListener("abort", stopBoot);
    }
  }

  get state(): WorkerState {
    return this.currentState;
  }

  /** The port FreeSWITCH's `socket` app must dial. */
  get callPort(): number {
    return this.required(this.listener, "listener").port;
  }

  /** The port of `/healthz`, `/readyz` and `/metrics`. */
  get httpPort(): number {
    return this.required(this.http, "HTTP server").port;
  }

  /** The queues this worker's calls wait in (shared through Redis when configured). */
  get queue(): Queue {
    return this.required(this.sharedQueue, "queue");
  }

  /** The live agent registry (shared through Redis when configured). */
  get agents(): AgentRegistry {
    return this.required(this.registry, "agent registry");
  }

  /** The wall-board's hub: live queue and agent states, estimates. */
  get live(): LiveHub {
    return this.required(this.hub, "live hub");
  }

  /**
   * Applies a supervisor's change at once (what `POST /live/commands` and
   * the Redis commands channel do): the database must already hold it.
   */
  async applyLiveCommand(command: LiveCommand): Promise<void> {
    switch (command.type) {
      case "setAgentStatus":
        await this.required(this.agentSync, "agent sync").applyStatus(
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

  /** Stores callback requests (core's callback-request port). */
  get callbacks(): CallbackIntake {
    return this.required(this.callbackIntake, "callback intake");
  }

  /** Works through stored callback requests. */
  get callbackDispatch(): CallbackDispatcher {
    return this.required(this.callbackDispatcher, "callback dispatcher");
  }

  /** Calls being handled now. */
  get activeCalls(): number {
    return this.runner?.activeCount ?? 0;
  }

  /** Re-reads the published flows now (what a publish announcement triggers). */
  async refreshFlows(): Promise<void> {
    await this.catalog?.sync();
  }

  /**
   * Shuts down gracefully: stops taking calls (the listening socket closes,
   * so the switch's `socket` app fails over or falls through; a call that
   * still slips in is hung up with NORMAL_TEMPORARY_FAILURE), lets running
   * calls finish for up to `drainTimeoutMs`, hangs up the rest
   * (SYSTEM_SHUTDOWN) so their slots are given back and their records
   * written, then closes ESL, Redis, the database and HTTP. Idempotent.
   */
  stop(): Promise<void> {
    this.stopping ??= this.drainAndClose();
    return this.stopping;
  }

  private async drainAndClose(): Promise<void> {
    if (this.currentState === "starting") {
      this.boot.abort(new Error("the worker was stopped while starting"));
      await this.close();
      return;
    }
    if (this.currentState === "stopped") return;
    this.currentState = "draining";
    const runner = this.required(this.runner, "call runner");
    runner.stopAccepting();
    this.catalog?.stop();
    // Requests waiting in line go back at once, for another worker; those
    // being dialled get the drain time.
    const callbacksStopped = this.callbackDispatcher?.stop(this.config.drainTimeoutMs);
    const listenerClosed = this.listener?.close();
    listenerClosed?.catch(() => undefined);
    const { drainTimeoutMs } = this.config;
    this.log.info(
      { activeCalls: runner.activeCount, drainTimeoutMs },
      "draining: no new calls, waiting for running calls to finish",
    );
    if (!(await runner.waitUntilIdle(drainTimeoutMs))) {
      const count = await runner.hangUpAll(HangupCauses.SystemShutdown);
      this.log.warn(
        { calls: count, cause: HangupCauses.SystemShutdown },
        "drain timeout reached; hanging up the calls still running",
      );
      if (!(await runner.waitUntilIdle(HANGUP_GRACE_MS))) {
        const dropped = runner.destroyAll();
        this.log.error({ calls: dropped }, "calls did not end after their hang-up; dropping them");
        await runner.waitUntilIdle(HANGUP_GRACE_MS);
      }
    }
    await callbacksStopped;
    this.log.info("every call is over");
    await this.close();
  }

  private async startUp(): Promise<void> {
    const { config, log } = this;
    const signal = this.boot.signal;
    // Before any Queue exists: core's instruments bind to the provider registered now.
    const processMetrics = ProcessMetrics.forProcess(config.workerId);
    const instruments = createWorkerInstruments();
    this.http = await HttpServer.start({
      host: config.http.host,
      port: config.http.port,
      log,
      routes: {
        readiness: () => this.readinessChecks(),
        metrics: (request, response) => processMetrics.handle(request, response),
        live: () => this.liveRoutes,
      },
    });
    log.info({ port: this.http.port }, "HTTP endpoints listening");

    const migrated = await migrateDatabase({ url: config.databaseUrl });
    if (migrated.applied.length > 0) log.info({ applied: migrated.applied }, "database migrated");
    const db = await createDb<FlowGraph>({ url: config.databaseUrl, parseGraph: parseFlowGraph });
    this.db = db;
    signal.throwIfAborted();

    if (config.redis) {
      const redis = openRedisServices({ ...config.redis, workerId: config.workerId, log });
      this.backend = redis.backend;
      this.balancer = redis.balancer;
      this.redisProbe = redis.probe;
      this.redisTrouble = redis.trouble;
    } else {
      this.backend = new InMemoryBackend();
      this.balancer = new InMemoryLoadBalancer();
    }
    this.sharedQueue = new Queue(this.backend);
    // Calls are taken only once the shared line answers: a call taken earlier
    // would join behind later calls of workers already connected.
    await this.backend.ready(signal);

    await this.startLive(db);

    this.catalog = new FlowCatalog({ db, log, pollMs: config.flowPollMs });
    await this.catalog.start();
    log.info({ numbers: this.catalog.size }, "published flows loaded");
    if (config.redis) {
      const catalog = this.catalog;
      this.updates = await subscribeFlowAnnouncements({
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
    }
    signal.throwIfAborted();

    this.esl = await EslLink.open({ ...config.esl, log, signal });
    // The control connection is the call control's alone: callers' own
    // channel events reach the worker through their outbound sockets.
    const callControl = new FreeswitchCallControl(this.esl.connection, {
      outboundLegEventsOnly: true,
      // uuid_kill / uuid_bridge / uuid_exists: replies that never wait behind events.
      ...(this.esl.commands ? { commands: this.esl.commands } : {}),
    });
    callControl.onError((error) => log.warn({ err: error }, "call control background failure"));
    // Before any call is taken: agents a previous run left talking are busy, not idle.
    const link = this.esl;
    this.agentChannels = new AgentChannels({
      connection: link.connection,
      commands: () => link.commandConnection,
      registry: this.required(this.registry, "agent registry"),
      log,
    });
    await this.agentChannels.start();
    // The wall-board's callback counts are refreshed on each change.
    const callbacksChanged = (queueId: string) => this.live.callbacksChanged(queueId);
    this.callbackIntake = new CallbackIntake({ db, log, onStored: callbacksChanged });
    const runtime: FlowRuntime = {
      queue: this.sharedQueue,
      callControl,
      balancer: this.balancer,
      agents: this.registry,
      estimateWaitMs: (queueId, callUuid) => this.live.estimate(queueId, callUuid),
      resolveAgentGroup: createAgentGroupResolver(db),
      callbacks: this.callbackIntake,
      onError: (error) => log.warn({ err: error }, "ring group background failure"),
    };
    this.recordWriter = new RecordWriter({
      calls: db.calls,
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
    this.lostCalls = new LostCalls({
      workerId: config.workerId,
      calls: db.calls,
      redis:
        config.redis && this.redisProbe
          ? { client: this.redisProbe, keyPrefix: config.redis.keyPrefix }
          : null,
      livenessMs: config.workerLivenessMs,
      log,
      switchboard: {
        channelStates: () =>
          channelStates(this.required(this.esl, "control connection").commandConnection),
        hangup: (uuid) => callControl.hangup(uuid, HangupCauses.NormalTemporaryFailure),
      },
    });
    await this.lostCalls.start();
    if (config.historyRetentionMs) {
      this.historyCleanup = new HistoryCleanup({
        calls: db.calls,
        retentionMs: config.historyRetentionMs,
        log,
      });
      this.historyCleanup.start();
    }
    this.runner = new CallRunner({
      workerId: config.workerId,
      catalog: this.catalog,
      runtime,
      recordWriter: this.recordWriter,
      log,
      instruments,
      live: this.live,
      testCalls: config.testCalls ?? false,
      featureCodes: new AgentFeatureCodes({
        db,
        registry: this.required(this.registry, "agent registry"),
        agentSync: this.required(this.agentSync, "agent sync"),
      }),
    });
    this.startCallbacks(db, runtime);
    const runner = this.runner;
    const admission = this.openAdmission(runner, instruments);
    const { refusal } = admission.limits;
    this.listener = await listen(
      {
        host: config.listen.host,
        port: config.listen.port,
        // `myevents json`: a call's events decode with one JSON.parse each.
        eventFormat: "json",
        // Handed back: refused at the door, before a word is said on the socket.
        ...(refusal.kind === "handback" ? { admit: () => admission.admit() === undefined } : {}),
      },
      (session) => {
        if (refusal.kind === "hangup" && admission.admit() !== undefined) {
          // Never answered: the switch sends the cause back to the caller's side.
          return session.hangup(refusal.cause).catch(() => session.destroy());
        }
        return runner.handle(session);
      },
    );
    const recordWriter = this.recordWriter;
    this.listener.onError((error) => {
      if (error instanceof EslCallEndedBeforeSetupError) {
        instruments.calls.add(1, { outcome: "abandoned" });
        const data = error.channelData;
        const channel = data && {
          numberDialled: data.destinationNumber ?? "",
          callerNumber: data.callerIdNumber ?? "",
        };
        recordEndedBeforeTaken(error.uuid, channel, {
          workerId: config.workerId,
          calls: db.calls,
          recordWriter,
          log,
        }).catch((failure: unknown) =>
          log.warn(
            { err: failure, callUuid: error.uuid },
            "could not record a call that ended before it was taken",
          ),
        );
        return;
      }
      if (error instanceof EslMalformedMessageError) {
        instruments.rejectedConnections.add(1, { reason: error.reason });
        log.warn({ reason: error.reason, err: error }, "closed a call-port connection");
        return;
      }
      log.warn({ err: error }, "outbound socket server");
    });

    const esl = this.esl;
    const gauge = metrics
      .getMeter("@ringflow/worker")
      .createObservableGauge("ringflow.worker.esl_connected", {
        description: "1 while the control connection to FreeSWITCH is up.",
      });
    const observe = (result: ObservableResult) =>
      result.observe(esl.state === "connected" ? 1 : 0, { "worker.id": config.workerId });
    gauge.addCallback(observe);
    // What admission control measures of the worker, whether or not a limit is set.
    const loopDelay = metrics
      .getMeter("@ringflow/worker")
      .createObservableGauge("ringflow.worker.event_loop_delay", {
        description: "The event loop's 99th-percentile delay over the last 0.5 s sample.",
        unit: "s",
      });
    const observeLoopDelay = (result: ObservableResult) =>
      result.observe(admission.pressure.eventLoopDelayMs / 1000);
    loopDelay.addCallback(observeLoopDelay);
    this.removeGauge = () => {
      gauge.removeCallback(observe);
      loopDelay.removeCallback(observeLoopDelay);
    };

    this.currentState = "running";
    log.info(
      {
        callPort: this.listener.port,
        listenHost: config.listen.host,
        httpPort: this.http.port,
        redis: config.redis !== null,
        database: db.provider,
      },
      "worker ready: taking calls",
    );
  }

  /** The dispatcher that rings agents and calls customers back from this worker. */
  private startCallbacks(db: Db<FlowGraph>, runtime: FlowRuntime): void {
    const { config, log } = this;
    const settings = config.callbacks ?? DEFAULT_CALLBACK_SETTINGS;
    const api = (command: string) =>
      this.required(this.esl, "control connection").commandConnection.api(command);
    const hangupLegsOf = async (variable: string, value: string) => {
      await api(`hupall ${HangupCauses.NormalClearing} ${variable} ${value}`);
    };
    const liveConversation = async (leg: string) => {
      // `uuid_getvar` answers `_undef_` for an unset variable, `-ERR ...` for no such channel.
      const partner = (await api(`uuid_getvar ${leg} bridge_uuid`)).trim();
      if (partner === "" || partner === "_undef_" || partner.startsWith("-")) return false;
      return (await api(`uuid_exists ${partner}`)).trim() === "true";
    };
    this.callbackDispatcher = new CallbackDispatcher({
      owner: config.workerId,
      db,
      queue: this.required(this.sharedQueue, "queue"),
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
    this.callbackDispatcher.start();
  }

  /** Admission control over `runner`'s calls, counting refusals in `calls_refused_total{reason}`. */
  private openAdmission(runner: CallRunner, instruments: WorkerInstruments): Admission {
    this.admission = new Admission({
      limits: this.config.admission ?? NO_ADMISSION_LIMITS,
      log: this.log,
      callsInSetUp: () => runner.callsInSetUp,
      onRefused: (reason) => instruments.callsRefused.add(1, { reason }),
    });
    return this.admission;
  }

  /**
   * The live agent registry (kept in step with the database), the
   * wall-board's hub and its commands: through Redis when configured,
   * else in this process and over `/live/*`.
   */
  private async startLive(db: Db<FlowGraph>): Promise<void> {
    const { config, log } = this;
    const queue = this.required(this.sharedQueue, "queue");
    const redis = config.redis;
    const onError = (what: string) => (error: unknown) =>
      this.redisTrouble?.(what, error, `Redis trouble (${what})`) ??
      log.warn({ err: error }, `${what} failure`);
    this.registry = redis
      ? new RedisAgentRegistry({
          url: redis.url,
          keyPrefix: redis.keyPrefix,
          onError: onError("agent registry"),
        })
      : new InMemoryAgentRegistry({ onError: onError("agent registry") });
    this.agentSync = new AgentSync({ db, registry: this.registry, log, pollMs: config.flowPollMs });
    await this.agentSync.start();
    if (redis) {
      this.liveStore = new RedisLiveStore({
        url: redis.url,
        keyPrefix: redis.keyPrefix,
        connectionName: `ringflow-worker-live:${config.workerId}`,
        onError: onError("live store"),
      });
      this.liveFeed = new RedisLiveFeed({
        url: redis.url,
        keyPrefix: redis.keyPrefix,
        connectionName: `ringflow-worker-live-feed:${config.workerId}`,
        onError: onError("live feed"),
      });
    }
    this.hub = new LiveHub({
      queue,
      registry: this.registry,
      db,
      store: this.liveStore ?? null,
      sharedFeed: this.liveFeed ?? null,
      log,
      ...(this.onServed ? { onServed: this.onServed } : {}),
    });
    await this.hub.start();
    const apply = (command: LiveCommand) =>
      this.applyLiveCommand(command).catch((error: unknown) =>
        log.warn({ err: error, command }, "could not apply a live command"),
      );
    if (redis) {
      this.liveCommands = await subscribeLiveCommands({
        url: redis.url,
        keyPrefix: redis.keyPrefix,
        connectionName: `ringflow-worker-live-commands:${config.workerId}`,
        onCommand: (command) => void apply(command),
        onInvalid: (message, error) =>
          log.warn({ err: error, message }, "ignoring a malformed live command"),
        onError: onError("live commands"),
      });
      this.commandSender = new RedisLiveCommands({ url: redis.url, keyPrefix: redis.keyPrefix });
    }
    const sender = this.commandSender;
    this.liveRoutes = {
      feed: this.hub.feed,
      // With Redis a command posted here reaches every worker, this one included.
      command: sender
        ? (command) => sender.send(command)
        : (command) => this.applyLiveCommand(command),
      token: config.liveToken ?? null,
    };
  }

  private readinessChecks(): Record<string, ReadinessCheck> {
    const checks: Record<string, ReadinessCheck> = {
      worker: () => ({ ok: this.currentState === "running", detail: this.currentState }),
      esl: () => {
        const state = this.esl?.state ?? "connecting";
        return { ok: state === "connected", detail: state };
      },
      // Shedding: the worker refuses new calls (overload), so send them elsewhere.
      admission: () => {
        const admission = this.admission;
        if (!admission?.isShedding) return { ok: true, detail: "taking calls" };
        return { ok: false, detail: `overloaded (${admission.reason}): refusing new calls` };
      },
      // Informational: a version this worker cannot run leaves one number
      // unrouted, not the worker unable to take calls.
      flows: () => ({ ok: true, detail: describeCatalog(this.catalog) }),
      database: async () => {
        const db = this.db;
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

  /** Closes everything that is open, each part on its own (one failing does not stop the rest). */
  private close(): Promise<void> {
    this.closing ??= (async () => {
      const step = async (what: string, work: (() => Promise<unknown>) | undefined) => {
        if (!work) return;
        try {
          await work();
        } catch (error) {
          this.log.warn({ err: error }, `closing ${what} failed`);
        }
      };
      this.catalog?.stop();
      this.admission?.close();
      this.agentSync?.stop();
      this.agentChannels?.stop();
      this.removeGauge?.();
      this.liveRoutes = undefined;
      const { listener, updates, backend, balancer, redisProbe, esl, recordWriter, db, http } =
        this;
      const { lostCalls, callbackDispatcher } = this;
      await step("the outbound socket server", listener && (() => listener.close({ force: true })));
      await step(
        "the callback dispatcher",
        callbackDispatcher && (() => callbackDispatcher.stop(0)),
      );
      await step("the lost-calls sweep", lostCalls && (() => lostCalls.stop()));
      await step("the flow updates subscription", updates && (() => updates.close()));
      const cleanup = this.historyCleanup;
      await step("the history clean-up", cleanup && (() => cleanup.stop()));
      const { hub, liveCommands, commandSender, liveFeed, liveStore, registry } = this;
      await step("the live hub", hub && (() => hub.stop()));
      await step("the live commands", liveCommands && (() => liveCommands.close()));
      await step("the live command sender", commandSender && (() => commandSender.close()));
      await step("the live feed", liveFeed && (() => liveFeed.close()));
      await step("the live store", liveStore && (() => liveStore.close()));
      await step("the queue backend", backend && (() => backend.close()));
      await step("the agent registry", registry && (() => registry.close()));
      await step("the load balancer", balancer && (() => balancer.close()));
      redisProbe?.disconnect();
      await step("the FreeSWITCH connection", esl && (() => esl.close()));
      await step("the call records still to write", recordWriter && (() => recordWriter.flush()));
      await step("the database", db && (() => db.close()));
      await step("the HTTP server", http && (() => http.close()));
      this.currentState = "stopped";
      this.log.info("worker stopped");
    })();
    return this.closing;
  }

  private required<T>(value: T | undefined, what: string): T {
    if (value === undefined) throw new Error(`the worker's ${what} is not started`);
    return value;
  }
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
