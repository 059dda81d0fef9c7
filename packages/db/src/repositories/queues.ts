import { AlreadyExistsError, InUseError, NotFoundError } from "../errors.js";
import type { RingflowPrismaClient } from "../prisma-client.js";
import { liveFlowsNaming } from "./live-references.js";
import { translatePrismaErrors } from "./records.js";
import { atRevision, nextRevision, type RevisionCheck, writeAtRevision } from "./revision.js";

/** A queue's settings. Times are in milliseconds; null means "no limit" / "none". */
export interface QueueConfig {
  /** The queue id core's `Queue` uses, e.g. `support`. */
  id: string;
  name: string;
  /** How many calls may hold a slot (be with an agent) at once. */
  maxConcurrent: number;
  /** How many calls may wait; further callers are turned away. */
  maxWaiting: number | null;
  /** How long a caller may wait before the queue gives up on them. */
  timeoutMs: number | null;
  /** What callers hear while waiting (a FreeSWITCH sound path or stream). */
  holdMusic: string | null;
  /** How often callers hear their position / the announcement. */
  announcementIntervalMs: number | null;
  /** A call answered within this many seconds of entering is within service level (default 20). */
  serviceLevelSeconds: number;
  /** The IANA time zone whose midnight starts the queue's day (today's counts), default `UTC`. */
  timeZone: string;
  /** Bumped by every change; updates name the one they read. */
  revision: number;
  createdAt: Date;
  updatedAt: Date;
}

/**
 * The fields {@link QueuesRepository.save} and `create` take; omitted
 * optional fields become null (the service level and time zone: their defaults).
 */
export type QueueConfigInput = Pick<QueueConfig, "id" | "name" | "maxConcurrent"> &
  Partial<
    Pick<
      QueueConfig,
      | "maxWaiting"
      | "timeoutMs"
      | "holdMusic"
      | "announcementIntervalMs"
      | "serviceLevelSeconds"
      | "timeZone"
    >
  >;

/** What {@link QueuesRepository.update} takes: omitted fields keep their value, null clears. */
export type QueueConfigUpdate = { id: string; expectedRevision: number } & Partial<
  Omit<QueueConfigInput, "id">
>;

/** Queue settings, keyed by queue id. */
export interface QueuesRepository {
  /** Creates the queue. @throws {AlreadyExistsError} when a queue has that id. */
  create(input: QueueConfigInput): Promise<QueueConfig>;
  /**
   * Changes the given settings.
   * @throws {NotFoundError} when there is no queue `id`.
   * @throws {ConflictError} when its revision is no longer `expectedRevision`.
   */
  update(input: QueueConfigUpdate): Promise<QueueConfig>;
  /** Creates the queue or replaces all of its settings, whatever its revision (the seed's way). */
  save(input: QueueConfigInput): Promise<QueueConfig>;
  get(id: string): Promise<QueueConfig | null>;
  /** Every queue, by id. */
  list(): Promise<QueueConfig[]>;
  /**
   * Deletes a queue's settings.
   * @throws {InUseError} while the live version of a flow names the queue; `usedBy` lists the flows.
   * @throws {NotFoundError} when there is no queue `id`.
   * @throws {ConflictError} when its revision is no longer `expectedRevision`.
   */
  delete(id: string, check?: RevisionCheck): Promise<void>;
}

/** Default of {@link QueueConfig.serviceLevelSeconds}: the industry's usual 80/20 target. */
export const DEFAULT_SERVICE_LEVEL_SECONDS = 20;
/** Default of {@link QueueConfig.timeZone}. */
export const DEFAULT_QUEUE_TIME_ZONE = "UTC";

function settingsOf(input: QueueConfigInput) {
  return {
    name: input.name,
    maxConcurrent: input.maxConcurrent,
    maxWaiting: input.maxWaiting ?? null,
    timeoutMs: input.timeoutMs ?? null,
    holdMusic: input.holdMusic ?? null,
    announcementIntervalMs: input.announcementIntervalMs ?? null,
    serviceLevelSeconds: input.serviceLevelSeconds ?? DEFAULT_SERVICE_LEVEL_SECONDS,
    timeZone: input.timeZone ?? DEFAULT_QUEUE_TIME_ZONE,
  };
}

/** Creates the queues repository over `prisma`. */
export function createQueuesRepository(prisma: RingflowPrismaClient): QueuesRepository {
  const revisionOf = (id: string) => () =>
    prisma.queueConfig.findUnique({ where: { id }, select: { revision: true } });

  return {
    create(input) {
      return translatePrismaErrors(
        () => prisma.queueConfig.create({ data: { id: input.id, ...settingsOf(input) } }),
        { P2002: (cause) => new AlreadyExistsError("queue", { cause }) },
      );
    },

    update({ id, expectedRevision, ...changes }) {
      return writeAtRevision({
        entity: "queue",
        key: id,
        expectedRevision,
        write: () =>
          prisma.queueConfig.update({
            where: { id, ...atRevision(expectedRevision) },
            data: { ...changes, ...nextRevision },
          }),
        current: revisionOf(id),
      });
    },

    async save(input) {
      const data = settingsOf(input);
      return prisma.queueConfig.upsert({
        where: { id: input.id },
        create: { id: input.id, ...data },
        update: { ...data, ...nextRevision },
      });
    },

    async get(id) {
      return prisma.queueConfig.findUnique({ where: { id } });
    },

    async list() {
      return prisma.queueConfig.findMany({ orderBy: { id: "asc" } });
    },

    async delete(id, { expectedRevision } = {}) {
      const usedBy = await liveFlowsNaming(prisma, (refs) => refs.queueIds, id);
      if (usedBy.length > 0) {
        if (!(await prisma.queueConfig.findUnique({ where: { id }, select: { id: true } }))) {
          throw new NotFoundError("queue", id);
        }
        throw new InUseError("queue", id, { usedBy });
      }
      await writeAtRevision({
        entity: "queue",
        key: id,
        expectedRevision,
        write: () => prisma.queueConfig.delete({ where: { id, ...atRevision(expectedRevision) } }),
        current: revisionOf(id),
      });
    },
  };
}
