/**
 * @packageDocumentation
 * Live agent state: who is logged in, offered a call, ringing, talking or in
 * wrap-up. `InMemoryAgentRegistry` serves one worker; the Redis registry
 * (`@ringflow/core/redis`) shares the state between workers.
 */
export {
  type AgentClaim,
  type AgentConfig,
  type AgentEvent,
  type AgentListFilter,
  type AgentRegistry,
  type AgentRingResult,
  type AgentSnapshot,
  AgentState,
  AgentStatus,
  agentEventSchema,
  type ChannelObservation,
} from "./agent.js";
export { AgentContactTakenError, UnknownAgentError } from "./errors.js";
export {
  AGENT_SELF_ACTIONS,
  AgentFeatureCode,
  AgentSelfAction,
  AgentSelfActionRefusedError,
  agentFeatureCodeOf,
  isAgentPhone,
  statusAfterFeatureCode,
  statusAfterSelfAction,
} from "./feature-codes.js";
export {
  InMemoryAgentRegistry,
  type InMemoryAgentRegistryOptions,
} from "./in-memory-agent-registry.js";
