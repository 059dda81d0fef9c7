import { AlreadyExistsError, NotFoundError } from "../errors.js";
import type { RingflowPrismaClient } from "../prisma-client.js";
import { fromJsonText, toNumber, translatePrismaErrors } from "./records.js";
import {
  atRevision,
  deleteOrReportAbsent,
  nextRevision,
  type RevisionCheck,
  writeAtRevision,
} from "./revision.js";

/** A dialled number and the flow it runs. */
export interface NumberRoute {
  number: string;
  flowId: string;
  /** Bumped by every change; updates name the one they read. */
  revision: number;
  createdAt: Date;
  updatedAt: Date;
}

/** A route as the numbers page lists it: with its flow's name. */
export interface NumberRouteItem extends NumberRoute {
  flowName: string;
}

/** What the worker runs for a dialled number: the latest published version of its flow. */
export interface PublishedFlow<G> {
  number: string;
  flowId: string;
  versionId: string;
  version: number;
  graph: G;
}

/**
 * A routed number and the newest published version of its flow, without the
 * graph: what a worker's flow cache compares against to notice a publish.
 */
export interface PublishedRoute {
  number: string;
  flowId: string;
  versionId: string;
  version: number;
}

/** Which flow each dialled number runs. */
export interface RoutesRepository<G> {
  /**
   * Routes `number` to `flowId`, replacing any previous route of that number.
   * @throws {NotFoundError} when there is no flow `flowId`.
   */
  set(input: { number: string; flowId: string }): Promise<NumberRoute>;
  /**
   * Routes a number that has no route yet.
   * @throws {AlreadyExistsError} when `number` is routed already.
   * @throws {NotFoundError} when there is no flow `flowId`.
   */
  create(input: { number: string; flowId: string }): Promise<NumberRoute>;
  /**
   * Points a routed number at another flow, if the route is still at `expectedRevision`.
   * @throws {NotFoundError} when `number` has no route, or there is no flow `flowId`.
   * @throws {ConflictError} when its revision is no longer `expectedRevision`.
   */
  update(input: { number: string; flowId: string; expectedRevision: number }): Promise<NumberRoute>;
  /**
   * Removes the route of `number`; false when there was none.
   * @throws {NotFoundError} when there is none and `expectedRevision` was given.
   * @throws {ConflictError} when its revision is no longer `expectedRevision`.
   */
  remove(number: string, check?: RevisionCheck): Promise<boolean>;
  get(number: string): Promise<NumberRoute | null>;
  /** Every route with its flow's name, by number (two queries, however many routes). */
  list(): Promise<NumberRouteItem[]>;
  /**
   * The latest published version of the flow `number` routes to, or null
   * when the number has no route or its flow was never published. The
   * worker's per-call lookup: one query over two unique indexes.
   */
  findPublishedFlowForNumber(number: string): Promise<PublishedFlow<G> | null>;
  /**
   * Every routed number whose flow has a published version, with that
   * flow's newest version (no graphs), by number. One query: cheap enough
   * for a worker to poll every second and reload only the versions it lacks.
   */
  listPublished(): Promise<PublishedRoute[]>;
}

/** Creates the routes repository over `prisma`; published graphs pass through `parseGraph`. */
export function createRoutesRepository<G>(
  prisma: RingflowPrismaClient,
  parseGraph: (json: unknown) => G,
): RoutesRepository<G> {
  const revisionOf = (number: string) => () =>
    prisma.numberRoute.findUnique({ where: { number }, select: { revision: true } });
  const flowMissing = (flowId: string) => ({
    P2003: (cause: unknown) => new NotFoundError("flow", flowId, { cause }),
  });

  return {
    async set({ number, flowId }) {
      return translatePrismaErrors(
        () =>
          prisma.numberRoute.upsert({
            where: { number },
            create: { number, flowId },
            update: { flowId, ...nextRevision },
          }),
        flowMissing(flowId),
      );
    },

    create({ number, flowId }) {
      return translatePrismaErrors(() => prisma.numberRoute.create({ data: { number, flowId } }), {
        ...flowMissing(flowId),
        P2002: (cause) => new AlreadyExistsError("number route", { cause }),
      });
    },

    update({ number, flowId, expectedRevision }) {
      return translatePrismaErrors(
        () =>
          writeAtRevision({
            entity: "number route",
            key: number,
            expectedRevision,
            write: () =>
              prisma.numberRoute.update({
                where: { number, revision: expectedRevision },
                data: { flowId, ...nextRevision },
              }),
            current: revisionOf(number),
          }),
        flowMissing(flowId),
      );
    },

    remove(number, { expectedRevision } = {}) {
      return deleteOrReportAbsent(expectedRevision, () =>
        writeAtRevision({
          entity: "number route",
          key: number,
          expectedRevision,
          write: () =>
            prisma.numberRoute.delete({ where: { number, ...atRevision(expectedRevision) } }),
          current: revisionOf(number),
        }),
      );
    },

    async get(number) {
      return prisma.numberRoute.findUnique({ where: { number } });
    },

    async list() {
      const rows = await prisma.numberRoute.findMany({
        orderBy: { number: "asc" },
        include: { flow: { select: { name: true } } },
      });
      return rows.map(({ flow, ...route }) => ({ ...route, flowName: flow.name }));
    },

    async findPublishedFlowForNumber(number) {
      // Raw SQL because Prisma would load route, flow and version in separate
      // queries: this is a point lookup on NumberRoute's primary key joined to
      // a backwards scan of FlowVersion's (flowId, number) unique index.
      const rows = await prisma.$queryRaw<
        { flowId: string; versionId: string; version: unknown; graph: string }[]
      >`
        SELECT v."flowId" AS "flowId", v."id" AS "versionId", v."number" AS "version", v."graph" AS "graph"
        FROM "NumberRoute" r
        JOIN "FlowVersion" v ON v."flowId" = r."flowId"
        WHERE r."number" = ${number}
        ORDER BY v."number" DESC
        LIMIT 1`;
      const row = rows[0];
      if (!row) return null;
      return {
        number,
        flowId: row.flowId,
        versionId: row.versionId,
        version: toNumber(row.version),
        graph: parseGraph(fromJsonText(row.graph, `FlowVersion ${row.versionId}`)),
      };
    },

    async listPublished() {
      // The correlated MAX is a backwards scan of FlowVersion's (flowId,
      // number) unique index per route.
      const rows = await prisma.$queryRaw<
        { number: string; flowId: string; versionId: string; version: unknown }[]
      >`
        SELECT r."number" AS "number", v."flowId" AS "flowId", v."id" AS "versionId", v."number" AS "version"
        FROM "NumberRoute" r
        JOIN "FlowVersion" v ON v."flowId" = r."flowId"
        WHERE v."number" = (SELECT MAX(w."number") FROM "FlowVersion" w WHERE w."flowId" = r."flowId")
        ORDER BY r."number"`;
      return rows.map((row) => ({
        number: row.number,
        flowId: row.flowId,
        versionId: row.versionId,
        version: toNumber(row.version),
      }));
    },
  };
}
