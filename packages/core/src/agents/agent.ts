import { z } from "zod";

/** Whether an agent takes calls at all (set by the agent or a supervisor). */
export const AgentStatus = {
  Available: "available",
  /** Set by hand, or automatically after `maxNoAnswer` missed calls in a row. */
  OnBreak: "onBreak",
  LoggedOut: "loggedOut",
} as const;
/** One of {@link AgentStatus}. */
export type AgentStatus = (typeof AgentStatus)[keyof typeof AgentStatus];

/** What an agent is doing right now (derived from calls, never set by hand). */
export const AgentState = {
  Idle: "idle",
  /** A ring group is offering them a call. */
  Ringing: "ringing",
  /** On any call: one a ring group delivered, or one seen on their phone. */
  InCall: "inCall",
  /** After-call work following a delivered call, for the agent's `wrapUpMs`. */
  WrapUp: "wrapUp",
} as const;
/** One of {@link AgentState}. */
export type AgentState = (typeof AgentState)[keyof typeof AgentState];

/** How an agent is set up. */
export interface AgentConfig {
  readonly id: string;
  /** The dial string that rings them, e.g. `user/1001`; unique among agents. */
  readonly contact: string;
  /** Groups they belong to, for {@link AgentRegistry.list}. */
  readonly groups?: readonly string[];
  /** After-call work time following each delivered call (default 0). */
  readonly wrapUpMs?: number;
  /** Missed offers in a row that put them On break (default 0: never). */
  readonly maxNoAnswer?: number;
}

/** An agent with its status and state, as the wall-board shows it. */
export interface AgentSnapshot {
  readonly id: string;
  readonly contact: string;
  readonly groups: readonly string[];
  readonly wrapUpMs: number;
  readonly maxNoAnswer: number;
  readonly status: AgentStatus;
  readonly statusSince: number;
  readonly state: AgentState;
  readonly stateSince: number;
  /** When the current or last wrap-up ends (`null` if none was ever started). */
  readonly wrapUpUntil: number | null;
  /** Offers missed in a row since the last answered one (or since set Available). */
  readonly noAnswerCount: number;
}

/** Zod schema of {@link AgentStatus}. */
export const agentStatusSchema = z.enum(["available", "onBreak", "loggedOut"]);
/** Zod schema of {@link AgentState}. */
export const agentStateSchema = z.enum(["idle", "ringing", "inCall", "wrapUp"]);

/** Zod schema of {@link AgentEvent}, for events arriving from Redis or over the wire. */
export const agentEventSchema = z.discriminatedUnion("type", [
  z.object({
    type: z.literal("statusChanged"),
    agentId: z.string(),
    status: agentStatusSchema,
    previous: agentStatusSchema,
    reason: z.enum(["manual", "maxNoAnswer"]),
    at: z.number(),
    version: z.number().int(),
  }),
  z.object({
    type: z.literal("stateChanged"),
    agentId: z.string(),
    state: agentStateSchema,
    previous: agentStateSchema,
    at: z.number(),
    version: z.number().int(),
  }),
]);

/**
 * A change of an agent's status or state. `version` grows by one with every
 * change of that agent, so a consumer can drop events that arrive late.
 */
export type AgentEvent = z.infer<typeof agentEventSchema>;

/**
 * A channel seen on an agent's phone, fed from the switch's events (e.g.
 * CHANNEL_CREATE → `up: true`, CHANNEL_HANGUP_COMPLETE → `up: false`).
 * Identify the agent by id, or by the contact the channel was dialled on.
 */
export type ChannelObservation =
  | { readonly agentId: string; readonly uuid: string; readonly up: boolean }
  | { readonly contact: string; readonly uuid: string; readonly up: boolean };

/** The answer to {@link AgentRegistry.claim}. */
export type AgentClaim =
  | { readonly claimed: true; readonly agentId: string }
  | {
      readonly claimed: false;
      readonly agentId: string;
      /** `notAvailable`: status is not Available. `busy`: ringing, in a call or in wrap-up. */
      readonly reason: "notAvailable" | "busy";
      readonly status: AgentStatus;
      readonly state: AgentState;
    }
  /** No agent has that contact: ring it as a plain destination. */
  | { readonly claimed: false; readonly agentId: null; readonly reason: "notAnAgent" };

/**
 * How an offer ended, for {@link AgentRegistry.finishRinging}: `answered`;
 * `missed` (rang out; counts towards `maxNoAnswer`); `released` (anything
 * not the agent's doing: busy phone, another agent won, caller hung up).
 */
export type AgentRingResult = "answered" | "missed" | "released";

/** Filter of {@link AgentRegistry.list}. */
export interface AgentListFilter {
  /** Only agents in this group. */
  readonly group?: string;
}

/**
 * Who the agents are and what they are doing: in memory for one worker, or
 * shared through Redis. Ring groups claim an agent before ringing them, so an
 * agent who is not Available, or already ringing, in a call or in wrap-up,
 * is skipped.
 */
export interface AgentRegistry {
  /** Adds an agent (status Logged out, state Idle) or updates one's settings. */
  upsert(agent: AgentConfig): Promise<void>;
  /** Forgets an agent. */
  remove(agentId: string): Promise<void>;
  /** Sets an agent's status; setting Available clears their missed-offer count. */
  setStatus(agentId: string, status: AgentStatus): Promise<void>;
  get(agentId: string): Promise<AgentSnapshot | null>;
  /** Agents (of one group, if given), ordered by id. */
  list(filter?: AgentListFilter): Promise<AgentSnapshot[]>;
  /**
   * Tells the registry about a channel on an agent's phone, so a call that
   * did not come through a ring group still makes them busy. Returns false if
   * no agent matches. The registry ignores the legs ring groups report themselves.
   */
  observeChannel(observation: ChannelObservation): Promise<boolean>;
  /** Calls `listener` with every status and state change until the returned function is called. */
  subscribe(listener: (event: AgentEvent) => void): Promise<() => void>;
  /**
   * Marks the agent with `contact` Ringing for the leg `uuid`, if they are
   * Available and Idle; one atomic step, so two ring groups never both get them.
   */
  claim(request: { readonly contact: string; readonly uuid: string }): Promise<AgentClaim>;
  /** Ends an offer made after {@link claim}. */
  finishRinging(request: {
    readonly agentId: string;
    readonly uuid: string;
    readonly result: AgentRingResult;
  }): Promise<void>;
  /** A delivered call (an answered offer) ended: the agent goes to wrap-up, then idle. */
  endCall(request: { readonly agentId: string; readonly uuid: string }): Promise<void>;
  /** Stops timers and connections. */
  close(): Promise<void>;
}
