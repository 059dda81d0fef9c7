import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { RATE_LIMIT_KEY_PREFIX } from "../src/repositories/rate-limits.js";
import { type BehaviourFixture, unique } from "./behaviour-fixture.js";
import { queryRaw } from "./raw-sql.js";

/** Fixed-window attempt counting in the `RateLimit` table. */
export function describeRateLimits(fixture: () => BehaviourFixture): void {
  describe("rate limits", () => {
    it("allows max attempts per window, then says how long to wait", async () => {
      const { db } = fixture();
      const key = unique("acct");
      const t0 = Date.UTC(2026, 5, 1, 12);
      const at = (ms: number) =>
        db.rateLimits.consume({ key, windowMs: 1_000, max: 3, now: new Date(t0 + ms) });
      expect(await at(0)).toMatchObject({ allowed: true, remaining: 2, retryAfterMs: 0 });
      expect(await at(100)).toMatchObject({ allowed: true, remaining: 1, retryAfterMs: 0 });
      expect(await at(200)).toMatchObject({ allowed: true, remaining: 0, retryAfterMs: 0 });
      expect(await at(300)).toMatchObject({ allowed: false, remaining: 0, retryAfterMs: 700 });
      expect(await at(999)).toMatchObject({ allowed: false, remaining: 0, retryAfterMs: 1 });
      // The window opened at the first attempt; the next one opens at 1,000.
      expect(await at(1_000)).toMatchObject({ allowed: true, remaining: 2, retryAfterMs: 0 });
      expect(await at(1_500)).toMatchObject({ allowed: true, remaining: 1, retryAfterMs: 0 });
      // Another key counts on its own.
      expect(
        await db.rateLimits.consume({
          key: `${key}-other`,
          windowMs: 1_000,
          max: 3,
          now: new Date(t0),
        }),
      ).toMatchObject({ allowed: true, remaining: 2, retryAfterMs: 0 });
    });

    it("gives back an attempt not used, in its own window only", async () => {
      const { db } = fixture();
      const key = unique("dial");
      const t0 = Date.UTC(2026, 5, 1, 12);
      const at = (ms: number) =>
        db.rateLimits.consume({ key, windowMs: 1_000, max: 2, now: new Date(t0 + ms) });
      const first = await at(0);
      expect(first).toMatchObject({ allowed: true, remaining: 1, windowStartedAt: t0 });
      expect(await at(100)).toMatchObject({ allowed: true, remaining: 0 });
      // The second was not used: given back, the next attempt is allowed.
      expect(await db.rateLimits.giveBack({ key, windowStartedAt: first.windowStartedAt })).toBe(
        true,
      );
      expect(await at(200)).toMatchObject({ allowed: true, remaining: 0 });
      // A new window: the old window's attempt is not taken from it.
      const next = await at(1_000);
      expect(next).toMatchObject({ allowed: true, remaining: 1, windowStartedAt: t0 + 1_000 });
      expect(await db.rateLimits.giveBack({ key, windowStartedAt: t0 })).toBe(false);
      expect(await at(1_100)).toMatchObject({ allowed: true, remaining: 0 });
      expect(await db.rateLimits.giveBack({ key: unique("none"), windowStartedAt: t0 })).toBe(
        false,
      );
    });

    it("lets exactly max of many concurrent attempts through", async () => {
      const { db } = fixture();
      const key = unique("addr");
      const now = new Date();
      const decisions = await Promise.all(
        Array.from({ length: 24 }, () =>
          db.rateLimits.consume({ key, windowMs: 60_000, max: 5, now }),
        ),
      );
      expect(decisions.filter((d) => d.allowed)).toHaveLength(5);
      expect(decisions.map((d) => d.remaining).sort((a, b) => a - b)).toEqual([
        ...Array.from({ length: 20 }, () => 0),
        1,
        2,
        3,
        4,
      ]);
      expect(decisions.filter((d) => !d.allowed).every((d) => d.retryAfterMs === 60_000)).toBe(
        true,
      );
    });

    it("keeps its rows under its own prefix, apart from Better Auth's", async () => {
      const { db, url } = fixture();
      const key = unique("127.0.0.1/sign-in/email");
      // A row as Better Auth's limiter writes it, under the same text.
      await queryRaw(
        url,
        `INSERT INTO "RateLimit" ("id", "key", "count", "lastRequest") VALUES ('${randomUUID()}', '${key}', 99, ${Date.now()})`,
      );
      expect(await db.rateLimits.consume({ key, windowMs: 60_000, max: 1 })).toMatchObject({
        allowed: true,
      });
      const rows = await queryRaw(
        url,
        `SELECT "key", "count" FROM "RateLimit" WHERE "key" LIKE '%${key}' ORDER BY "key"`,
      );
      expect(rows.map((row) => [row.key, Number(row.count)])).toEqual([
        [key, 99],
        [`${RATE_LIMIT_KEY_PREFIX}${key}`, 1],
      ]);
    });

    it("refuses nonsense limits", async () => {
      const { db } = fixture();
      await expect(db.rateLimits.consume({ key: "k", windowMs: 0, max: 1 })).rejects.toThrow(
        RangeError,
      );
      await expect(db.rateLimits.consume({ key: "k", windowMs: 1, max: 0.5 })).rejects.toThrow(
        RangeError,
      );
    });
  });
}
