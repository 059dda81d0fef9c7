import type { RingflowPrismaClient } from "../prisma-client.js";

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
  createdAt: Date;
  updatedAt: Date;
}

/** The fields {@link QueuesRepository.save} takes; omitted optional fields become null. */
export type QueueConfigInput = Pick<QueueConfig, "id" | "name" | "maxConcurrent"> &
  Partial<Pick<QueueConfig, "maxWaiting" | "timeoutMs" | "holdMusic" | "announcementIntervalMs">>;

/** Queue settings, keyed by queue id. */
export interface QueuesRepository {
  /** Creates the queue or replaces all of its settings. */
  save(input: QueueConfigInput): Promise<QueueConfig>;
  get(id: string): Promise<QueueConfig | null>;
  /** Every queue, by id. */
  list(): Promise<QueueConfig[]>;
  /** Deletes a queue's settings; false when there was none. */
  delete(id: string): Promise<boolean>;
}

/** Creates the queues repository over `prisma`. */
export function createQueuesRepository(prisma: RingflowPrismaClient): QueuesRepository {
  return {
    async save(input) {
      const data = {
        name: input.name,
        maxConcurrent: input.maxConcurrent,
        maxWaiting: input.maxWaiting ?? null,
        timeoutMs: input.timeoutMs ?? null,
        holdMusic: input.holdMusic ?? null,
        announcementIntervalMs: input.announcementIntervalMs ?? null,
      };
      return prisma.queueConfig.upsert({
        where: { id: input.id },
        create: { id: input.id, ...data },
        update: data,
      });
    },

    async get(id) {
      return prisma.queueConfig.findUnique({ where: { id } });
    },

    async list() {
      return prisma.queueConfig.findMany({ orderBy: { id: "asc" } });
    },

    async delete(id) {
      const { count } = await prisma.queueConfig.deleteMany({ where: { id } });
      return count > 0;
    },
  };
}
