import { type Clock, systemClock, type TimerHandle } from "../clock.js";
import type {
  AgentClaim,
  AgentConfig,
  AgentEvent,
  AgentListFilter,
  AgentRegistry,
  AgentRingResult,
  AgentSnapshot,
  AgentState,
  AgentStatus,
  ChannelObservation,
} from "./agent.js";
import { deriveAgentState } from "./derive-agent-state.js";
import { AgentContactTakenError, UnknownAgentError } from "./errors.js";

/** Options of {@link InMemoryAgentRegistry}. */
export interface InMemoryAgentRegistryOptions {
  readonly clock?: Clock;
  /** Receives exceptions thrown by event listeners (default: `console.error`). */
  readonly onError?: (error: unknown) => void;
}

interface AgentRecord {
  config: Required<AgentConfig>;
  status: AgentStatus;
  statusSince: number;
  state: AgentState;
  stateSince: number;
  wrapUpUntil: number | null;
  noAnswerCount: number;
  version: number;
  /** Legs offering a call (ring-group legs still ringing). */
  readonly offers: Set<string>;
  /** Live calls: delivered by a ring group (wrap-up follows) or observed. */
  readonly calls: Map<string, "delivered" | "observed">;
  wrapUpTimer: TimerHandle | null;
}

/**
 * An {@link AgentRegistry} for one process. Wrap-up ends on the clock, with
 * its `stateChanged` event at the exact moment.
 */
export class InMemoryAgentRegistry implements AgentRegistry {
  private readonly clock: Clock;
  private readonly onError: (error: unknown) => void;
  private readonly agents = new Map<string, AgentRecord>();
  private readonly byContact = new Map<string, string>();
  private readonly listeners = new Set<(event: AgentEvent) => void>();

  constructor(options: InMemoryAgentRegistryOptions = {}) {
    this.clock = options.clock ?? systemClock;
    this.onError = options.onError ?? ((error) => console.error("InMemoryAgentRegistry:", error));
  }

  async upsert(agent: AgentConfig): Promise<void> {
    const owner = this.byContact.get(agent.contact);
    if (owner !== undefined && owner !== agent.id) {
      throw new AgentContactTakenError(agent.contact, owner);
    }
    const config: Required<AgentConfig> = {
      id: agent.id,
      contact: agent.contact,
      groups: [...(agent.groups ?? [])],
      wrapUpMs: agent.wrapUpMs ?? 0,
      maxNoAnswer: agent.maxNoAnswer ?? 0,
    };
    const existing = this.agents.get(agent.id);
    if (existing) {
      this.byContact.delete(existing.config.contact);
      existing.config = config;
    } else {
      const now = this.clock.now();
      this.agents.set(agent.id, {
        config,
        status: "loggedOut",
        statusSince: now,
        state: "idle",
        stateSince: now,
        wrapUpUntil: null,
        noAnswerCount: 0,
        version: 0,
        offers: new Set(),
        calls: new Map(),
        wrapUpTimer: null,
      });
    }
    this.byContact.set(agent.contact, agent.id);
  }

  async remove(agentId: string): Promise<void> {
    const record = this.agents.get(agentId);
    if (!record) return;
    record.wrapUpTimer?.cancel();
    this.agents.delete(agentId);
    this.byContact.delete(record.config.contact);
  }

  async setStatus(agentId: string, status: AgentStatus): Promise<void> {
    const record = this.agents.get(agentId);
    if (!record) throw new UnknownAgentError(agentId);
    this.changeStatus(record, status, "manual");
    this.settle(record);
  }

  async get(agentId: string): Promise<AgentSnapshot | null> {
    const record = this.agents.get(agentId);
    return record ? this.snapshot(record) : null;
  }

  async list(filter: AgentListFilter = {}): Promise<AgentSnapshot[]> {
    return [...this.agents.values()]
      .filter((r) => filter.group === undefined || r.config.groups.includes(filter.group))
      .sort((a, b) => (a.config.id < b.config.id ? -1 : a.config.id > b.config.id ? 1 : 0))
      .map((r) => this.snapshot(r));
  }

  async observeChannel(observation: ChannelObservation): Promise<boolean> {
    const id =
      "agentId" in observation ? observation.agentId : this.byContact.get(observation.contact);
    const record = id === undefined ? undefined : this.agents.get(id);
    if (!record) return false;
    const { uuid } = observation;
    if (observation.up) {
      // A ring group's own leg is reported by the ring group, not counted twice.
      if (!record.offers.has(uuid) && !record.calls.has(uuid)) record.calls.set(uuid, "observed");
    } else {
      this.callGone(record, uuid);
    }
    this.settle(record);
    return true;
  }

  async subscribe(listener: (event: AgentEvent) => void): Promise<() => void> {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  async claim(request: { contact: string; uuid: string }): Promise<AgentClaim> {
    const agentId = this.byContact.get(request.contact);
    const record = agentId === undefined ? undefined : this.agents.get(agentId);
    if (!record) return { claimed: false, agentId: null, reason: "notAnAgent" };
    this.settle(record);
    const { id } = record.config;
    if (record.status !== "available") {
      return {
        claimed: false,
        agentId: id,
        reason: "notAvailable",
        status: record.status,
        state: record.state,
      };
    }
    if (record.state !== "idle") {
      return {
        claimed: false,
        agentId: id,
        reason: "busy",
        status: record.status,
        state: record.state,
      };
    }
    record.offers.add(request.uuid);
    this.settle(record);
    return { claimed: true, agentId: id };
  }

  async finishRinging(request: {
    agentId: string;
    uuid: string;
    result: AgentRingResult;
  }): Promise<void> {
    const record = this.agents.get(request.agentId);
    if (!record) return;
    record.offers.delete(request.uuid);
    if (request.result === "answered") {
      record.calls.set(request.uuid, "delivered");
      record.noAnswerCount = 0;
    } else if (request.result === "missed") {
      record.noAnswerCount++;
    }
    this.settle(record);
    const { maxNoAnswer } = record.config;
    if (maxNoAnswer > 0 && record.noAnswerCount >= maxNoAnswer && record.status === "available") {
      this.changeStatus(record, "onBreak", "maxNoAnswer");
    }
  }

  async endCall(request: { agentId: string; uuid: string }): Promise<void> {
    const record = this.agents.get(request.agentId);
    if (!record) return;
    this.callGone(record, request.uuid);
    this.settle(record);
  }

  async close(): Promise<void> {
    for (const record of this.agents.values()) record.wrapUpTimer?.cancel();
    this.listeners.clear();
  }

  private callGone(record: AgentRecord, uuid: string): void {
    const kind = record.calls.get(uuid);
    if (kind === undefined) return;
    record.calls.delete(uuid);
    if (kind !== "delivered" || record.config.wrapUpMs <= 0) return;
    const until = this.clock.now() + record.config.wrapUpMs;
    record.wrapUpUntil = until;
    record.wrapUpTimer?.cancel();
    record.wrapUpTimer = this.clock.setTimeout(() => {
      record.wrapUpTimer = null;
      this.settle(record);
    }, record.config.wrapUpMs);
  }

  private settle(record: AgentRecord): void {
    const now = this.clock.now();
    const state = deriveAgentState(
      {
        calls: record.calls.size,
        offers: record.offers.size,
        wrapUpUntil: record.wrapUpUntil ?? 0,
      },
      now,
    );
    if (state === record.state) return;
    const previous = record.state;
    record.state = state;
    record.stateSince = now;
    record.version++;
    this.emit({
      type: "stateChanged",
      agentId: record.config.id,
      state,
      previous,
      at: now,
      version: record.version,
    });
  }

  private changeStatus(
    record: AgentRecord,
    status: AgentStatus,
    reason: "manual" | "maxNoAnswer",
  ): void {
    if (status === record.status) return;
    const now = this.clock.now();
    const previous = record.status;
    record.status = status;
    record.statusSince = now;
    if (status === "available") record.noAnswerCount = 0;
    record.version++;
    this.emit({
      type: "statusChanged",
      agentId: record.config.id,
      status,
      previous,
      reason,
      at: now,
      version: record.version,
    });
  }

  private emit(event: AgentEvent): void {
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch (error) {
        this.onError(error);
      }
    }
  }

  private snapshot(record: AgentRecord): AgentSnapshot {
    this.settle(record);
    const { config } = record;
    return {
      id: config.id,
      contact: config.contact,
      groups: [...config.groups],
      wrapUpMs: config.wrapUpMs,
      maxNoAnswer: config.maxNoAnswer,
      status: record.status,
      statusSince: record.statusSince,
      state: record.state,
      stateSince: record.stateSince,
      wrapUpUntil: record.wrapUpUntil,
      noAnswerCount: record.noAnswerCount,
    };
  }
}
