import { InUseError, NotFoundError } from "../errors.js";
import type { RingflowPrismaClient } from "../prisma-client.js";
import { fromJsonText, toJsonText, translatePrismaErrors } from "./records.js";

/** A flow as listed: everything but its draft graph. */
export interface FlowSummary {
  id: string;
  name: string;
  description: string;
  /** Number of the newest published version; null before the first publish. */
  latestVersion: number | null;
  createdAt: Date;
  updatedAt: Date;
}

/** A flow with its draft graph, which may be incomplete while it is edited. */
export interface Flow extends FlowSummary {
  /** The draft graph, parsed from JSON but not validated. */
  draftGraph: unknown;
}

/** Creating, editing and deleting flows (their drafts). Publishing is `versions`. */
export interface FlowsRepository {
  create(input: { name: string; description?: string; draftGraph: unknown }): Promise<Flow>;
  get(id: string): Promise<Flow | null>;
  /** Every flow, by name. */
  list(): Promise<FlowSummary[]>;
  /**
   * Replaces the draft graph (and name/description when given). Published
   * versions are untouched.
   * @throws {NotFoundError} when there is no flow `id`.
   */
  saveDraft(input: {
    id: string;
    draftGraph: unknown;
    name?: string;
    description?: string;
  }): Promise<Flow>;
  /**
   * Deletes a flow and its versions.
   * @throws {NotFoundError} when there is no flow `id`.
   * @throws {InUseError} while a number routes to it.
   */
  delete(id: string): Promise<void>;
}

interface FlowRow {
  id: string;
  name: string;
  description: string;
  draftGraph: string;
  lastVersion: number;
  createdAt: Date;
  updatedAt: Date;
}

function toSummary(row: Omit<FlowRow, "draftGraph">): FlowSummary {
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    latestVersion: row.lastVersion === 0 ? null : row.lastVersion,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

function toFlow(row: FlowRow): Flow {
  return { ...toSummary(row), draftGraph: fromJsonText(row.draftGraph, `Flow ${row.id}`) };
}

/** Creates the flows repository over `prisma`. */
export function createFlowsRepository(prisma: RingflowPrismaClient): FlowsRepository {
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
      return rows.map(toSummary);
    },

    async saveDraft({ id, draftGraph, name, description }) {
      const row = await translatePrismaErrors(
        () =>
          prisma.flow.update({
            where: { id },
            data: { draftGraph: toJsonText(draftGraph, "draftGraph"), name, description },
          }),
        { P2025: (cause) => new NotFoundError("flow", id, { cause }) },
      );
      return toFlow(row);
    },

    async delete(id) {
      await translatePrismaErrors(() => prisma.flow.delete({ where: { id } }), {
        P2025: (cause) => new NotFoundError("flow", id, { cause }),
        P2003: (cause) => new InUseError("flow", id, { cause }),
      });
    },
  };
}
