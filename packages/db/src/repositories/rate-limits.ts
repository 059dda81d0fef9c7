import { randomUUID } from "node:crypto";
import type { RingflowPrismaClient } from "../prisma-client.js";
import { toNumber } from "./records.js";

/**
 * What keys of {@link RateLimitsRepository.consume} are stored under in the
 * `RateLimit` table, which Better Auth's own limiter shares: its keys are an
 * address and a path, never this.
 */
export const RATE_LIMIT_KEY_PREFIX = "ringflow:";

/** The answer to one attempt. */
export interface RateLimitDecision {
  /** Whether this attempt is within the limit. */
  allowed: boolean;
  /** Attempts still allowed in the current window after this one. */
  remaining: number;
  /** When refused: milliseconds until the window ends and attempts are allowed again; else 0. */
  retryAfterMs: number;
  /** When the window this attempt was counted in opened (epoch ms): what {@link RateLimitsRepository.giveBack} names. */
  windowStartedAt: number;
}

/** Counting attempts per key (an account, an address...) against a limit. */
export interface RateLimitsRepository {
  /**
   * Counts one attempt for `key` in a fixed window: the first attempt opens
   * a window of `windowMs`, in which `max` attempts are allowed; the first
   * attempt after it opens the next. Refused attempts count too. One atomic
   * upsert, so concurrent attempts (threads or processes) never both take
   * the last place.
   */
  consume(input: {
    key: string;
    windowMs: number;
    max: number;
    /** The time of the attempt; default now. */
    now?: Date;
  }): Promise<RateLimitDecision>;
  /**
   * Takes back one allowed attempt of `key` that was not used after all
   * (e.g. a dial that rang nobody), if its window — `windowStartedAt`, from
   * its decision — is still the current one; a later window is left alone.
   * Returns whether an attempt was given back.
   */
  giveBack(input: { key: string; windowStartedAt: number }): Promise<boolean>;
}

/** Creates the rate limits repository over `prisma`. */
export function createRateLimitsRepository(prisma: RingflowPrismaClient): RateLimitsRepository {
  return {
    async consume({ key, windowMs, max, now = new Date() }) {
      if (!(Number.isSafeInteger(windowMs) && windowMs > 0)) {
        throw new RangeError(`windowMs must be a positive whole number, not ${windowMs}`);
      }
      if (!(Number.isSafeInteger(max) && max > 0)) {
        throw new RangeError(`max must be a positive whole number, not ${max}`);
      }
      const at = BigInt(now.getTime());
      const expiredBefore = at - BigInt(windowMs);
      // "lastRequest" holds the start of the key's current window. Every SET
      // expression reads the row as it was, on both databases.
      const rows = await prisma.$queryRaw<{ count: unknown; lastRequest: unknown }[]>`
        INSERT INTO "RateLimit" ("id", "key", "count", "lastRequest")
        VALUES (${randomUUID()}, ${RATE_LIMIT_KEY_PREFIX + key}, 1, ${at})
        ON CONFLICT ("key") DO UPDATE SET
          "count" = CASE WHEN "RateLimit"."lastRequest" <= ${expiredBefore} THEN 1
                         ELSE "RateLimit"."count" + 1 END,
          "lastRequest" = CASE WHEN "RateLimit"."lastRequest" <= ${expiredBefore} THEN ${at}
                               ELSE "RateLimit"."lastRequest" END
        RETURNING "count", "lastRequest"`;
      const row = rows[0];
      const count = toNumber(row?.count);
      const windowStart = toNumber(row?.lastRequest);
      const allowed = count <= max;
      return {
        allowed,
        remaining: Math.max(0, max - count),
        retryAfterMs: allowed ? 0 : windowStart + windowMs - Number(at),
        windowStartedAt: windowStart,
      };
    },

    async giveBack({ key, windowStartedAt }) {
      const changed = await prisma.$executeRaw`
        UPDATE "RateLimit" SET "count" = "count" - 1
        WHERE "key" = ${RATE_LIMIT_KEY_PREFIX + key}
          AND "lastRequest" = ${BigInt(windowStartedAt)} AND "count" > 0`;
      return changed > 0;
    },
  };
}
