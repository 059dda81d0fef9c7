/**
 * How a call ended, as call records and the wall-board count it (`@ringflow/db`
 * stores these strings). `FlowEngine.run` documents which one a call gets.
 */
export const CALL_OUTCOMES = [
  "answered",
  "abandoned",
  "timeout",
  "voicemail",
  "noAnswer",
  "failed",
  "callback",
] as const;

/** One of {@link CALL_OUTCOMES}. */
export type CallOutcome = (typeof CALL_OUTCOMES)[number];

/**
 * How a call record can end: {@link CALL_OUTCOMES}, plus `workerLost` — the
 * worker running the call died, and another worker closed its record.
 */
export const RECORD_OUTCOMES = [...CALL_OUTCOMES, "workerLost"] as const;

/** One of {@link RECORD_OUTCOMES}. */
export type RecordOutcome = (typeof RECORD_OUTCOMES)[number];

/**
 * A milestone of a running call, reported as it happens so a worker can keep
 * the live call record current. Times are epoch ms from the runtime's clock.
 *
 * - `enqueued`: the call joined a queue's line (also when it got a slot at once).
 * - `acquired`: it got a slot; `waitMs` is this wait.
 * - `released`: it gave its slot back.
 * - `abandoned`: the caller hung up while waiting in line; `waitMs` is this wait.
 * - `callbackRequested`: the caller left the line for a stored callback request; `waitMs` is this wait.
 * - `answered`: an agent's leg answered a ring group (not yet bridged).
 * - `bridged`: the caller is being connected to that agent.
 */
export type CallProgress =
  | {
      readonly kind: "enqueued";
      readonly queueId: string;
      readonly at: number;
      readonly priority: number;
      /** The caller's number is in the node's VIP list. */
      readonly vip: boolean;
    }
  | {
      readonly kind: "acquired";
      readonly queueId: string;
      readonly at: number;
      readonly waitMs: number;
    }
  | { readonly kind: "released"; readonly queueId: string; readonly at: number }
  | {
      readonly kind: "abandoned";
      readonly queueId: string;
      readonly at: number;
      readonly waitMs: number;
    }
  | {
      readonly kind: "callbackRequested";
      readonly queueId: string;
      readonly at: number;
      readonly waitMs: number;
    }
  | {
      readonly kind: "answered";
      readonly agentContact: string;
      readonly legUuid: string;
      readonly at: number;
    }
  | { readonly kind: "bridged"; readonly agentContact: string | null; readonly at: number };

/**
 * One step of a call's execution trace, kept for debugging a flow:
 *
 * - `enter`: the call entered node `nodeId` (`detail.visit` counts visits of the call).
 * - `output`: it left `nodeId` by `output`; `detail` says why (digits, wait, ring attempts...).
 * - `error`: something failed; `detail.code` and `detail.message` say what.
 * - `note`: anything else worth knowing (`detail.event` names it: `callerHungUp`,
 *   `announcement`, `holdMusicStopped`, `noEdge`, `callEnded`...).
 */
export interface FlowTraceStep {
  /** Epoch ms from the runtime's clock. */
  readonly at: number;
  readonly kind: "enter" | "output" | "error" | "note";
  /** The node it happened in; `null` outside any node (the call's end). */
  readonly nodeId: string | null;
  readonly nodeType?: string;
  /** The output taken (kind `output` only). */
  readonly output?: string;
  /** JSON-serialisable details. */
  readonly detail?: Readonly<Record<string, unknown>>;
}

/**
 * What `FlowEngine.run` reports when a call is over. Maps 1:1 onto
 * `@ringflow/db`'s `CallRecordInput` (times are epoch ms here, `Date` there).
 */
export interface CallReport {
  readonly outcome: CallOutcome;
  /** The last queue the call joined or tried to join (a full queue and `noAgents` included). */
  readonly queueId: string | null;
  /** When the call first joined a queue's line. */
  readonly enqueuedAt: number | null;
  /** When it last got a queue slot. */
  readonly acquiredAt: number | null;
  /** When the agent the caller was bridged to had answered; `null` without such a bridge. */
  readonly answeredAt: number | null;
  /** When the call ended (the caller hung up, or the flow hung up). */
  readonly endedAt: number;
  /** Total time spent waiting in queue lines; `null` if it never joined one. */
  readonly waitMs: number | null;
  /** The contact of the agent the caller was bridged to, e.g. `user/1001`. */
  readonly agentContact: string | null;
  /** The caller's `Hangup-Cause`, if known. */
  readonly hangupCause: string | null;
  readonly trace: readonly FlowTraceStep[];
}
