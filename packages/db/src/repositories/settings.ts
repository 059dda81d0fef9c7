import type { RingflowPrismaClient } from "../prisma-client.js";

/** Installation-wide values the app keeps for itself, by key. */
export interface SettingsRepository {
  get(key: string): Promise<string | null>;
  /**
   * The value of `key`, created with `create()` when absent. Concurrent
   * callers (two processes starting at once) all get the one value stored.
   */
  getOrCreate(key: string, create: () => string): Promise<string>;
  /** Removes `key` if its value is still `value` (so a stale caller never removes a newer one). */
  deleteIf(key: string, value: string): Promise<boolean>;
  /** Stores `value` under `key`, replacing any. */
  set(key: string, value: string): Promise<void>;
  /** Every key starting with `prefix`, with its value, by key. */
  listByPrefix(prefix: string): Promise<Array<{ key: string; value: string }>>;
}

/** Creates the settings repository over `prisma`. */
export function createSettingsRepository(prisma: RingflowPrismaClient): SettingsRepository {
  const get = async (key: string) =>
    (await prisma.setting.findUnique({ where: { key } }))?.value ?? null;
  return {
    get,
    async getOrCreate(key, create) {
      const existing = await get(key);
      if (existing !== null) return existing;
      // The first writer's value wins; Prisma's upsert is not atomic on
      // PostgreSQL (two racing creates fail with a unique violation).
      const now = new Date();
      await prisma.$executeRaw`
        INSERT INTO "Setting" ("key", "value", "createdAt", "updatedAt")
        VALUES (${key}, ${create()}, ${now}, ${now})
        ON CONFLICT ("key") DO NOTHING`;
      const stored = await get(key);
      if (stored === null) throw new Error(`setting ${key} vanished while being created`);
      return stored;
    },

    async set(key, value) {
      await prisma.setting.upsert({ where: { key }, create: { key, value }, update: { value } });
    },

    async listByPrefix(prefix) {
      const rows = await prisma.setting.findMany({
        where: { key: { startsWith: prefix } },
        orderBy: { key: "asc" },
        select: { key: true, value: true },
      });
      return rows;
    },

    async deleteIf(key, value) {
      const { count } = await prisma.setting.deleteMany({ where: { key, value } });
      return count > 0;
    },
  };
}
