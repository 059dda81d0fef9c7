import type { AgentRegistry } from "../../agents/agent.js";
import type { LoadBalancer } from "../../balancer/load-balancer.js";
import type { CallControl } from "../../call-control/call-control.js";
import type { CallSession } from "../../call-control/call-session.js";
import type { Clock } from "../../clock.js";
import type { Queue } from "../../queue/queue.js";
import type { FlowGraph } from "../flow-graph.js";
import type { CallProgress, FlowTraceStep } from "./call-report.js";

/**
 * What every call of a worker shares: the queues, the switch, agent state.
 * One object for the life of the worker, given to its one `FlowEngine`.
 */
export interface FlowRuntime {
  /** Core `Queue` (in-memory or Redis backend). */
  readonly queue: Queue;
  /** Switch-wide control: originates agent legs, bridges, hangs up. */
  readonly callControl: CallControl;
  /**
   * Counts agent load for ring groups; `balancing` mode needs one. Without
   * it the engine keeps one `InMemoryLoadBalancer` for all its calls.
   */
  readonly balancer?: LoadBalancer;
  /**
   * Agent state: ring groups ring only Available and Idle agents, and a
   * queue's `noAgents` asks it whether anyone of a group is logged in.
   */
  readonly agents?: AgentRegistry;
  /** Default `systemClock`. Give the queue's backend the same clock. */
  readonly clock?: Clock;
  /**
   * The estimated wait of a caller waiting in `queueId` (ms), for `{ewt}`;
   * `null` when none can be told. Default: the queue's own
   * `estimatedWaitMs` (position × mean hold time ÷ slots).
   */
  estimateWaitMs?(queueId: string, callUuid: string): Promise<number | null>;
  /**
   * Stores the callbacks callers accept in a `queue` node that offers them
   * (`callbackOfferSeconds`). Without it no callback is offered.
   */
  readonly callbacks?: CallbackRequests;
  /** Ring order of an agent group's contacts (e.g. `["user/1001", ...]`); `null` if the group does not exist. */
  resolveAgentGroup?(groupId: string): Promise<readonly string[] | null>;
  /** Node visits allowed per call; default `DEFAULT_MAX_NODE_VISITS` (200). */
  readonly maxNodeVisits?: number;
  /**
   * Failures of background work no call waits for (a ring group hanging up
   * a losing leg, giving back an agent's load count). Default: the ring
   * group's own `console.error`. A host passes its logger here.
   */
  readonly onError?: (error: unknown) => void;
}

/** A callback a caller accepted, as the `queue` node hands it to {@link CallbackRequests}. */
export interface CallbackRequestInput {
  readonly queueId: string;
  /** The number to call back: the caller's own, or the one they keyed in. */
  readonly number: string;
  readonly callerName: string | null;
  /** The call that asked for it. */
  readonly callUuid: string;
  /** When the caller first joined the line (ms since the epoch): their place, which the request keeps. */
  readonly requestedAt: number;
  /** The caller's priority in the line (VIPs keep theirs). */
  readonly priority: number;
  /** Calls to the customer before the request fails. */
  readonly maxAttempts: number;
  /** Wait after an unanswered try before the next, ms (doubling each time). */
  readonly retryAfterMs: number;
  /** The `queue` node that took the request: the dispatcher follows its `acquired` output to ring agents. */
  readonly flowNodeId: string;
}

/** Where accepted callbacks are kept until they are made (the worker: its database). */
export interface CallbackRequests {
  /**
   * Stores `input`. Resolves once it is stored: only then does the caller
   * leave the line. At most one request is open per queue and number, so
   * storing one again is not a second request. Rejects when it cannot be
   * stored; the caller then keeps waiting in their place.
   */
  request(input: CallbackRequestInput): Promise<void>;
}

/** One call for `FlowEngine.run`: the flow, the caller's channel and who is told as it goes. */
export interface FlowRunOptions {
  /** A published flow version, as `parseFlowGraph` returned it. */
  readonly flow: FlowGraph;
  /** The caller's channel. */
  readonly call: CallSession;
  /** Milestones as they happen, so the worker can keep the live call record current. Must not throw. */
  readonly onProgress?: (progress: CallProgress) => void;
  /** Every trace step as it happens. Must not throw. */
  readonly onTrace?: (step: FlowTraceStep) => void;
}
