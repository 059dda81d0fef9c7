import { type Clock, systemClock, type TimerHandle } from "@ringflow/core";
import type { FlowTraceStep } from "@ringflow/core/interpreter";
import { type CallRecord, type CallRecordInput, wholeCallRecord } from "@ringflow/db";
import type { RecordWriter } from "./record-writer.js";

/** The fields of a call record that change while the call runs. */
export type CallRecordChanges = Omit<
  CallRecordInput,
  "callUuid" | "numberDialled" | "callerNumber" | "startedAt" | "workerId"
>;

/** What a call's record holds from the start. */
export type CallRecordBase = Pick<
  CallRecordInput,
  "callUuid" | "numberDialled" | "callerNumber" | "startedAt" | "workerId"
>;

/** Options of {@link CallRecorder}. */
export interface CallRecorderOptions {
  /** Longest a change waits to be saved while the call runs (default 1 s). */
  readonly liveUpdateMs?: number;
  /** Times the live saves (default `systemClock`). */
  readonly clock?: Clock;
}

/**
 * Keeps one call's record current without ever holding the call up.
 *
 * Progress is saved at most once per `liveUpdateMs` (the first time that
 * long after the call arrived): changes in between are merged, so a call
 * set up in under a second costs one save at its end, and a call waiting in
 * line for minutes shows its progress within a second. Every save is the
 * whole record known so far, so a save the {@link RecordWriter} gave up on loses
 * nothing the next one does not carry again.
 */
export class CallRecorder {
  private known: CallRecordChanges = {};
  private timer: TimerHandle | undefined;
  private nextSaveAt: number;
  private finished = false;
  /** Trace steps already handed to the log by {@link step}. */
  private stepsSaved = 0;

  private readonly liveUpdateMs: number;
  private readonly clock: Clock;

  constructor(
    private readonly log: RecordWriter,
    private readonly base: CallRecordBase,
    options: CallRecorderOptions = {},
  ) {
    this.liveUpdateMs = options.liveUpdateMs ?? 1_000;
    this.clock = options.clock ?? systemClock;
    this.nextSaveAt = base.startedAt.getTime() + this.liveUpdateMs;
  }

  /**
   * Saves the record as known at the call's arrival, without waiting for the
   * batch interval (it still shares a write with whatever else is pending),
   * so a call cut short by the worker's death is never without a record.
   * Resolves once written or given up on; never rejects.
   */
  start(): Promise<void> {
    return this.log.save(this.snapshot(), [], { urgent: true });
  }

  /** Records `changes` within `liveUpdateMs` (merged with any not yet saved). */
  update(changes: CallRecordChanges): void {
    this.known = { ...this.known, ...changes };
    if (this.finished || this.timer) return;
    this.timer = this.clock.setTimeout(
      () => {
        this.timer = undefined;
        this.nextSaveAt = this.clock.now() + this.liveUpdateMs;
        void this.log.save(this.snapshot());
      },
      Math.max(0, this.nextSaveAt - this.clock.now()),
    );
  }

  /**
   * Saves one trace step now, with the record as known (a test call's
   * trace, watched live in the editor). {@link finish} then saves only the
   * steps not saved this way.
   */
  step(step: FlowTraceStep): void {
    if (this.finished) return;
    this.stepsSaved++;
    void this.log.save(this.snapshot(), [storedStep(step)]);
  }

  /**
   * Saves the final record and the trace (the database keeps its first
   * `traceStepCap` steps) together. Resolves once written or given up on;
   * never rejects. `urgent` skips the batch interval, as {@link start} does.
   */
  finish(
    changes: CallRecordChanges,
    trace: readonly FlowTraceStep[],
    options: { readonly urgent?: boolean } = {},
  ): Promise<void> {
    this.timer?.cancel();
    this.timer = undefined;
    this.finished = true;
    this.known = { ...this.known, ...changes };
    return this.log.save(this.snapshot(), trace.slice(this.stepsSaved).map(storedStep), options);
  }

  /** The whole record as known now: every field, null where nothing is known yet. */
  private snapshot(): CallRecord {
    return wholeCallRecord({ ...this.known, ...this.base });
  }
}

function storedStep(step: FlowTraceStep) {
  return { at: new Date(step.at), kind: step.kind, nodeId: step.nodeId, data: traceData(step) };
}

function traceData(step: FlowTraceStep): unknown {
  const data: Record<string, unknown> = {};
  if (step.nodeType !== undefined) data.nodeType = step.nodeType;
  if (step.output !== undefined) data.output = step.output;
  if (step.detail !== undefined) data.detail = step.detail;
  return Object.keys(data).length > 0 ? data : undefined;
}
