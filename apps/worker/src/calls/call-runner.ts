import {
  type CallOutcome,
  type Clock,
  type HangupCause,
  HangupCauses,
  settledWithin,
  systemClock,
} from "@ringflow/core";
import { type AgentFeatureCode, agentFeatureCodeOf } from "@ringflow/core/agents";
import {
  type CallProgress,
  FlowEngine,
  type FlowRuntime,
  type FlowTraceStep,
} from "@ringflow/core/interpreter";
import { EslCallSession, type EslOutboundSession } from "@ringflow/esl";
import {
  DraftNotRunnableError,
  type FlowCatalog,
  type RunnableFlow,
} from "../flows/flow-catalog.js";
import type { Logger } from "../logger.js";
import type { WorkerCallOutcome, WorkerInstruments } from "../telemetry.js";
import { type CallRecordChanges, CallRecorder } from "./call-recorder.js";
import type { RecordWriter } from "./record-writer.js";

/** The cause a call gets when it reaches a worker that is shutting down. */
export const REFUSED_CAUSE: HangupCause = HangupCauses.NormalTemporaryFailure;
/** The cause a call gets when the dialled number has no published flow. */
export const UNROUTED_CAUSE: HangupCause = HangupCauses.UnallocatedNumber;

/**
 * The channel variable of the SIP header `X-Ringflow-Draft: <flow id>` (mod_sofia
 * keeps an INVITE's `X-` headers as `sip_h_<name>`): the call runs that flow's
 * draft, when the worker takes test calls.
 */
export const DRAFT_VARIABLE = "sip_h_X-Ringflow-Draft";

/** Longest a call waits for its first record to be written before its flow starts. */
const FIRST_RECORD_WAIT_MS = 2_000;

/** The largest duration an `Int` column holds on every database (PostgreSQL's is 32-bit): ~24.8 days. */
const MAX_STORED_MS = 2_147_483_647;

/** `ms` as a call record stores it: whole, and clamped to what the column holds. */
function storableMs(ms: number): number {
  return Math.min(MAX_STORED_MS, Math.max(0, Math.round(ms)));
}

/** Options of {@link CallRunner}. */
export interface CallRunnerOptions {
  readonly workerId: string;
  readonly catalog: FlowCatalog;
  /** What the worker's calls share; the runner builds its one `FlowEngine` from it. */
  readonly runtime: FlowRuntime;
  /** Where call records and traces are written (batched). */
  readonly recordWriter: RecordWriter;
  readonly log: Logger;
  readonly instruments: WorkerInstruments;
  /** Run a flow's draft for calls carrying {@link DRAFT_VARIABLE} (default false). */
  readonly testCalls?: boolean;
  /** Told of callers joining queues and of queued calls ending (the wall-board's hub). */
  readonly live?: CallRunnerLive;
  /** Serves agents' feature codes (`*50`, `*51`) before normal routing. */
  readonly featureCodes?: CallRunnerFeatureCodes;
}

/** What {@link CallRunner} hands an agent's feature-code call to. */
export interface CallRunnerFeatureCodes {
  handle(
    code: AgentFeatureCode,
    call: EslCallSession,
    recorder: CallRecorder,
    log: Logger,
  ): Promise<void>;
}

/** What {@link CallRunner} tells the wall-board's hub. */
export interface CallRunnerLive {
  /** Resolves with the wait the caller is given to expect on joining (`null`: none); never rejects. */
  callerJoined(
    callUuid: string,
    info: { queueId: string; callerNumber: string | null; vip: boolean },
  ): Promise<number | null>;
  callEnded(end: { queueId: string; callUuid: string; outcome: CallOutcome; waitMs: number }): void;
}

interface ActiveCall {
  readonly uuid: string;
  readonly session: EslOutboundSession;
  call: EslCallSession | undefined;
  /** Set when the worker hung the call up itself to shut down. */
  shutdownCause: HangupCause | undefined;
  /** In a queue's line, without a slot yet. */
  waiting: boolean;
  /** Counted in {@link CallRunner.callsInSetUp}: not yet waiting in line, with an agent, or over. */
  settingUp: boolean;
  /** An agent answered (the call is set up for good). */
  connected: boolean;
  /** Woken when the call leaves a queue's line (slot, abandon) or ends. */
  lineWatchers: Array<() => void>;
  /** Settles when the worker is done with the call (flow over, record written). */
  done: Promise<void>;
}

/**
 * Takes every call FreeSWITCH hands over and sees it through: finds the
 * number's published flow, runs it, keeps the call record and writes the
 * trace. Whatever goes wrong with one call is logged and ends that call
 * only; {@link handle} never rejects. One per worker: every call runs on
 * the one flow engine it builds from the runtime (the engine holds what
 * the calls share); {@link close} lets go of it.
 */
export class CallRunner {
  private readonly active = new Map<string, ActiveCall>();
  private readonly engine: FlowEngine;
  private accepting = true;
  private idleWaiters: Array<() => void> = [];
  private settingUp = 0;
  private readonly clock: Clock;

  constructor(private readonly options: CallRunnerOptions) {
    this.engine = new FlowEngine(options.runtime);
    // The flow's clock: a record holds both the runner's times and the flow's.
    this.clock = options.runtime.clock ?? systemClock;
  }

  /** Calls being handled now. */
  get activeCount(): number {
    return this.active.size;
  }

  /**
   * Calls being set up now: taken and not yet waiting in a queue's line,
   * answered by an agent, or over (what admission control weighs).
   */
  get callsInSetUp(): number {
    return this.settingUp;
  }

  /** Keeps {@link callsInSetUp} in step with `entry`. */
  private notePhase(entry: ActiveCall, over = false): void {
    const settingUp = !over && !entry.waiting && !entry.connected;
    if (settingUp === entry.settingUp) return;
    entry.settingUp = settingUp;
    this.settingUp += settingUp ? 1 : -1;
  }

  /** From now on, calls that arrive are hung up with {@link REFUSED_CAUSE}. */
  stopAccepting(): void {
    this.accepting = false;
  }

  /** Resolves when no call is being handled, or after `timeoutMs`; true if idle. */
  async waitUntilIdle(timeoutMs: number): Promise<boolean> {
    if (this.active.size === 0) return true;
    const idle = new Promise<void>((resolve) => this.idleWaiters.push(resolve));
    return settledWithin(this.clock, idle, timeoutMs);
  }

  /**
   * Hangs up every call still being handled with `cause`; their flows then
   * end as on any hang-up (slots given back, agents' legs cancelled, records
   * written). Callers waiting in a queue's line go first, and have left it
   * (or `lineGraceMs` passed) before the calls holding slots are hung up,
   * so a slot freed by the shutdown is not handed to a caller who is about
   * to be cut off. Returns how many were hung up.
   */
  async hangUpAll(cause: HangupCause, lineGraceMs = 2_000): Promise<number> {
    const entries = [...this.active.values()];
    const waiting = entries.filter((entry) => entry.waiting);
    for (const entry of waiting) this.hangUpForShutdown(entry, cause);
    await Promise.all(waiting.map((entry) => this.outOfLine(entry, lineGraceMs)));
    for (const entry of entries) if (!waiting.includes(entry)) this.hangUpForShutdown(entry, cause);
    return entries.length;
  }

  private hangUpForShutdown(entry: ActiveCall, cause: HangupCause): void {
    const { log, runtime } = this.options;
    entry.shutdownCause = cause;
    // uuid_kill over the control connection ends the channel whatever it
    // is doing (a uuid_bridge included, which takes it out of the socket
    // app's hands); the session's own sendmsg is the fallback.
    runtime.callControl
      .hangup(entry.uuid, cause)
      .catch(() => (entry.call ? entry.call.hangup(cause) : entry.session.hangup(cause)))
      .catch((error: unknown) =>
        log.warn({ err: error, callUuid: entry.uuid }, "shutdown hang-up failed"),
      );
  }

  /** Resolves once `entry` is no longer waiting in a line, or after `timeoutMs`. */
  private outOfLine(entry: ActiveCall, timeoutMs: number): Promise<void> {
    if (!entry.waiting) return Promise.resolve();
    return new Promise<void>((resolve) => {
      const timer = this.clock.setTimeout(resolve, timeoutMs);
      entry.lineWatchers.push(() => {
        timer.cancel();
        resolve();
      });
    });
  }

  private setWaiting(entry: ActiveCall, waiting: boolean): void {
    entry.waiting = waiting;
    if (this.active.has(entry.uuid)) this.notePhase(entry);
    if (!waiting) for (const wake of entry.lineWatchers.splice(0)) wake();
  }

  /**
   * Stops accepting calls and closes the flow engine, dropping its
   * subscription on the runtime's queue. Call it at shutdown once no call
   * is being handled ({@link waitUntilIdle}), before the queue's backend
   * is closed. Idempotent.
   */
  close(): void {
    this.stopAccepting();
    this.engine.close();
  }

  /** Drops the sockets of calls that are still not over (the last resort of a shutdown). */
  destroyAll(): number {
    for (const entry of this.active.values()) entry.session.destroy();
    return this.active.size;
  }

  /** Sees one call through. Never rejects. */
  handle(session: EslOutboundSession): Promise<void> {
    const entry: ActiveCall = {
      uuid: session.uuid,
      session,
      call: undefined,
      shutdownCause: undefined,
      waiting: false,
      settingUp: false,
      connected: false,
      lineWatchers: [],
      done: Promise.resolve(),
    };
    this.active.set(entry.uuid, entry);
    this.notePhase(entry);
    this.options.instruments.activeCalls.add(1);
    entry.done = this.serve(entry).finally(() => {
      this.setWaiting(entry, false);
      this.notePhase(entry, true);
      this.active.delete(entry.uuid);
      this.options.instruments.activeCalls.add(-1);
      if (this.active.size === 0) for (const wake of this.idleWaiters.splice(0)) wake();
    });
    return entry.done;
  }

  private async serve(entry: ActiveCall): Promise<void> {
    const { session } = entry;
    const log = this.options.log.child({ callUuid: entry.uuid });
    const arrivedAt = this.clock.now();
    session.onError((error) => log.warn({ err: error }, "call session error"));
    let recorder: CallRecorder | undefined;
    try {
      const call = new EslCallSession(session);
      entry.call = call;
      const { destinationNumber: number, callerIdNumber, callerIdName } = call.info;
      recorder = new CallRecorder(
        this.options.recordWriter,
        {
          callUuid: entry.uuid,
          numberDialled: number,
          callerNumber: callerIdNumber,
          startedAt: new Date(arrivedAt),
          workerId: this.options.workerId,
        },
        { clock: this.clock },
      );
      log.info({ number, caller: callerIdNumber }, "call arrived");

      if (!this.accepting) {
        log.warn({ number, cause: REFUSED_CAUSE }, "call refused: the worker is shutting down");
        await this.reject(call, recorder, REFUSED_CAUSE, callerIdName);
        this.count("refused", arrivedAt);
        return;
      }
      const draftOf = call.info.variables[DRAFT_VARIABLE];
      if (draftOf !== undefined && this.options.testCalls) {
        await this.runDraft(entry, call, draftOf, recorder, log, arrivedAt);
        return;
      }
      if (draftOf !== undefined) {
        log.warn(
          { number, flowId: draftOf },
          "the call asks for a flow's draft (X-Ringflow-Draft) but this worker takes no test calls (TEST_CALLS); routing it by its number",
        );
      }
      const code = this.options.featureCodes ? agentFeatureCodeOf(number) : null;
      if (code && this.options.featureCodes) {
        await this.options.featureCodes.handle(code, call, recorder, log);
        this.count("answered", arrivedAt);
        return;
      }
      const routed = await this.options.catalog.resolve(number);
      if (!routed) {
        const rejected = this.options.catalog.rejectedFor(number);
        log.warn(
          { number, cause: UNROUTED_CAUSE, rejectedVersion: rejected?.version },
          rejected
            ? `dialled number ${JSON.stringify(number)} is unrouted: this worker's flow schema rejects its published version ${rejected.version} (${rejected.cause}); hanging up`
            : `no published flow for dialled number ${JSON.stringify(number)}; hanging up`,
        );
        await this.reject(call, recorder, UNROUTED_CAUSE, callerIdName);
        this.count("unrouted", arrivedAt);
        return;
      }
      await this.runCall(entry, call, routed, recorder, log, arrivedAt);
    } catch (error) {
      log.error({ err: error }, "call handling failed; hanging up");
      await session.hangup(HangupCauses.NormalTemporaryFailure).catch(() => undefined);
      recorder?.update({
        outcome: "failed",
        endedAt: new Date(this.clock.now()),
        hangupCause: session.hangupCause ?? HangupCauses.NormalTemporaryFailure,
      });
      await recorder?.finish({}, [], { urgent: true });
      this.count("failed", arrivedAt);
    }
  }

  /** A test call: runs the draft of flow `flowId`, its trace saved step by step to be watched live. */
  private async runDraft(
    entry: ActiveCall,
    call: EslCallSession,
    flowId: string,
    recorder: CallRecorder,
    log: Logger,
    arrivedAt: number,
  ): Promise<void> {
    const number = call.info.destinationNumber;
    let draft: RunnableFlow;
    try {
      draft = await this.options.catalog.draft(flowId, number);
    } catch (error) {
      if (!(error instanceof DraftNotRunnableError)) throw error;
      log.warn({ number, flowId, cause: UNROUTED_CAUSE }, `test call refused: ${error.message}`);
      await this.reject(call, recorder, UNROUTED_CAUSE, call.info.callerIdName, {
        event: "draftNotRunnable",
        flowId,
        reason: error.message,
      });
      this.count("unrouted", arrivedAt);
      return;
    }
    log.info({ number, flowId }, "test call: running the flow's draft");
    await this.runCall(entry, call, draft, recorder, log, arrivedAt, { liveTrace: true });
  }

  private async runCall(
    entry: ActiveCall,
    call: EslCallSession,
    routed: RunnableFlow,
    recorder: CallRecorder,
    log: Logger,
    arrivedAt: number,
    options: { readonly liveTrace?: boolean } = {},
  ): Promise<void> {
    recorder.update({
      flowId: routed.flowId,
      flowVersionId: routed.versionId,
      flowVersion: routed.version,
      callerName: call.info.callerIdName || null,
    });
    // Written before the first flow step: if this worker dies mid-call, the
    // record is there for a surviving worker to close. A database slower
    // than this does not hold the caller up; the write goes on.
    await settledWithin(this.clock, recorder.start(), FIRST_RECORD_WAIT_MS);
    let firstEnqueuedAt: number | undefined;
    const onProgress = (progress: CallProgress) => {
      try {
        switch (progress.kind) {
          case "enqueued": {
            this.setWaiting(entry, true);
            const first = firstEnqueuedAt === undefined;
            firstEnqueuedAt ??= progress.at;
            recorder.update({ queueId: progress.queueId, enqueuedAt: new Date(firstEnqueuedAt) });
            const joined = this.options.live?.callerJoined(entry.uuid, {
              queueId: progress.queueId,
              callerNumber: call.info.callerIdNumber || null,
              vip: progress.vip,
            });
            // The estimate at the first entry is kept beside the actual
            // wait (re-entries after ringing nobody keep the first).
            if (first) {
              void joined?.then((estimateMs) => {
                if (estimateMs !== null) {
                  recorder.update({ estimatedWaitMs: storableMs(estimateMs) });
                }
              });
            }
            break;
          }
          case "acquired":
            this.setWaiting(entry, false);
            recorder.update({ acquiredAt: new Date(progress.at) });
            break;
          case "abandoned":
          case "callbackRequested":
            this.setWaiting(entry, false);
            break;
          case "answered":
            entry.connected = true;
            this.notePhase(entry);
            break;
          case "bridged":
            entry.connected = true;
            this.notePhase(entry);
            recorder.update({ agentContact: progress.agentContact });
            break;
          default:
            break;
        }
        log.debug({ progress }, "call progress");
      } catch (error) {
        log.error({ err: error }, "could not note the call's progress");
      }
    };
    const report = await this.engine.run({
      flow: routed.flow,
      call,
      onProgress,
      ...(options.liveTrace ? { onTrace: (step: FlowTraceStep) => recorder.step(step) } : {}),
    });

    let outcome: CallOutcome = report.outcome;
    let trace: readonly FlowTraceStep[] = report.trace;
    if (entry.shutdownCause !== undefined) {
      // Core saw a hang-up it did not ask for and calls it the caller's; it
      // was ours. A caller cut off while still being served did not abandon.
      if (outcome === "abandoned") outcome = "failed";
      trace = [
        ...trace,
        {
          at: this.clock.now(),
          kind: "note",
          nodeId: null,
          detail: { event: "workerShutdown", cause: entry.shutdownCause, outcome },
        },
      ];
    }
    const date = (ms: number | null) => (ms === null ? null : new Date(ms));
    const final: CallRecordChanges = {
      outcome,
      queueId: report.queueId,
      enqueuedAt: date(report.enqueuedAt),
      acquiredAt: date(report.acquiredAt),
      answeredAt: date(report.answeredAt),
      endedAt: new Date(report.endedAt),
      waitMs: report.waitMs,
      agentContact: report.agentContact,
      hangupCause: report.hangupCause,
    };
    await recorder.finish(final, trace);
    this.count(outcome, arrivedAt);
    if (report.queueId !== null) {
      this.options.live?.callEnded({
        queueId: report.queueId,
        callUuid: entry.uuid,
        outcome,
        waitMs: report.waitMs ?? 0,
      });
    }
    log.info(
      {
        number: routed.number,
        flowId: routed.flowId,
        flowVersion: routed.version,
        outcome,
        queueId: report.queueId,
        waitMs: report.waitMs,
        agent: report.agentContact,
        hangupCause: report.hangupCause,
        durationMs: report.endedAt - arrivedAt,
      },
      "call ended",
    );
  }

  /**
   * Records a call the worker will not serve as failed with `cause`, then
   * hangs it up. The record is written first (urgently, waiting at most as
   * long as a served call waits for its first record): a worker killed just
   * after the hang-up would otherwise leave a call with no record at all,
   * and no survivor can close a record that was never written.
   */
  private async reject(
    call: EslCallSession,
    recorder: CallRecorder,
    cause: HangupCause,
    callerName: string,
    why?: Record<string, unknown>,
  ): Promise<void> {
    const at = this.clock.now();
    const written = recorder.finish(
      {
        callerName: callerName || null,
        outcome: "failed",
        endedAt: new Date(at),
        hangupCause: cause,
      },
      why ? [{ at, kind: "note", nodeId: null, detail: why }] : [],
      { urgent: true },
    );
    await settledWithin(this.clock, written, FIRST_RECORD_WAIT_MS);
    await call.hangup(cause);
    await written;
  }

  private count(outcome: WorkerCallOutcome, arrivedAt: number): void {
    const { instruments } = this.options;
    instruments.calls.add(1, { outcome });
    instruments.callDuration.record((this.clock.now() - arrivedAt) / 1000, { outcome });
  }
}
