import type { FlowTraceStep } from "@ringflow/core";
import type { CallRecordInput, CallsRepository } from "@ringflow/db";

/** The fields of a call record that change while the call runs. */
export type CallRecordChanges = Omit<
  CallRecordInput,
  "callUuid" | "numberDialled" | "callerNumber" | "startedAt" | "workerId"
>;

/** Where a failed write is reported (the call goes on regardless). */
export type WriteFailureHandler = (error: unknown, what: "record" | "trace") => void;

/**
 * Keeps one call's record current without ever holding the call up.
 *
 * Progress is written at most once per `liveUpdateMs` (the first time that
 * long after the call arrived): changes in between are merged, so a call
 * set up in under a second costs one write at its end, and a call waiting
 * in line for minutes shows its progress within a second. Writes of one call
 * run one at a time, in order. A failed write is reported and the next one
 * carries every field again (each write is an upsert of the whole record
 * known so far), so one database blip loses nothing a later write can deliver.
 */
export class CallRecorder {
  private known: CallRecordChanges = {};
  private pending: CallRecordChanges | null = null;
  private flushing: Promise<void> | null = null;
  private failed = false;
  private timer: NodeJS.Timeout | undefined;
  private nextWriteAt: number;
  private finishing = false;

  constructor(
    private readonly calls: CallsRepository,
    private readonly base: Pick<
      CallRecordInput,
      "callUuid" | "numberDialled" | "callerNumber" | "startedAt" | "workerId"
    >,
    private readonly onFailure: WriteFailureHandler,
    private readonly liveUpdateMs = 1_000,
  ) {
    this.nextWriteAt = base.startedAt.getTime() + liveUpdateMs;
  }

  /** Records `changes` within `liveUpdateMs` (merged with any not yet written). */
  update(changes: CallRecordChanges): void {
    this.known = { ...this.known, ...changes };
    this.pending = { ...this.pending, ...changes };
    if (this.flushing || this.timer) return;
    const wait = this.nextWriteAt - Date.now();
    if (wait <= 0) this.startFlush();
    else {
      this.timer = setTimeout(() => {
        this.timer = undefined;
        if (!this.flushing) this.startFlush();
      }, wait);
      this.timer.unref();
    }
  }

  /**
   * Records the final fields at once, then the trace (the database keeps
   * its first `traceStepCap` steps). Resolves once both were written or
   * failed; never rejects.
   */
  async finish(changes: CallRecordChanges, trace: readonly FlowTraceStep[]): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.known = { ...this.known, ...changes };
    this.pending = { ...this.pending, ...changes };
    this.finishing = true;
    await this.flushing;
    if (this.pending) await this.startFlush();
    if (trace.length === 0) return;
    try {
      await this.calls.appendTrace({
        callUuid: this.base.callUuid,
        steps: trace.map((step) => ({
          at: new Date(step.at),
          kind: step.kind,
          nodeId: step.nodeId,
          data: traceData(step),
        })),
      });
    } catch (error) {
      this.onFailure(error, "trace");
    }
  }

  private startFlush(): Promise<void> {
    this.flushing = this.flush();
    return this.flushing;
  }

  private async flush(): Promise<void> {
    try {
      while (this.pending && (this.finishing || Date.now() >= this.nextWriteAt)) {
        // After a failure the whole record goes again: the row may not exist yet.
        const changes = this.failed ? this.known : this.pending;
        this.pending = null;
        this.nextWriteAt = Date.now() + this.liveUpdateMs;
        try {
          await this.calls.record({ ...this.base, ...changes });
          this.failed = false;
        } catch (error) {
          this.failed = true;
          this.onFailure(error, "record");
        }
      }
    } finally {
      this.flushing = null;
    }
    // Changes that came in during the write wait for the next turn.
    if (this.pending && !this.timer && !this.finishing) this.update({});
  }
}

function traceData(step: FlowTraceStep): unknown {
  const data: Record<string, unknown> = {};
  if (step.nodeType !== undefined) data.nodeType = step.nodeType;
  if (step.output !== undefined) data.output = step.output;
  if (step.detail !== undefined) data.detail = step.detail;
  return Object.keys(data).length > 0 ? data : undefined;
}
