import { createHash, randomBytes } from "node:crypto";
import { NotFoundError } from "../errors.js";
import type { RingflowPrismaClient } from "../prisma-client.js";

/** A read-only wall-board link (TV mode), as listed: never the token itself. */
export interface WallboardToken {
  id: string;
  name: string;
  /** The id of the admin who created it. */
  createdBy: string;
  createdAt: Date;
  /** The last time a board opened with it, null if never. */
  lastUsedAt: Date | null;
  /** When it was revoked, null while it works. */
  revokedAt: Date | null;
}

/** TV-mode tokens: created (shown once), checked, revoked. The database keeps only a SHA-256. */
export interface WallboardTokensRepository {
  /**
   * Creates a token named `name`: returns the token (256 random bits,
   * base64url) — the only time it is seen — and its record.
   */
  create(input: { name: string; createdBy: string }): Promise<{
    token: string;
    record: WallboardToken;
  }>;
  /** Every token, newest first, revoked ones included. */
  list(): Promise<WallboardToken[]>;
  /**
   * The token's record if it exists and is not revoked, else null; notes
   * the use (`lastUsedAt`, at most once a minute per token).
   */
  verify(token: string, now?: Date): Promise<WallboardToken | null>;
  /**
   * Revokes a token: boards using it stop at their next check.
   * Revoking a revoked token keeps its first revocation time.
   * @throws {NotFoundError} when there is no token `id`.
   */
  revoke(id: string, now?: Date): Promise<WallboardToken>;
}

const select = {
  id: true,
  name: true,
  createdBy: true,
  createdAt: true,
  lastUsedAt: true,
  revokedAt: true,
} as const;

/** SHA-256 (hex) of a token: the tokens are random, so a fast hash is enough. */
function hashOf(token: string): string {
  return createHash("sha256").update(token, "utf8").digest("hex");
}

const TOUCH_EVERY_MS = 60_000;

/** Creates the wall-board tokens repository over `prisma`. */
export function createWallboardTokensRepository(
  prisma: RingflowPrismaClient,
): WallboardTokensRepository {
  return {
    async create({ name, createdBy }) {
      const token = randomBytes(32).toString("base64url");
      const record = await prisma.wallboardToken.create({
        data: { name, createdBy, tokenHash: hashOf(token) },
        select,
      });
      return { token, record };
    },

    list() {
      return prisma.wallboardToken.findMany({ select, orderBy: [{ createdAt: "desc" }] });
    },

    async verify(token, now = new Date()) {
      if (token.length === 0 || token.length > 200) return null;
      const record = await prisma.wallboardToken.findUnique({
        where: { tokenHash: hashOf(token) },
        select,
      });
      if (!record || record.revokedAt !== null) return null;
      if (!record.lastUsedAt || now.getTime() - record.lastUsedAt.getTime() >= TOUCH_EVERY_MS) {
        await prisma.wallboardToken.updateMany({
          where: { id: record.id },
          data: { lastUsedAt: now },
        });
        return { ...record, lastUsedAt: now };
      }
      return record;
    },

    async revoke(id, now = new Date()) {
      await prisma.wallboardToken.updateMany({
        where: { id, revokedAt: null },
        data: { revokedAt: now },
      });
      const record = await prisma.wallboardToken.findUnique({ where: { id }, select });
      if (!record) throw new NotFoundError("wall-board token", id);
      return record;
    },
  };
}
