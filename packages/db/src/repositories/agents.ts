import { AlreadyExistsError, NotFoundError } from "../errors.js";
import type { RingflowPrismaClient } from "../prisma-client.js";
import { oneOf, translatePrismaErrors } from "./records.js";
import {
  atRevision,
  deleteOrReportAbsent,
  nextRevision,
  type RevisionCheck,
  writeAtRevision,
} from "./revision.js";

/** Every agent status, as stored. */
export const AGENT_STATUSES = ["available", "onBreak", "loggedOut"] as const;

/** Whether an agent takes calls: only `available` agents are rung. */
export type AgentStatus = (typeof AGENT_STATUSES)[number];

/** A person who answers calls on one phone. */
export interface Agent {
  id: string;
  /** The FreeSWITCH dial string of the agent's phone, e.g. `user/1001`; unique. */
  contact: string;
  name: string;
  status: AgentStatus;
  /** Rest after each call before the agent is rung again. */
  wrapUpMs: number;
  /** Unanswered rings in a row after which the agent is set `onBreak`. */
  maxNoAnswer: number;
  /**
   * The web app user who signs in as this agent (role `agent`) to set
   * their own status; null when none. A user is linked to one agent at most.
   */
  userId: string | null;
  /** Bumped by every change; updates name the one they read. */
  revision: number;
  createdAt: Date;
  updatedAt: Date;
}

/** The fields {@link AgentsRepository.create} takes. */
export type AgentInput = Pick<Agent, "contact" | "name"> &
  Partial<Pick<Agent, "status" | "wrapUpMs" | "maxNoAnswer">>;

/** Agents, keyed by id and by contact. */
export interface AgentsRepository {
  /** @throws {AlreadyExistsError} when an agent has that contact. */
  create(input: AgentInput): Promise<Agent>;
  /**
   * Changes the given fields, if the agent is still at `expectedRevision`.
   * @throws {NotFoundError} when there is no agent `id`.
   * @throws {ConflictError} when its revision is no longer `expectedRevision`.
   * @throws {AlreadyExistsError} when another agent has the new contact.
   */
  update(input: AgentUpdate): Promise<Agent>;
  /**
   * Sets the configured status, whatever the revision (a supervisor's or the
   * agent's own change, or the worker's after `maxNoAnswer` missed calls),
   * bumping the revision. Then tell the running workers (a `LiveCommand`).
   * @throws {NotFoundError} when there is no agent `id`.
   */
  setStatus(id: string, status: AgentStatus): Promise<Agent>;
  /**
   * Links the web app user `userId` to agent `agentId` (taking them from
   * any agent they were linked to, in the same transaction), or unlinks
   * the agent's user with `userId: null`. Bumps the revisions of the
   * agents it changes.
   * @throws {NotFoundError} when there is no agent `agentId` or no user `userId`.
   */
  linkUser(input: { agentId: string; userId: string | null }): Promise<Agent>;
  get(id: string): Promise<Agent | null>;
  findByContact(contact: string): Promise<Agent | null>;
  /** The agent the web app user `userId` is linked to, or null. */
  findByUserId(userId: string): Promise<Agent | null>;
  /** Every agent, by contact. */
  list(): Promise<Agent[]>;
  /**
   * Deletes an agent and its group memberships (bumping those groups'
   * revisions), in one transaction; false when there was none.
   * @throws {NotFoundError} when there is none and `expectedRevision` was given.
   * @throws {ConflictError} when its revision is no longer `expectedRevision`.
   */
  delete(id: string, check?: RevisionCheck): Promise<boolean>;
}

/** What {@link AgentsRepository.update} takes: the fields to change. */
export type AgentUpdate = { id: string; expectedRevision: number } & Partial<AgentInput>;

interface AgentRow extends Omit<Agent, "status"> {
  status: string;
}

/** Maps a stored agent row to an {@link Agent}. */
export function toAgent(row: AgentRow): Agent {
  return { ...row, status: oneOf(AGENT_STATUSES, row.status, "agent status") };
}

/** Creates the agents repository over `prisma`. */
export function createAgentsRepository(prisma: RingflowPrismaClient): AgentsRepository {
  const revisionOf = (id: string) => () =>
    prisma.agent.findUnique({ where: { id }, select: { revision: true } });

  return {
    async create(input) {
      const row = await translatePrismaErrors(() => prisma.agent.create({ data: input }), {
        P2002: (cause) => new AlreadyExistsError("agent", { cause }),
      });
      return toAgent(row);
    },

    async update({ id, expectedRevision, ...changes }) {
      const row = await translatePrismaErrors(
        () =>
          writeAtRevision({
            entity: "agent",
            key: id,
            expectedRevision,
            write: () =>
              prisma.agent.update({
                where: { id, revision: expectedRevision },
                data: { ...changes, ...nextRevision },
              }),
            current: revisionOf(id),
          }),
        { P2002: (cause) => new AlreadyExistsError("agent", { cause }) },
      );
      return toAgent(row);
    },

    async setStatus(id, status) {
      const row = await translatePrismaErrors(
        () => prisma.agent.update({ where: { id }, data: { status, ...nextRevision } }),
        { P2025: (cause) => new NotFoundError("agent", id, { cause }) },
      );
      return toAgent(row);
    },

    async linkUser({ agentId, userId }) {
      const row = await translatePrismaErrors(
        () =>
          prisma.$transaction(async (tx) => {
            if (userId !== null) {
              await tx.agent.updateMany({
                where: { userId, id: { not: agentId } },
                data: { userId: null, ...nextRevision },
              });
            }
            return tx.agent.update({ where: { id: agentId }, data: { userId, ...nextRevision } });
          }),
        {
          P2025: (cause) => new NotFoundError("agent", agentId, { cause }),
          P2003: (cause) => new NotFoundError("user", userId ?? "", { cause }),
        },
      );
      return toAgent(row);
    },

    async get(id) {
      const row = await prisma.agent.findUnique({ where: { id } });
      return row ? toAgent(row) : null;
    },

    async findByUserId(userId) {
      const row = await prisma.agent.findUnique({ where: { userId } });
      return row ? toAgent(row) : null;
    },

    async findByContact(contact) {
      const row = await prisma.agent.findUnique({ where: { contact } });
      return row ? toAgent(row) : null;
    },

    async list() {
      const rows = await prisma.agent.findMany({ orderBy: { contact: "asc" } });
      return rows.map(toAgent);
    },

    delete(id, { expectedRevision } = {}) {
      return deleteOrReportAbsent(expectedRevision, () =>
        writeAtRevision({
          entity: "agent",
          key: id,
          expectedRevision,
          write: () =>
            prisma.$transaction(async (tx) => {
              // The groups first (a write first: see versions.publish), as
              // their members change; rolled back when the delete is refused.
              await tx.agentGroup.updateMany({
                where: { members: { some: { agentId: id } } },
                data: nextRevision,
              });
              await tx.agent.delete({ where: { id, ...atRevision(expectedRevision) } });
            }),
          current: revisionOf(id),
        }),
      );
    },
  };
}
