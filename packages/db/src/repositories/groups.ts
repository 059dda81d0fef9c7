import { AlreadyExistsError, NotFoundError } from "../errors.js";
import type { RingflowPrismaClient } from "../prisma-client.js";
import { type Agent, toAgent } from "./agents.js";
import { translatePrismaErrors } from "./records.js";

/** A named, ordered set of agents that a ring group rings. */
export interface AgentGroup {
  id: string;
  name: string;
  /** The members in ring order. */
  members: Agent[];
  createdAt: Date;
  updatedAt: Date;
}

/** Agent groups and their ordered membership. */
export interface GroupsRepository {
  /**
   * Creates a group whose members, in ring order, are `agentIds`.
   * @throws {AlreadyExistsError} when a group has that name.
   * @throws {NotFoundError} when an agent id does not exist.
   */
  create(input: { name: string; agentIds?: readonly string[] }): Promise<AgentGroup>;
  /**
   * Replaces the members: afterwards they are exactly `agentIds`, in that order.
   * @throws {NotFoundError} when the group or an agent does not exist.
   * @throws {AlreadyExistsError} when `agentIds` names an agent twice.
   */
  setMembers(input: { groupId: string; agentIds: readonly string[] }): Promise<AgentGroup>;
  /** @throws {NotFoundError} when there is no group `id`. @throws {AlreadyExistsError} on a taken name. */
  rename(input: { id: string; name: string }): Promise<AgentGroup>;
  get(id: string): Promise<AgentGroup | null>;
  findByName(name: string): Promise<AgentGroup | null>;
  /** Every group, by name. */
  list(): Promise<AgentGroup[]>;
  /** Deletes a group (not its agents); false when there was none. */
  delete(id: string): Promise<boolean>;
}

const withMembers = {
  members: { orderBy: { position: "asc" }, include: { agent: true } },
} as const;

type GroupRow = {
  id: string;
  name: string;
  createdAt: Date;
  updatedAt: Date;
  members: { agent: Parameters<typeof toAgent>[0] }[];
};

function toGroup(row: GroupRow): AgentGroup {
  return {
    id: row.id,
    name: row.name,
    members: row.members.map((member) => toAgent(member.agent)),
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

function memberRows(agentIds: readonly string[]) {
  return agentIds.map((agentId, position) => ({ agentId, position }));
}

/** Creates the groups repository over `prisma`. */
export function createGroupsRepository(prisma: RingflowPrismaClient): GroupsRepository {
  const memberErrors = (groupId: string) => ({
    P2002: (cause: unknown) => new AlreadyExistsError("group member", { cause }),
    P2003: (cause: unknown) => new NotFoundError("agent or group", groupId, { cause }),
    P2025: (cause: unknown) => new NotFoundError("group", groupId, { cause }),
  });

  return {
    async create({ name, agentIds = [] }) {
      const row = await translatePrismaErrors(
        () =>
          prisma.agentGroup.create({
            data: { name, members: { create: memberRows(agentIds) } },
            include: withMembers,
          }),
        {
          P2002: (cause) => new AlreadyExistsError("agent group", { cause }),
          P2003: (cause) => new NotFoundError("agent", agentIds.join(","), { cause }),
          P2025: (cause) => new NotFoundError("agent", agentIds.join(","), { cause }),
        },
      );
      return toGroup(row);
    },

    async setMembers({ groupId, agentIds }) {
      const row = await translatePrismaErrors(
        () =>
          prisma.agentGroup.update({
            where: { id: groupId },
            data: { members: { deleteMany: {}, create: memberRows(agentIds) } },
            include: withMembers,
          }),
        memberErrors(groupId),
      );
      return toGroup(row);
    },

    async rename({ id, name }) {
      const row = await translatePrismaErrors(
        () => prisma.agentGroup.update({ where: { id }, data: { name }, include: withMembers }),
        {
          P2002: (cause) => new AlreadyExistsError("agent group", { cause }),
          P2025: (cause) => new NotFoundError("group", id, { cause }),
        },
      );
      return toGroup(row);
    },

    async get(id) {
      const row = await prisma.agentGroup.findUnique({ where: { id }, include: withMembers });
      return row ? toGroup(row) : null;
    },

    async findByName(name) {
      const row = await prisma.agentGroup.findUnique({ where: { name }, include: withMembers });
      return row ? toGroup(row) : null;
    },

    async list() {
      const rows = await prisma.agentGroup.findMany({
        orderBy: { name: "asc" },
        include: withMembers,
      });
      return rows.map(toGroup);
    },

    async delete(id) {
      const { count } = await prisma.agentGroup.deleteMany({ where: { id } });
      return count > 0;
    },
  };
}
