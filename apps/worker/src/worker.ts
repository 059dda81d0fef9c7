import { metrics, type ObservableResult } from "@opentelemetry/api";
import { type Clock, HangupCauses, systemClock } from "@ringflow/core";
import type { AgentRegistry } from "@ringflow/core/agents";
import type { LiveCommand } from "@ringflow/core/live";
import type { Queue } from "@ringflow/core/queue";
import {
  CALL_SESSION_EVENTS,
  EslCallEndedBeforeSetupError,
  EslMalformedMessageError,
  type EslServer,
  listen,
} from "@ringflow/esl";
import type { CallbackDispatcher } from "./callbacks/callback-dispatcher.js";
import type { CallbackIntake } from "./callbacks/callback-intake.js";
import { Admission, type AdmissionLimits } from "./calls/admission.js";
import { CallRunner } from "./calls/call-runner.js";
import { recordEndedBeforeTaken } from "./calls/ended-before-taken.js";
import type { WorkerConfig } from "./env.js";
import { HttpServer, type ReadinessCheck } from "./http/http-server.js";
import type { LiveHub, ServedCaller } from "./live/live-hub.js";
import { createLogger, type Logger } from "./logger.js";
import { createWorkerInstruments, ProcessMetrics, type WorkerInstruments } from "./telemetry.js";
import { WorkerContext } from "./worker-context.js";

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
  /** The one clock of every part of the worker (default: the system's). */
  readonly clock?: Clock;
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
/**
 * The worker: one per FreeSWITCH box. It keeps a control connection to the
 * switch's Event Socket, listens for the calls the dialplan's `socket` app
 * hands over, runs each through its number's published flow, and writes call
 * records and traces. `/healthz`, `/readyz` and `/metrics` are served over HTTP.
 *
 * What calls run with (database, queue, agents, flows, call control, record
 * writer, callbacks) is a {@link WorkerContext}; the worker itself is the
 * lifecycle around it: HTTP, the call port with admission control, drain
 * and close. {@link Worker.start} resolves once calls are being taken;
 * {@link stop} drains: no new calls, running ones finish (up to
 * `drainTimeoutMs`, then they are hung up), then everything is closed.
 */
export class Worker {
  private currentState: WorkerState = "starting";
  private readonly boot = new AbortController();
  private http: HttpServer | undefined;
  private contextPart: WorkerContext | undefined;
  private listener: EslServer | undefined;
  private runner: CallRunner | undefined;
  private admission: Admission | undefined;
  private onServed: ((served: ServedCaller) => void) | undefined;
  private clock: Clock = systemClock;
  private removeGauges: (() => void) | undefined;
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
    if (options.clock) worker.clock = options.clock;
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

  /** What this worker's calls run with. */
  get context(): WorkerContext {
    return this.required(this.contextPart, "context");
  }

  /** The queues this worker's calls wait in (shared through Redis when configured). */
  get queue(): Queue {
    return this.context.queue;
  }

  /** The live agent registry (shared through Redis when configured). */
  get agents(): AgentRegistry {
    return this.context.agents;
  }

  /** The wall-board's hub: live queue and agent states, estimates. */
  get live(): LiveHub {
    return this.context.live;
  }

  /**
   * Applies a supervisor's change at once (what `POST /live/commands` and
   * the Redis commands channel do): the database must already hold it.
   */
  applyLiveCommand(command: LiveCommand): Promise<void> {
    return this.context.applyLiveCommand(command);
  }

  /** Stores callback requests (core's callback-request port). */
  get callbacks(): CallbackIntake {
    return this.context.callbacks;
  }

  /** Works through stored callback requests. */
  get callbackDispatch(): CallbackDispatcher {
    return this.context.callbackDispatch;
  }

  /** Calls being handled now. */
  get activeCalls(): number {
    return this.runner?.activeCount ?? 0;
  }

  /** Re-reads the published flows now (what a publish announcement triggers). */
  async refreshFlows(): Promise<void> {
    await this.contextPart?.refreshFlows();
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
    const context = this.context;
    runner.stopAccepting();
    context.catalog.stop();
    // Requests waiting in line go back at once, for another worker; those
    // being dialled get the drain time.
    const callbacksStopped = context.callbackDispatch.stop(this.config.drainTimeoutMs);
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

  /**
   * HTTP first (so `/healthz` and `/readyz`, with the context's checks,
   * answer while the rest starts), then the context, then the call port.
   */
  private async startUp(): Promise<void> {
    const { config, log } = this;
    // Before any Queue exists: core's instruments bind to the provider registered now.
    const processMetrics = ProcessMetrics.forProcess(config.workerId);
    const instruments = createWorkerInstruments();
    const context = new WorkerContext({
      config,
      log,
      instruments,
      signal: this.boot.signal,
      clock: this.clock,
      ...(this.onServed ? { onServed: this.onServed } : {}),
    });
    this.contextPart = context;
    this.http = await HttpServer.start({
      host: config.http.host,
      port: config.http.port,
      log,
      routes: {
        readiness: () => this.readinessChecks(),
        metrics: (request, response) => processMetrics.handle(request, response),
        live: () => context.liveRoutes,
      },
    });
    log.info({ port: this.http.port }, "HTTP endpoints listening");

    await context.open();
    const runner = new CallRunner({
      workerId: config.workerId,
      catalog: context.catalog,
      runtime: context.runtime,
      recordWriter: context.recordWriter,
      log,
      instruments,
      live: context.live,
      testCalls: config.testCalls ?? false,
      featureCodes: context.featureCodes,
    });
    this.runner = runner;
    const admission = this.openAdmission(runner, instruments);
    this.listener = await this.listen(runner, admission, instruments);
    this.removeGauges = this.observeGauges(admission);

    this.currentState = "running";
    log.info(
      {
        callPort: this.listener.port,
        listenHost: config.listen.host,
        httpPort: this.http.port,
        redis: config.redis !== null,
        database: context.db.provider,
      },
      "worker ready: taking calls",
    );
  }

  /** The call port: each call the dialplan's `socket` app hands over, past admission, goes to `runner`. */
  private async listen(
    runner: CallRunner,
    admission: Admission,
    instruments: WorkerInstruments,
  ): Promise<EslServer> {
    const { config, log } = this;
    const context = this.context;
    const { refusal } = admission.limits;
    const listener = await listen(
      {
        host: config.listen.host,
        port: config.listen.port,
        // `myevents json`: a call's events decode with one JSON.parse each.
        eventFormat: "json",
        // Only the events a call's session reads: of the ~22 a call was
        // sent, 12 (CHANNEL_STATE, CHANNEL_UNPARK, ...) were never looked at.
        events: CALL_SESSION_EVENTS,
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
    listener.onError((error) => {
      if (error instanceof EslCallEndedBeforeSetupError) {
        instruments.calls.add(1, { outcome: "abandoned" });
        const data = error.channelData;
        const channel = data && {
          numberDialled: data.destinationNumber ?? "",
          callerNumber: data.callerIdNumber ?? "",
        };
        recordEndedBeforeTaken(error.uuid, channel, {
          workerId: config.workerId,
          calls: context.db.calls,
          recordWriter: context.recordWriter,
          log,
          clock: this.clock,
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
    return listener;
  }

  /** The worker's gauges in `/metrics`; returns what removes them. */
  private observeGauges(admission: Admission): () => void {
    const { workerId } = this.config;
    const esl = this.context.esl;
    const meter = metrics.getMeter("@ringflow/worker");
    const connected = meter.createObservableGauge("ringflow.worker.esl_connected", {
      description: "1 while the control connection to FreeSWITCH is up.",
    });
    const observeConnected = (result: ObservableResult) =>
      result.observe(esl.state === "connected" ? 1 : 0, { "worker.id": workerId });
    connected.addCallback(observeConnected);
    // What admission control measures of the worker, whether or not a limit is set.
    const loopDelay = meter.createObservableGauge("ringflow.worker.event_loop_delay", {
      description: "The event loop's 99th-percentile delay over the last 0.5 s sample.",
      unit: "s",
    });
    const observeLoopDelay = (result: ObservableResult) =>
      result.observe(admission.pressure.eventLoopDelayMs / 1000);
    loopDelay.addCallback(observeLoopDelay);
    return () => {
      connected.removeCallback(observeConnected);
      loopDelay.removeCallback(observeLoopDelay);
    };
  }

  /** Admission control over `runner`'s calls, counting refusals in `calls_refused_total{reason}`. */
  private openAdmission(runner: CallRunner, instruments: WorkerInstruments): Admission {
    this.admission = new Admission({
      limits: this.config.admission ?? NO_ADMISSION_LIMITS,
      log: this.log,
      clock: this.clock,
      callsInSetUp: () => runner.callsInSetUp,
      onRefused: (reason) => instruments.callsRefused.add(1, { reason }),
    });
    return this.admission;
  }

  private readinessChecks(): Record<string, ReadinessCheck> {
    return {
      worker: () => ({ ok: this.currentState === "running", detail: this.currentState }),
      // Shedding: the worker refuses new calls (overload), so send them elsewhere.
      admission: () => {
        const admission = this.admission;
        if (!admission?.isShedding) return { ok: true, detail: "taking calls" };
        return { ok: false, detail: `overloaded (${admission.reason}): refusing new calls` };
      },
      ...this.contextPart?.readinessChecks(),
    };
  }

  /** Closes everything that is open: the call port first, then the context, HTTP last. */
  private close(): Promise<void> {
    this.closing ??= (async () => {
      this.admission?.close();
      this.removeGauges?.();
      const { listener, http } = this;
      try {
        await listener?.close({ force: true });
      } catch (error) {
        this.log.warn({ err: error }, "closing the outbound socket server failed");
      }
      // No call is running now: the flow engine lets go of the queue before its backend closes.
      this.runner?.close();
      await this.contextPart?.close();
      try {
        await http?.close();
      } catch (error) {
        this.log.warn({ err: error }, "closing the HTTP server failed");
      }
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
