import type { AgentRegistry } from "../../agents/agent.js";
import type { FlowRuntime } from "./flow-runtime.js";

/**
 * Whether anyone of agent group `groupId` is logged in (status Available or
 * On break): asked of the runtime's agent registry. Without a registry the
 * runtime can only tell an empty or unknown group (`resolveAgentGroup`
 * gives no contact or `null`: `false`); otherwise it cannot tell (`null`).
 */
export async function anyoneLoggedIn(
  runtime: FlowRuntime,
  groupId: string,
): Promise<boolean | null> {
  if (runtime.agents) {
    const agents = await runtime.agents.list({ group: groupId });
    return agents.some((agent) => agent.status !== "loggedOut");
  }
  if (runtime.resolveAgentGroup) {
    const contacts = await runtime.resolveAgentGroup(groupId);
    return contacts === null || contacts.length === 0 ? false : null;
  }
  return null;
}

/**
 * Calls `onNobody` when, after an agent logs out, nobody of `groupId` is
 * logged in any more. Returns a function that stops watching.
 */
export async function watchLogouts(
  agents: AgentRegistry,
  groupId: string,
  onNobody: () => void,
  onError: (error: unknown) => void,
): Promise<() => void> {
  let watching = true;
  const unsubscribe = await agents.subscribe((event) => {
    if (!watching || event.type !== "statusChanged" || event.status !== "loggedOut") return;
    agents.list({ group: groupId }).then((list) => {
      if (watching && !list.some((agent) => agent.status !== "loggedOut")) onNobody();
    }, onError);
  });
  return () => {
    watching = false;
    unsubscribe();
  };
}
