import { type Clock, systemClock, type TimerHandle } from "@ringflow/core";
import {
  type AgentConfig,
  AgentContactTakenError,
  type AgentRegistry,
  type AgentStatus,
} from "@ringflow/core/agents";
import type { Db } from "@ringflow/db";
import type { Logger } from "../logger.js";

/** What {@link AgentSync} reads of the database. */
export type AgentSyncDb = Pick<Db<unknown>, "agents" | "groups">;

/** Options of {@link AgentSync}. */
export interface AgentSyncOptions {
  readonly db: AgentSyncDb;
  readonly registry: AgentRegistry;
  readonly log: Logger;
  readonly pollMs: number;
  /** Times the poll (default `systemClock`). */
  readonly clock?: Clock;
}

/**
 * Keeps the live agent registry in step with the agents configured in the
 * database: who they are (contact, groups, wrap-up, max-no-answer) and the
 * status they set or a supervisor set. The registry owns what agents are
 * doing (ringing, in call, wrap-up); the database owns their configured
 * status, and a change of it is applied at once by {@link applyStatus} (a
 * `setAgentStatus` command) or within `pollMs` by the poll.
 *
 * A status the registry changes itself (an agent put On break after
 * `maxNoAnswer` missed calls) is written back to the database, so the
 * next poll does not undo it and the admin pages show it.
 */
export class AgentSync {
  private readonly seenConfig = new Map<string, string>();
  private readonly seenStatus = new Map<string, AgentStatus>();
  private timer: TimerHandle | undefined;
  private running: Promise<void> | undefined;
  private again = false;
  private unsubscribe: (() => void) | undefined;
  private stopped = false;

  private readonly clock: Clock;

  constructor(private readonly options: AgentSyncOptions) {
    this.clock = options.clock ?? systemClock;
  }

  /** First sync (rejects if the database cannot be read), then polls and watches the registry. */
  async start(): Promise<void> {
    await this.syncOnce();
    const { registry, db, log } = this.options;
    this.unsubscribe = await registry.subscribe((event) => {
      if (event.type !== "statusChanged" || event.reason !== "maxNoAnswer") return;
      this.seenStatus.set(event.agentId, event.status);
      db.agents.setStatus(event.agentId, event.status).then(
        () =>
          log.info(
            { agentId: event.agentId, status: event.status },
            "agent missed too many calls in a row; status stored",
          ),
        (error: unknown) =>
          log.warn(
            { err: error, agentId: event.agentId },
            "could not store an agent's automatic status",
          ),
      );
    });
    this.schedule();
  }

  /** Applies a status just set in the database (a `setAgentStatus` command), without waiting for the poll. */
  async applyStatus(agentId: string, status: AgentStatus): Promise<void> {
    if (!this.seenConfig.has(agentId)) {
      // Not known yet (a new agent): the sync reads it whole.
      await this.sync();
      return;
    }
    this.seenStatus.set(agentId, status);
    await this.options.registry.setStatus(agentId, status);
  }

  /** Re-reads the database now (coalescing with a sync already running). */
  sync(): Promise<void> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = (async () => {
      try {
        do {
          this.again = false;
          await this.syncOnce();
        } while (this.again);
      } finally {
        this.running = undefined;
      }
    })();
    return this.running;
  }

  /** Stops polling and watching; a sync running now finishes without arming another poll. */
  stop(): void {
    this.stopped = true;
    this.timer?.cancel();
    this.timer = undefined;
    this.unsubscribe?.();
    this.unsubscribe = undefined;
  }

  private schedule(): void {
    if (this.stopped) return;
    this.timer = this.clock.setTimeout(() => {
      this.sync().then(
        () => this.schedule(),
        (error: unknown) => {
          this.options.log.warn({ err: error }, "could not read the agents; will try again");
          this.schedule();
        },
      );
    }, this.options.pollMs);
  }

  private async syncOnce(): Promise<void> {
    const { db, registry } = this.options;
    const [agents, groups] = await Promise.all([db.agents.list(), db.groups.list()]);
    const groupsOf = new Map<string, string[]>();
    for (const group of groups) {
      for (const member of group.members) {
        const list = groupsOf.get(member.id) ?? [];
        list.push(group.id);
        groupsOf.set(member.id, list);
      }
    }
    const present = new Set<string>(agents.map((a) => a.id));
    for (const agent of await registry.list()) {
      if (present.has(agent.id)) continue;
      await registry.remove(agent.id);
      this.seenConfig.delete(agent.id);
      this.seenStatus.delete(agent.id);
    }
    for (const agent of agents) {
      const config: AgentConfig = {
        id: agent.id,
        contact: agent.contact,
        groups: (groupsOf.get(agent.id) ?? []).sort(),
        wrapUpMs: agent.wrapUpMs,
        maxNoAnswer: agent.maxNoAnswer,
      };
      const key = JSON.stringify(config);
      if (this.seenConfig.get(agent.id) !== key) {
        await this.upsert(config);
        this.seenConfig.set(agent.id, key);
      }
      const seen = this.seenStatus.get(agent.id);
      if (seen === agent.status) continue;
      // First sight (start-up): set it only if the registry (shared through
      // Redis) does not hold it already. Later: the database changed.
      const current = seen === undefined ? await registry.get(agent.id) : null;
      if (current?.status !== agent.status) await registry.setStatus(agent.id, agent.status);
      this.seenStatus.set(agent.id, agent.status);
    }
  }

  /** Upserts; a contact another agent held (contacts moved between agents) is freed first. */
  private async upsert(config: AgentConfig): Promise<void> {
    const { registry } = this.options;
    try {
      await registry.upsert(config);
    } catch (error) {
      if (!(error instanceof AgentContactTakenError)) throw error;
      await registry.remove(error.ownerId);
      this.seenConfig.delete(error.ownerId);
      this.seenStatus.delete(error.ownerId);
      await registry.upsert(config);
    }
  }
}
