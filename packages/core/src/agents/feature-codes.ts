import { RingflowError } from "../errors.js";
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

/**
 * What an agent asks for from a browser (the agent page): the changes the
 * feature codes make, named by where they lead rather than as toggles, so
 * a repeated click (or two open tabs) never undoes the first.
 */
export const AgentSelfAction = {
  LogIn: "logIn",
  LogOut: "logOut",
  StartBreak: "startBreak",
  EndBreak: "endBreak",
} as const;
/** One of {@link AgentSelfAction}. */
export type AgentSelfAction = (typeof AgentSelfAction)[keyof typeof AgentSelfAction];

/** Every {@link AgentSelfAction}, for schemas. */
export const AGENT_SELF_ACTIONS = Object.values(AgentSelfAction) as readonly AgentSelfAction[];

const selfActionTargets: Record<
  AgentSelfAction,
  { readonly status: AgentStatus; readonly code: AgentFeatureCode }
> = {
  logIn: { status: "available", code: AgentFeatureCode.LogInOut },
  logOut: { status: "loggedOut", code: AgentFeatureCode.LogInOut },
  startBreak: { status: "onBreak", code: AgentFeatureCode.Break },
  endBreak: { status: "available", code: AgentFeatureCode.Break },
};

/**
 * What `action` does to an agent with status `current`, by the feature
 * codes' rule ({@link statusAfterFeatureCode}): the code the action stands
 * for must lead to the status it names. An agent already there stays
 * (`changed: false`); a break (start or end) while logged out is refused.
 * @throws {AgentSelfActionRefusedError} when the feature code would not lead there.
 */
export function statusAfterSelfAction(
  action: AgentSelfAction,
  current: AgentStatus,
): { readonly status: AgentStatus; readonly changed: boolean } {
  const target = selfActionTargets[action];
  if (current === target.status) return { status: current, changed: false };
  const after = statusAfterFeatureCode(target.code, current);
  if (!after.changed || after.status !== target.status) {
    throw new AgentSelfActionRefusedError(action, current);
  }
  return after;
}

/** An agent asked for a change their status does not allow (a break while logged out). */
export class AgentSelfActionRefusedError extends RingflowError {
  readonly code = "AGENT_ACTION_REFUSED";

  constructor(
    readonly action: AgentSelfAction,
    readonly current: AgentStatus,
  ) {
    super(
      current === "loggedOut"
        ? "You are logged out: log in before taking or ending a break"
        : current === "onBreak"
          ? "You are logged in, on a break: end the break to take calls"
          : `Cannot ${action} while ${current}`,
    );
  }
}
