import type { AgentState } from "./agent.js";

/**
 * An agent's state from what they are doing at `now`: in a call beats
 * ringing beats wrap-up beats idle. The Redis registry's Lua applies the
 * same rule (src/redis/lua/agents/prelude.lua).
 */
export function deriveAgentState(
  activity: { readonly calls: number; readonly offers: number; readonly wrapUpUntil: number },
  now: number,
): AgentState {
  if (activity.calls > 0) return "inCall";
  if (activity.offers > 0) return "ringing";
  if (activity.wrapUpUntil > now) return "wrapUp";
  return "idle";
}
