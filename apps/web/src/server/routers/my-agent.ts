import { RingflowError } from "@ringflow/core";
import { AGENT_SELF_ACTIONS, statusAfterSelfAction } from "@ringflow/core/agents";
import { type LiveAgent, liveAgentSchema } from "@ringflow/core/live";
import { AGENT_STATUSES, type Agent } from "@ringflow/db";
import { z } from "zod";
import { agentOnlyFeed } from "../live/agent-feed";
import { streamBoard } from "../live/board-stream";
import type { LiveServices } from "../live/live-services";
import { setAgentStatus } from "../live/set-agent-status";
import { agentProcedure, createTRPCRouter } from "../trpc/init";

/** The signed-in agent user is linked to no agent: an admin links them on the Users page. */
export class AgentNotLinkedError extends RingflowError {
  readonly code = "AGENT_NOT_LINKED";
  constructor() {
    super("Your user is not linked to an agent yet: ask an admin to link you on the Users page");
  }
}

const myAgentSchema = z.object({
  /** The agent the user is linked to; null before an admin links them. */
  agent: z
    .object({
      id: z.string(),
      name: z.string(),
      contact: z.string(),
      /** The configured status, as stored. */
      status: z.enum(AGENT_STATUSES),
    })
    .nullable(),
  /** The agent's live state in the registry; null when the workers do not know them (yet). */
  live: liveAgentSchema.nullable(),
  /** False when the workers' live state could not be read (no worker answered). */
  liveReadable: z.boolean(),
});

/** The live state of agent `agentId`, and whether the live state could be read at all. */
async function liveAgentOf(
  live: LiveServices,
  agentId: string,
): Promise<{ live: LiveAgent | null; liveReadable: boolean }> {
  try {
    const snapshot = await (await live.feed()).snapshot();
    return { live: snapshot.agents.find((a) => a.id === agentId) ?? null, liveReadable: true };
  } catch (error) {
    console.warn("[ringflow-web] the live state could not be read for an agent:", error);
    return { live: null, liveReadable: false };
  }
}

const agentView = ({ id, name, contact, status }: Agent) => ({ id, name, contact, status });

/**
 * The agent page: a user with the `agent` role sees and changes the status
 * of the one agent they are linked to, and nobody else's (no procedure
 * here takes an agent id). Changes follow the feature codes' rule (core's
 * `statusAfterSelfAction`) and go the wall-board's way (`setAgentStatus`).
 */
export const myAgentRouter = createTRPCRouter({
  /** The linked agent, their configured status and live state. */
  state: agentProcedure.output(myAgentSchema).query(async ({ ctx }) => {
    const agent = await ctx.services.db.agents.findByUserId(ctx.user.id);
    if (!agent) return { agent: null, live: null, liveReadable: true };
    return { agent: agentView(agent), ...(await liveAgentOf(ctx.services.live, agent.id)) };
  }),

  /**
   * The linked agent's live state, pushed: the wall-board's stream (a
   * snapshot on every connection, then events) narrowed to this one agent
   * on the server, so nobody else's state is sent. The agent is the one
   * linked when the stream starts. PRECONDITION_FAILED (`AGENT_NOT_LINKED`)
   * before an admin linked the user.
   */
  live: agentProcedure.subscription(async ({ ctx, signal }) => {
    // Checked before the stream starts, so a refusal is a tRPC error like any other.
    const agent = await ctx.services.db.agents.findByUserId(ctx.user.id);
    if (!agent) throw new AgentNotLinkedError();
    return streamBoard({
      feed: agentOnlyFeed(await ctx.services.live.feed(), agent.id),
      signal: signal ?? new AbortController().signal,
    });
  }),

  /**
   * Logs in or out, starts or ends a break: stored, then sent to the
   * running workers. PRECONDITION_FAILED with `AGENT_ACTION_REFUSED` for a
   * break while logged out, `AGENT_NOT_LINKED` before an admin linked the user.
   */
  act: agentProcedure
    .input(z.object({ action: z.enum(AGENT_SELF_ACTIONS) }))
    .output(z.object({ status: z.enum(AGENT_STATUSES), delivered: z.boolean() }))
    .mutation(async ({ ctx, input }) => {
      const agent = await ctx.services.db.agents.findByUserId(ctx.user.id);
      if (!agent) throw new AgentNotLinkedError();
      const { status } = statusAfterSelfAction(input.action, agent.status);
      const { delivered } = await setAgentStatus(ctx.services, { agentId: agent.id, status });
      return { status, delivered };
    }),
});
