import { assertPublishable, type FlowAnnouncer } from "@ringflow/core/flow";
import { NotFoundError } from "../errors.js";
import type { RingflowPrismaClient } from "../prisma-client.js";
import { decodeCursor, type Page, pageLimit, toPage } from "./pages.js";
import { fromJsonText, toJsonText, toNumber } from "./records.js";

/** A published version as listed: everything but its graph. */
export interface FlowVersionSummary {
  id: string;
  flowId: string;
  /** 1, 2, 3... per flow, in publishing order. */
  version: number;
  publishedBy: string;
  publishedAt: Date;
  comment: string | null;
}

/** A published, immutable version of a flow. */
export interface FlowVersion<G> extends FlowVersionSummary {
  graph: G;
}

/** Publishing drafts and reading published versions. Versions are never changed. */
export interface VersionsRepository<G> {
  /**
   * Publishes the flow's current draft as its next version: the one way a
   * flow goes live. The draft is checked by core's `validateFlow` (any error
   * refuses it), then goes through `parseGraph`; if either refuses, nothing is
   * published. Numbering is atomic: concurrent publishes of one flow get
   * distinct, consecutive numbers. Once committed, the version is announced
   * to the workers (`createDb({ announcer })`); without an announcer they
   * learn of it at their next poll.
   * @throws {NotFoundError} when there is no flow `flowId`.
   * @throws {FlowNotPublishableError} (core) with every problem, when the draft has errors.
   */
  publish(input: {
    flowId: string;
    publishedBy: string;
    comment?: string;
  }): Promise<FlowVersion<G>>;
  /** A version by its id (what a call in progress keeps). */
  getById(id: string): Promise<FlowVersion<G> | null>;
  /** A version by flow and number. */
  get(input: { flowId: string; version: number }): Promise<FlowVersion<G> | null>;
  /** A flow's versions, newest first. */
  list(flowId: string): Promise<FlowVersionSummary[]>;
  /**
   * A page of a flow's versions, newest first: `limit` (default 50, at most
   * 200) after `cursor` (a previous page's `nextCursor`). Keyset pagination
   * over the `(flowId, number)` index, so a page costs the same however deep.
   * @throws {InvalidCursorError} for a cursor no page of this list handed out.
   */
  page(input: {
    flowId: string;
    cursor?: string;
    limit?: number;
  }): Promise<Page<FlowVersionSummary>>;
}

interface VersionRow {
  id: string;
  flowId: string;
  number: number;
  graph: string;
  publishedBy: string;
  publishedAt: Date;
  comment: string | null;
}

function toSummary(row: Omit<VersionRow, "graph">): FlowVersionSummary {
  return {
    id: row.id,
    flowId: row.flowId,
    version: row.number,
    publishedBy: row.publishedBy,
    publishedAt: row.publishedAt,
    comment: row.comment,
  };
}

/** Creates the versions repository over `prisma`; published graphs pass through `parseGraph`. */
export function createVersionsRepository<G>(
  prisma: RingflowPrismaClient,
  parseGraph: (json: unknown) => G,
  announcer?: FlowAnnouncer,
): VersionsRepository<G> {
  const toVersion = (row: VersionRow): FlowVersion<G> => ({
    ...toSummary(row),
    graph: parseGraph(fromJsonText(row.graph, `FlowVersion ${row.id}`)),
  });

  return {
    async publish({ flowId, publishedBy, comment }) {
      const row = await prisma.$transaction(async (tx) => {
        // One statement that both claims the next number and reads the draft,
        // and a write first: PostgreSQL holds the flow's row lock from here to
        // commit, and SQLite takes its write lock at once instead of upgrading
        // a read lock later (which can fail with SQLITE_BUSY under contention).
        const claimed = await tx.$queryRaw<{ lastVersion: unknown; draftGraph: string }[]>`
          UPDATE "Flow" SET "lastVersion" = "lastVersion" + 1
          WHERE "id" = ${flowId}
          RETURNING "lastVersion", "draftGraph"`;
        const flow = claimed[0];
        if (!flow) throw new NotFoundError("flow", flowId);
        const draft = fromJsonText(flow.draftGraph, `Flow ${flowId}`);
        assertPublishable(draft);
        const graph = parseGraph(draft);
        return tx.flowVersion.create({
          data: {
            flowId,
            number: toNumber(flow.lastVersion),
            graph: toJsonText(graph, "graph"),
            publishedBy,
            comment: comment ?? null,
          },
        });
      });
      await announcer?.announce({ flowId, versionId: row.id, version: row.number });
      return toVersion(row);
    },

    async getById(id) {
      const row = await prisma.flowVersion.findUnique({ where: { id } });
      return row ? toVersion(row) : null;
    },

    async get({ flowId, version }) {
      const row = await prisma.flowVersion.findUnique({
        where: { flowId_number: { flowId, number: version } },
      });
      return row ? toVersion(row) : null;
    },

    async list(flowId) {
      const rows = await prisma.flowVersion.findMany({
        where: { flowId },
        omit: { graph: true },
        orderBy: { number: "desc" },
      });
      return rows.map(toSummary);
    },

    async page({ flowId, cursor, limit }) {
      const take = pageLimit(limit);
      const before = cursor === undefined ? undefined : decodeCursor(cursor, ["number"])[0];
      const rows = await prisma.flowVersion.findMany({
        where: { flowId, number: before === undefined ? undefined : { lt: before } },
        omit: { graph: true },
        orderBy: { number: "desc" },
        take: take + 1,
      });
      return toPage(rows, take, toSummary, (row) => [row.number]);
    },
  };
}
