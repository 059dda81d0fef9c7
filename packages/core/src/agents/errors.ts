import { RingflowError } from "../errors.js";

/** No agent has this id. */
export class UnknownAgentError extends RingflowError {
  readonly code = "AGENT_UNKNOWN";

  constructor(readonly agentId: string) {
    super(`no agent with id ${agentId}`);
  }
}

/** Another agent already has this contact; each dial string rings one agent. */
export class AgentContactTakenError extends RingflowError {
  readonly code = "AGENT_CONTACT_TAKEN";

  constructor(
    readonly contact: string,
    readonly ownerId: string,
  ) {
    super(`contact ${contact} already belongs to agent ${ownerId}`);
  }
}
