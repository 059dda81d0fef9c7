import { z } from "zod";
import type { AgentSnapshot } from "../agents/agent.js";
import { agentStateSchema, agentStatusSchema } from "../agents/agent.js";
import { CALL_OUTCOMES } from "../flow/interpreter/call-report.js";

/** Zod schema of {@link LiveCaller}. */
export const liveCallerSchema = z.object({
  /** The caller's channel uuid (the queue entry's item id). */
  callUuid: z.string(),
  /** Caller id number; `null` when the worker owning the call did not say (yet). */
  callerNumber: z.string().nullable(),
  /** The queue priority the caller waits at (lower is served first). */
  priority: z.number().int(),
  /** Served at the node's VIP priority (their number is in its VIP list). */
  vip: z.boolean(),
  /** 1-based place in line, across every worker. */
  position: z.number().int().min(1),
  /** When they joined the line (epoch ms, the queue backend's clock). */
  enqueuedAt: z.number(),
  /** Estimated wait from `at` of the queue state, in ms; `null` when nothing to base it on. */
  estimateMs: z.number().nullable(),
});

/** A caller waiting in a queue's line, as the wall-board lists them. */
export type LiveCaller = z.infer<typeof liveCallerSchema>;

/** Zod schema of {@link LiveQueue}. */
export const liveQueueSchema = z.object({
  queueId: z.string(),
  /** The configured name, when the queue has a configuration; `null` otherwise. */
  name: z.string().nullable(),
  /** A paused queue grants no slots; its callers keep their places. */
  paused: z.boolean(),
  /** Slots that may be held at once; `null` while the queue was never used or configured. */
  maxConcurrent: z.number().int().nullable(),
  /** Entries holding a slot now (callers ringing agents or talking to one). */
  inSlot: z.number().int().min(0),
  /** Callers waiting, in the order they will be served (`position` 1, 2, …). */
  waiting: z.array(liveCallerSchema),
  /**
   * When this state was read (epoch ms, the queue backend's clock). A state
   * older than the one held is dropped by {@link applyLiveEvent}.
   */
  at: z.number(),
});

/** The whole live state of one queue. */
export type LiveQueue = z.infer<typeof liveQueueSchema>;

/** Zod schema of {@link LiveAgent}. */
export const liveAgentSchema = z.object({
  id: z.string(),
  contact: z.string(),
  groups: z.array(z.string()).readonly(),
  wrapUpMs: z.number(),
  maxNoAnswer: z.number(),
  status: agentStatusSchema,
  statusSince: z.number(),
  state: agentStateSchema,
  stateSince: z.number(),
  wrapUpUntil: z.number().nullable(),
  noAnswerCount: z.number(),
  /** When this state was read from the agent registry (epoch ms); older states are dropped. */
  at: z.number(),
});

/**
 * An agent's live status (available / on break / logged out, as set) and
 * state (idle / ringing / in call / wrap-up, from calls): the agent
 * registry's {@link AgentSnapshot} plus when it was read. There is no
 * separate "reserved" state: the registry claims an agent and marks them
 * ringing in one atomic step, so "ringing" is the reservation.
 */
export type LiveAgent = AgentSnapshot & { readonly at: number };

// The schema and the registry's type must not drift apart.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const agentShapeMatches: Same<
  Omit<z.infer<typeof liveAgentSchema>, "groups">,
  Omit<LiveAgent, "groups">
> = true;
void agentShapeMatches;

/** Zod schema of {@link LiveSnapshot}. */
export const liveSnapshotSchema = z.object({
  /** When the snapshot was taken (epoch ms). */
  at: z.number(),
  /** Every queue known live, by `queueId`. */
  queues: z.array(liveQueueSchema),
  /** Every agent of the registry, by `id`. */
  agents: z.array(liveAgentSchema),
});

/** Everything the wall-board shows live, at one moment. */
export interface LiveSnapshot {
  readonly at: number;
  readonly queues: readonly LiveQueue[];
  readonly agents: readonly LiveAgent[];
}

/** Zod schema of {@link LiveEvent}. */
export const liveEventSchema = z.discriminatedUnion("type", [
  /** Something about a queue changed: here is its whole new state. */
  z.object({ type: z.literal("queue"), queue: liveQueueSchema }),
  /** Something about an agent changed: here is their whole new state. */
  z.object({ type: z.literal("agent"), agent: liveAgentSchema }),
  /** An agent was removed from the registry. */
  z.object({ type: z.literal("agentRemoved"), agentId: z.string(), at: z.number() }),
  /**
   * A call that had been in `queueId` ended. A hint to refresh the day's
   * figures (answered, abandoned, service level come from call records);
   * it changes nothing in a snapshot, so a replayed one counts nothing twice.
   */
  z.object({
    type: z.literal("callEnded"),
    queueId: z.string(),
    callUuid: z.string(),
    outcome: z.enum(CALL_OUTCOMES),
    /** Time spent waiting in line before a slot (or before leaving it). */
    waitMs: z.number(),
    at: z.number(),
  }),
  /**
   * The callback requests of `queueId` changed: one was stored, completed or
   * failed. A hint to refresh the counts of pending and failed callbacks
   * (kept in the database); like `callEnded` it changes nothing in a snapshot.
   */
  z.object({ type: z.literal("callbacksChanged"), queueId: z.string(), at: z.number() }),
]);

/**
 * One change, as workers publish it. `queue` and `agent` carry the whole
 * new state of what changed (not a delta), so applying an event twice, or
 * after a snapshot that already holds it, changes nothing: a reconnecting
 * browser can never double count.
 */
export type LiveEvent = z.infer<typeof liveEventSchema>;

/** The kinds of {@link LiveEvent}. */
export type LiveEventType = LiveEvent["type"];

/** Zod schema of {@link LiveCommand}. */
export const liveCommandSchema = z.discriminatedUnion("type", [
  z.object({ type: z.literal("setAgentStatus"), agentId: z.string(), status: agentStatusSchema }),
  z.object({ type: z.literal("setQueuePaused"), queueId: z.string(), paused: z.boolean() }),
  z.object({
    type: z.literal("setQueueLimit"),
    queueId: z.string(),
    maxConcurrent: z.number().int().min(1),
  }),
]);

/**
 * A supervisor's change that every worker must apply at once: an agent's
 * configured status, a queue's pause, a queue's slot limit (its saved Max
 * concurrent). The database keeps the setting (so a worker started later
 * reads it); the command tells the running workers.
 */
export type LiveCommand = z.infer<typeof liveCommandSchema>;
