import type { AgentStatus } from "./agent.js";

/**
 * The codes an agent dials from their own phone to change their status:
 * `*50` logs them in or out, `*51` starts or ends a break.
 */
export const AgentFeatureCode = {
  LogInOut: "*50",
  Break: "*51",
} as const;
/** One of {@link AgentFeatureCode}. */
export type AgentFeatureCode = (typeof AgentFeatureCode)[keyof typeof AgentFeatureCode];

/** The feature code `destination` is (a dialled number), or null for a normal call. */
export function agentFeatureCodeOf(destination: string): AgentFeatureCode | null {
  const dialled = destination.trim();
  return dialled === AgentFeatureCode.LogInOut || dialled === AgentFeatureCode.Break
    ? dialled
    : null;
}

/**
 * What a feature code does to an agent with status `current`:
 * - `*50`: Logged out → Available; Available or On break → Logged out.
 * - `*51`: Available → On break; On break → Available; a logged-out agent
 *   cannot take a break (`changed: false`, they must log in first).
 */
export function statusAfterFeatureCode(
  code: AgentFeatureCode,
  current: AgentStatus,
): { readonly status: AgentStatus; readonly changed: boolean } {
  if (code === AgentFeatureCode.LogInOut) {
    return { status: current === "loggedOut" ? "available" : "loggedOut", changed: true };
  }
  if (current === "loggedOut") return { status: current, changed: false };
  return { status: current === "onBreak" ? "available" : "onBreak", changed: true };
}

/**
 * Whether a call from `callerNumber` comes from the phone an agent is rung on
 * (`contact`, a dial string such as `user/1001`): the caller id is the
 * contact itself or its last part (the extension).
 */
export function isAgentPhone(contact: string, callerNumber: string): boolean {
  const caller = callerNumber.trim();
  if (caller === "") return false;
  if (contact === caller) return true;
  const extension = contact.slice(contact.lastIndexOf("/") + 1).split("@")[0];
  return extension === caller;
}
