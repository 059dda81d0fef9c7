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
 * Writes of one call run one at a time, in order; changes that arrive while
 * a write is in flight are merged and written together afterwards, so a
 * burst of progress costs at most two writes. A failed write is reported and
 * the next write carries every field again (each write is an upsert of the
 * whole record known so far), so one database blip loses nothing that a
 * later write can still deliver.
 */
export class CallRecorder {
  private known: CallRecordChanges = {};
  private pending: CallRecordChanges | null = null;
  private flushing: Promise<void> | null = null;
  private failed = false;

  constructor(
    private readonly calls: CallsRepository,
    private readonly base: Pick<
      CallRecordInput,
      "callUuid" | "numberDialled" | "callerNumber" | "startedAt" | "workerId"
    >,
    private readonly onFailure: WriteFailureHandler,
  ) {}

  /** Records `changes` soon (merged with any not yet written). */
  update(changes: CallRecordChanges): void {
    this.known = { ...this.known, ...changes };
    this.pending = { ...this.pending, ...changes };
    this.flushing ??= this.flush();
  }

  /**
   * Records the final fields and the trace (the database keeps its first
   * `traceStepCap` steps). Resolves once both were written or failed; never rejects.
   */
  async finish(changes: CallRecordChanges, trace: readonly FlowTraceStep[]): Promise<void> {
    this.update(changes);
    await this.flushing;
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

  private async flush(): Promise<void> {
    try {
      while (this.pending) {
        // After a failure the whole record goes again: the row may not exist yet.
        const changes = this.failed ? this.known : this.pending;
        this.pending = null;
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
  }
}

function traceData(step: FlowTraceStep): unknown {
  const data: Record<string, unknown> = {};
  if (step.nodeType !== undefined) data.nodeType = step.nodeType;
  if (step.output !== undefined) data.output = step.output;
  if (step.detail !== undefined) data.detail = step.detail;
  return Object.keys(data).length > 0 ? data : undefined;
}
