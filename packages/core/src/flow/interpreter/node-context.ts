import type { LoadBalancer } from "../../balancer/load-balancer.js";
import type { Clock } from "../../clock.js";
import type { FlowRuntime } from "./flow-runtime.js";
import type { HoldMusic } from "./hold-music.js";
import type { PromptContext } from "./play-prompt.js";
import type { QueueJoins } from "./queue-joins.js";

/** What a node's handler gets: the call, its state, the runtime's services and its engine's. */
export interface NodeContext extends PromptContext {
  readonly runtime: FlowRuntime;
  readonly clock: Clock;
  /** The runtime's balancer, or the engine's own when the runtime brings none. */
  readonly balancer: LoadBalancer;
  /** The engine's routing of the queue's `enqueued` events to waiting calls. */
  readonly joins: QueueJoins;
  readonly music: HoldMusic;
  /** Answers the call, the first time only. */
  answer(): Promise<void>;
  /** Stops the hold music and answers: before anything that plays, listens or bridges. */
  takeChannel(): Promise<void>;
}

/**
 * How a node finished: by one of its outputs (with details for the trace),
 * or by ending the call (`voicemail`, `hangup`).
 */
export type NodeResult =
  | { readonly output: string; readonly detail?: Record<string, unknown> }
  | { readonly ended: true };
