import { AlreadyExistsError, InUseError, NotFoundError } from "../errors.js";
import type { RingflowPrismaClient } from "../prisma-client.js";
import { type Agent, toAgent } from "./agents.js";
import { liveFlowsNaming } from "./live-references.js";
import { translatePrismaErrors } from "./records.js";
import {
  atRevision,
  deleteOrReportAbsent,
  nextRevision,
  type RevisionCheck,
  writeAtRevision,
} from "./revision.js";

/** A named, ordered set of agents that a ring group rings. */
export interface AgentGroup {
  id: string;
  name: string;
  /** The members in ring order. */
  members: Agent[];
  /** Bumped by every change, members included; updates name the one they read. */
  revision: number;
  createdAt: Date;
  updatedAt: Date;
}

/** What {@link GroupsRepository.update} takes: a new name and/or new members. */
export interface AgentGroupUpdate {
  id: string;
  expectedRevision: number;
  name?: string;
  /** The members afterwards, in ring order; omitted: unchanged. */
  agentIds?: readonly string[];
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
   * Renames the group and/or replaces its members (ring order = array
   * order), in one transaction, if it is still at `expectedRevision`.
   * @throws {NotFoundError} when the group or an agent does not exist.
   * @throws {ConflictError} when its revision is no longer `expectedRevision`.
   * @throws {AlreadyExistsError} on a taken name, or when `agentIds` names an agent twice.
   */
  update(input: AgentGroupUpdate): Promise<AgentGroup>;
  /**
   * Replaces the members, whatever the revision: afterwards they are exactly `agentIds`, in that order.
   * @throws {NotFoundError} when the group or an agent does not exist.
   * @throws {AlreadyExistsError} when `agentIds` names an agent twice.
   */
  setMembers(input: { groupId: string; agentIds: readonly string[] }): Promise<AgentGroup>;
  /**
   * Renames the group, whatever the revision.
   * @throws {NotFoundError} when there is no group `id`. @throws {AlreadyExistsError} on a taken name.
   */
  rename(input: { id: string; name: string }): Promise<AgentGroup>;
  get(id: string): Promise<AgentGroup | null>;
  findByName(name: string): Promise<AgentGroup | null>;
  /** Every group, by name. */
  list(): Promise<AgentGroup[]>;
  /**
   * Deletes a group (not its agents); false when there was none.
   * @throws {InUseError} while the live version of a flow names the group; `usedBy` lists the flows.
   * @throws {NotFoundError} when there is none and `expectedRevision` was given.
   * @throws {ConflictError} when its revision is no longer `expectedRevision`.
   */
  delete(id: string, check?: RevisionCheck): Promise<boolean>;
}

const withMembers = {
  members: { orderBy: { position: "asc" }, include: { agent: true } },
} as const;

type GroupRow = {
  id: string;
  name: string;
  revision: number;
  createdAt: Date;
  updatedAt: Date;
  members: { agent: Parameters<typeof toAgent>[0] }[];
};

function toGroup(row: GroupRow): AgentGroup {
  return {
    id: row.id,
    name: row.name,
    members: row.members.map((member) => toAgent(member.agent)),
    revision: row.revision,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

function memberRows(agentIds: readonly string[]) {
  return agentIds.map((agentId, position) => ({ agentId, position }));
}

/** Creates the groups repository over `prisma`. */
export function createGroupsRepository(prisma: RingflowPrismaClient): GroupsRepository {
  const revisionOf = (id: string) => () =>
    prisma.agentGroup.findUnique({ where: { id }, select: { revision: true } });

  /** The one way a group changes: name and/or members, revision bumped, in one transaction. */
  async function change(
    id: string,
    expectedRevision: number | undefined,
    { name, agentIds }: { name?: string; agentIds?: readonly string[] },
  ): Promise<AgentGroup> {
    // Checked here so that a unique violation below can only mean the name.
    if (agentIds && new Set(agentIds).size !== agentIds.length) {
      throw new AlreadyExistsError("group member");
    }
    const row = await translatePrismaErrors(
      () =>
        writeAtRevision({
          entity: "agent group",
          key: id,
          expectedRevision,
          write: () =>
            prisma.$transaction(async (tx) => {
              await tx.agentGroup.update({
                where: { id, ...atRevision(expectedRevision) },
                data: { name, ...nextRevision },
              });
              if (agentIds) {
                await tx.agentGroupMember.deleteMany({ where: { groupId: id } });
                await tx.agentGroupMember.createMany({
                  data: memberRows(agentIds).map((member) => ({ groupId: id, ...member })),
                });
              }
              return tx.agentGroup.findUniqueOrThrow({ where: { id }, include: withMembers });
            }),
          current: revisionOf(id),
        }),
      {
        P2002: (cause) => new AlreadyExistsError("agent group", { cause }),
        P2003: (cause) => new NotFoundError("agent", agentIds?.join(",") ?? "", { cause }),
      },
    );
    return toGroup(row);
  }

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

    update: ({ id, expectedRevision, name, agentIds }) =>
      change(id, expectedRevision, { name, agentIds }),

    setMembers: ({ groupId, agentIds }) => change(groupId, undefined, { agentIds }),

    rename: ({ id, name }) => change(id, undefined, { name }),

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

    async delete(id, { expectedRevision } = {}) {
      const usedBy = await liveFlowsNaming(prisma, (refs) => refs.agentGroupIds, id);
      if (usedBy.length > 0) {
        const group = await prisma.agentGroup.findUnique({ where: { id }, select: { name: true } });
        if (group) throw new InUseError("agent group", id, { usedBy, label: group.name });
      }
      return deleteOrReportAbsent(expectedRevision, () =>
        writeAtRevision({
          entity: "agent group",
          key: id,
          expectedRevision,
          write: () => prisma.agentGroup.delete({ where: { id, ...atRevision(expectedRevision) } }),
          current: revisionOf(id),
        }),
      );
    },
  };
}
