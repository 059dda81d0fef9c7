import type { HangupCause } from "../../call-control/hangup-cause.js";
import type { Clock } from "../../clock.js";
import { RingflowError } from "../../errors.js";
import type { QueueSlot } from "../../queue/queue-slot.js";
import type { AnsweredLeg } from "../../ring-group/ring-result.js";
import type { CallProgress, FlowTraceStep } from "./call-report.js";
import type { OutcomeFacts } from "./decide-outcome.js";

/** A queue slot the call holds, with the hold music of the queue node that took it. */
export interface HeldSlot {
  readonly slot: QueueSlot;
  readonly holdMusic: string;
}

interface HeldLeg {
  readonly leg: AnsweredLeg;
  gone: boolean;
}

/**
 * Everything one call has gathered so far: its trace, its queue times, the
 * slot and the agent leg it holds, and the facts its outcome follows from.
 * Reports trace steps and milestones to the run's listeners as they happen.
 */
export class CallState implements OutcomeFacts {
  readonly trace: FlowTraceStep[] = [];
  /** The node the call is in; trace steps are stamped with it. */
  node: { readonly id: string; readonly type: string } | null = null;

  queueId: string | null = null;
  enqueuedAt: number | null = null;
  acquiredAt: number | null = null;
  waitMs: number | null = null;
  agentContact: string | null = null;
  answeredAt: number | null = null;
  /**
   * When the call's stay in each queue began: its first join, kept while it
   * comes back after being served by `acquired` (see the queue node).
   */
  readonly queueStays = new Map<string, number>();

  connected = false;
  reachedVoicemail = false;
  failed = false;
  verdict: OutcomeFacts["verdict"] = null;
  callerHungUp = false;
  /** Set before the flow itself hangs up, so that hang-up is not taken for the caller's. */
  flowHangingUp = false;
  endedAt: number | null = null;
  hangupCause: string | null = null;

  private held: HeldSlot | null = null;
  private leg: HeldLeg | null = null;

  constructor(
    readonly clock: Clock,
    private readonly listeners: {
      readonly onProgress?: ((progress: CallProgress) => void) | undefined;
      readonly onTrace?: ((step: FlowTraceStep) => void) | undefined;
    },
  ) {}

  now(): number {
    return this.clock.now();
  }

  /** Appends a trace step in the current node, at `at` (default: now). */
  record(
    kind: FlowTraceStep["kind"],
    fields: { readonly output?: string; readonly detail?: Record<string, unknown> } = {},
    at = this.now(),
  ): void {
    const step: FlowTraceStep = {
      at,
      kind,
      nodeId: this.node?.id ?? null,
      ...(this.node ? { nodeType: this.node.type } : {}),
      ...fields,
    };
    this.trace.push(step);
    notify(this.listeners.onTrace, step);
  }

  /** A `note` step: `event` names what happened (at `at`, default now). */
  note(event: string, detail: Record<string, unknown> = {}, at?: number): void {
    this.record("note", { detail: { event, ...detail } }, at);
  }

  /** An `error` step for `error`, with its code when it has one. */
  error(error: unknown, detail: Record<string, unknown> = {}): void {
    this.record("error", { detail: { ...describeError(error), ...detail } });
  }

  progress(progress: CallProgress): void {
    notify(this.listeners.onProgress, progress);
  }

  /** Adds a wait in line to the call's total. */
  addWait(ms: number): void {
    this.waitMs = (this.waitMs ?? 0) + ms;
  }

  /** The queue slot the call holds, if any. */
  get slot(): HeldSlot | null {
    return this.held;
  }

  holdSlot(slot: QueueSlot, holdMusic: string): void {
    this.held = { slot, holdMusic };
  }

  /** Gives back the held slot, if any, so the next caller in line gets it. */
  async releaseSlot(): Promise<void> {
    const held = this.held;
    if (!held) return;
    this.held = null;
    try {
      await held.slot.release();
    } catch (error) {
      this.error(error, { during: "slotRelease", queueId: held.slot.queueId });
      return;
    }
    this.progress({ kind: "released", queueId: held.slot.queueId, at: this.now() });
  }

  /** Keeps the leg a ring group answered until a bridge uses it or the call moves on. */
  holdLeg(leg: AnsweredLeg): void {
    const held: HeldLeg = { leg, gone: false };
    this.leg = held;
    leg.onHangup((cause) => {
      held.gone = true;
      if (this.leg === held) this.note("agentHungUp", { legUuid: leg.uuid, cause });
    });
  }

  /** Lets go of the held agent leg and hands it over (to a bridge), with its liveness. */
  takeLeg(): { readonly leg: AnsweredLeg; readonly gone: boolean } | null {
    const held = this.leg;
    this.leg = null;
    return held;
  }

  /** Hangs up the held agent leg, if it is still up, and lets go of it. */
  async dropLeg(cause: HangupCause): Promise<void> {
    const held = this.takeLeg();
    if (held && !held.gone) await this.hangUpLeg(held.leg, cause);
  }

  /** Hangs up an agent leg; a failure is traced, not thrown. */
  async hangUpLeg(leg: AnsweredLeg, cause: HangupCause): Promise<void> {
    try {
      await leg.hangup(cause);
    } catch (error) {
      this.error(error, { during: "agentHangup", legUuid: leg.uuid });
    }
  }

  /** The caller was connected: to an agent's contact who answered at `answeredAt`, or to a dialled number (both `null`). */
  connect(agentContact: string | null, answeredAt: number | null): void {
    this.connected = true;
    this.agentContact = agentContact;
    this.answeredAt = answeredAt;
  }
}

/** The `code` and `message` of an error, for trace details. */
export function describeError(error: unknown): { code: string; message: string } {
  if (error instanceof RingflowError) return { code: error.code, message: error.message };
  if (error instanceof Error) return { code: error.name, message: error.message };
  return { code: "unknown", message: String(error) };
}

// Listeners must not throw; if one does, its error surfaces as an uncaught
// exception (as a queue event listener's does) instead of breaking the call.
function notify<T>(listener: ((value: T) => void) | undefined, value: T): void {
  if (!listener) return;
  try {
    listener(value);
  } catch (error) {
    queueMicrotask(() => {
      throw error;
    });
  }
}
