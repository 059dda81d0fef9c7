import type { RingflowPrismaClient } from "../prisma-client.js";

/** Installation-wide values the app keeps for itself, by key. */
export interface SettingsRepository {
  get(key: string): Promise<string | null>;
  /**
   * The value of `key`, created with `create()` when absent. Concurrent
   * callers (two processes starting at once) all get the one value stored.
   */
  getOrCreate(key: string, create: () => string): Promise<string>;
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
      // An upsert that changes nothing on conflict: the first writer's value wins.
      const row = await prisma.setting.upsert({
        where: { key },
        create: { key, value: create() },
        update: {},
      });
      return row.value;
    },
  };
}
