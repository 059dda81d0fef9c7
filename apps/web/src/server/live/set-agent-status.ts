import type { LiveCommand } from "@ringflow/core/live";
import { type AgentStatus, type Db, NotFoundError } from "@ringflow/db";
import type { LiveServices } from "./live-services";

/** Whether a change reached the running workers (the database holds it either way). */
export interface Delivery {
  readonly delivered: boolean;
}

/** Sends `command` to the running workers; false when none could be told (the database holds it). */
export async function deliverCommand(live: LiveServices, command: LiveCommand): Promise<Delivery> {
  try {
    await (await live.commands()).send(command);
    return { delivered: true };
  } catch (error) {
    console.warn("[ringflow-web] a live command reached no worker:", error);
    return { delivered: false };
  }
}

/**
 * Sets agent `agentId`'s configured status: stored first (workers started
 * later read it), then sent to the running workers, which apply it to the
 * live registry at once. The one path for a supervisor on the wall-board
 * and for an agent on their own page.
 * @throws {NotFoundError} when there is no agent `agentId`.
 */
export async function setAgentStatus(
  services: { readonly db: Db<unknown>; readonly live: LiveServices },
  input: { readonly agentId: string; readonly status: AgentStatus },
): Promise<Delivery> {
  const { db, live } = services;
  const agent = await db.agents.get(input.agentId);
  if (!agent) throw new NotFoundError("agent", input.agentId);
  if (agent.status !== input.status) await db.agents.setStatus(agent.id, input.status);
  return deliverCommand(live, { type: "setAgentStatus", agentId: agent.id, status: input.status });
}
