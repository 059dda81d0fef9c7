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
  InMemoryAgentRegistry,
  type InMemoryAgentRegistryOptions,
} from "./in-memory-agent-registry.js";
export { RedisAgentRegistry, type RedisAgentRegistryOptions } from "./redis-agent-registry.js";
