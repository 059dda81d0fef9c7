import { ConflictError, InUseError, NotFoundError, prismaErrorCode } from "../errors.js";
import type { RingflowPrismaClient } from "../prisma-client.js";
import { byCodeUnits, fromJsonText, toJsonText } from "./records.js";
import { atRevision, nextRevision, type RevisionCheck, writeAtRevision } from "./revision.js";

/** A flow as listed: everything but its draft graph. */
export interface FlowSummary {
  id: string;
  name: string;
  description: string;
  /** Number of the newest published version; null before the first publish. */
  latestVersion: number | null;
  /** Bumped by every change to the flow (draft, name, description); updates name the one they read. */
  revision: number;
  createdAt: Date;
  updatedAt: Date;
}

/** A flow with its draft graph, which may be incomplete while it is edited. */
export interface Flow extends FlowSummary {
  /** The draft graph, parsed from JSON but not validated. */
  draftGraph: unknown;
}

/** The version of a flow that calls run: its newest published one. */
export interface LiveVersionSummary {
  id: string;
  version: number;
  publishedAt: Date;
  publishedBy: string;
  comment: string | null;
}

/** A flow as the flows page lists it: with its live version and the numbers routed to it. */
export interface FlowListItem extends FlowSummary {
  /** Null before the first publish. */
  liveVersion: LiveVersionSummary | null;
  /** The numbers routed to this flow, sorted. */
  numbers: string[];
}

/** Creating, editing and deleting flows (their drafts). Publishing is `versions`. */
export interface FlowsRepository {
  create(input: { name: string; description?: string; draftGraph: unknown }): Promise<Flow>;
  get(id: string): Promise<Flow | null>;
  /** Every flow, by name, with its live version and routed numbers: three queries whatever the count. */
  list(): Promise<FlowListItem[]>;
  /**
   * Renames a flow (and changes its description when given).
   * @throws {NotFoundError} when there is no flow `id`.
   * @throws {ConflictError} when its revision is no longer `expectedRevision`.
   */
  rename(input: {
    id: string;
    name: string;
    description?: string;
    expectedRevision: number;
  }): Promise<Flow>;
  /**
   * Replaces the draft graph (and name/description when given). Published
   * versions are untouched. With `expectedRevision` the save applies only
   * while the flow is at that revision; without it (seed, tests) the last
   * write wins. Either way the revision is bumped.
   * @throws {NotFoundError} when there is no flow `id`.
   * @throws {ConflictError} when its revision is no longer `expectedRevision`.
   */
  saveDraft(
    input: {
      id: string;
      draftGraph: unknown;
      name?: string;
      description?: string;
    } & RevisionCheck,
  ): Promise<Flow>;
  /**
   * A new flow named `name` with a copy of `id`'s draft and description:
   * no versions, no routed numbers.
   * @throws {NotFoundError} when there is no flow `id`.
   */
  duplicate(input: { id: string; name: string }): Promise<Flow>;
  /**
   * Deletes a flow and its versions, all or nothing.
   * @throws {NotFoundError} when there is no flow `id`.
   * @throws {InUseError} while a number routes to it; `usedBy` lists the numbers.
   * @throws {ConflictError} when its revision is no longer `expectedRevision`.
   */
  delete(id: string, check?: RevisionCheck): Promise<void>;
}

interface FlowRow {
  id: string;
  name: string;
  description: string;
  draftGraph: string;
  lastVersion: number;
  revision: number;
  createdAt: Date;
  updatedAt: Date;
}

function toSummary(row: Omit<FlowRow, "draftGraph">): FlowSummary {
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    latestVersion: row.lastVersion === 0 ? null : row.lastVersion,
    revision: row.revision,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

function toFlow(row: FlowRow): Flow {
  return { ...toSummary(row), draftGraph: fromJsonText(row.draftGraph, `Flow ${row.id}`) };
}

/** Creates the flows repository over `prisma`. */
export function createFlowsRepository(prisma: RingflowPrismaClient): FlowsRepository {
  const revisionOf = (id: string) => () =>
    prisma.flow.findUnique({ where: { id }, select: { revision: true } });

  const update = (
    id: string,
    expectedRevision: number | undefined,
    data: { draftGraph?: string; name?: string; description?: string },
  ) =>
    writeAtRevision({
      entity: "flow",
      key: id,
      expectedRevision,
      write: () =>
        prisma.flow.update({
          where: { id, ...atRevision(expectedRevision) },
          data: { ...data, ...nextRevision },
        }),
      current: revisionOf(id),
    }).then(toFlow);

  return {
    async create({ name, description = "", draftGraph }) {
      const row = await prisma.flow.create({
        data: { name, description, draftGraph: toJsonText(draftGraph, "draftGraph") },
      });
      return toFlow(row);
    },

    async get(id) {
      const row = await prisma.flow.findUnique({ where: { id } });
      return row ? toFlow(row) : null;
    },

    async list() {
      const rows = await prisma.flow.findMany({
        omit: { draftGraph: true },
        orderBy: [{ name: "asc" }, { id: "asc" }],
      });
      const published = rows.filter((row) => row.lastVersion > 0);
      // The live version is the one numbered lastVersion (publish claims the
      // number and stores the version in one transaction): one lookup per
      // flow on FlowVersion's (flowId, number) unique index, in one query.
      const [versions, routes] = await Promise.all([
        published.length === 0
          ? []
          : prisma.flowVersion.findMany({
              where: { OR: published.map((row) => ({ flowId: row.id, number: row.lastVersion })) },
              omit: { graph: true },
            }),
        prisma.numberRoute.findMany({ select: { number: true, flowId: true } }),
      ]);
      const liveByFlow = new Map(versions.map((version) => [version.flowId, version]));
      const numbersByFlow = new Map<string, string[]>();
      for (const route of routes) {
        const numbers = numbersByFlow.get(route.flowId) ?? [];
        numbers.push(route.number);
        numbersByFlow.set(route.flowId, numbers);
      }
      return rows.map((row) => {
        const live = liveByFlow.get(row.id);
        return {
          ...toSummary(row),
          liveVersion: live
            ? {
                id: live.id,
                version: live.number,
                publishedAt: live.publishedAt,
                publishedBy: live.publishedBy,
                comment: live.comment,
              }
            : null,
          numbers: (numbersByFlow.get(row.id) ?? []).sort(byCodeUnits),
        };
      });
    },

    rename({ id, name, description, expectedRevision }) {
      return update(id, expectedRevision, { name, description });
    },

    saveDraft({ id, draftGraph, name, description, expectedRevision }) {
      return update(id, expectedRevision, {
        draftGraph: toJsonText(draftGraph, "draftGraph"),
        name,
        description,
      });
    },

    async duplicate({ id, name }) {
      const source = await prisma.flow.findUnique({
        where: { id },
        select: { description: true, draftGraph: true },
      });
      if (!source) throw new NotFoundError("flow", id);
      return toFlow(await prisma.flow.create({ data: { name, ...source } }));
    },

    async delete(id, { expectedRevision } = {}) {
      try {
        // One statement: the versions go with the flow by cascade, and the
        // foreign key refuses it while a number routes here.
        await prisma.flow.delete({ where: { id, ...atRevision(expectedRevision) } });
      } catch (error) {
        const code = prismaErrorCode(error);
        if (code !== "P2003" && code !== "P2025") throw error;
        const flow = await prisma.flow.findUnique({
          where: { id },
          select: { name: true, revision: true, routes: { select: { number: true } } },
        });
        if (!flow) throw new NotFoundError("flow", id, { cause: error });
        if (flow.routes.length > 0) {
          const numbers = flow.routes.map((route) => route.number).sort(byCodeUnits);
          throw new InUseError("flow", id, {
            label: flow.name,
            usedBy: numbers.map((number) => ({ kind: "number", id: number, name: number })),
            cause: error,
          });
        }
        if (expectedRevision !== undefined && flow.revision !== expectedRevision) {
          throw new ConflictError("flow", id, expectedRevision, flow.revision, { cause: error });
        }
        throw error;
      }
    },
  };
}
