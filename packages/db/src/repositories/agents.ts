import { AlreadyExistsError, NotFoundError } from "../errors.js";
import type { RingflowPrismaClient } from "../prisma-client.js";
import { oneOf, translatePrismaErrors } from "./records.js";

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
   * Changes the given fields.
   * @throws {NotFoundError} when there is no agent `id`.
   * @throws {AlreadyExistsError} when another agent has the new contact.
   */
  update(input: { id: string } & Partial<AgentInput>): Promise<Agent>;
  get(id: string): Promise<Agent | null>;
  findByContact(contact: string): Promise<Agent | null>;
  /** Every agent, by contact. */
  list(): Promise<Agent[]>;
  /** Deletes an agent (and its group memberships); false when there was none. */
  delete(id: string): Promise<boolean>;
}

interface AgentRow extends Omit<Agent, "status"> {
  status: string;
}

/** Maps a stored agent row to an {@link Agent}. */
export function toAgent(row: AgentRow): Agent {
  return { ...row, status: oneOf(AGENT_STATUSES, row.status, "agent status") };
}

/** Creates the agents repository over `prisma`. */
export function createAgentsRepository(prisma: RingflowPrismaClient): AgentsRepository {
  return {
    async create(input) {
      const row = await translatePrismaErrors(() => prisma.agent.create({ data: input }), {
        P2002: (cause) => new AlreadyExistsError("agent", { cause }),
      });
      return toAgent(row);
    },

    async update({ id, ...changes }) {
      const row = await translatePrismaErrors(
        () => prisma.agent.update({ where: { id }, data: changes }),
        {
          P2025: (cause) => new NotFoundError("agent", id, { cause }),
          P2002: (cause) => new AlreadyExistsError("agent", { cause }),
        },
      );
      return toAgent(row);
    },

    async get(id) {
      const row = await prisma.agent.findUnique({ where: { id } });
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

    async delete(id) {
      const { count } = await prisma.agent.deleteMany({ where: { id } });
      return count > 0;
    },
  };
}
