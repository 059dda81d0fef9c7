import { z } from "zod";
import { nameSchema } from "@/lib/schema-helpers";
import { adminProcedure, createTRPCRouter } from "../trpc/init";

/** A TV link as admins see it listed (never the token). */
export const wallboardTokenSchema = z.object({
  id: z.string(),
  name: z.string(),
  createdBy: z.string(),
  createdAt: z.date(),
  lastUsedAt: z.date().nullable(),
  revokedAt: z.date().nullable(),
});

/** Read-only wall-board links for TVs: admins create (the token is shown once) and revoke them. */
export const wallboardTokensRouter = createTRPCRouter({
  list: adminProcedure
    .output(z.array(wallboardTokenSchema))
    .query(({ ctx }) => ctx.services.db.wallboardTokens.list()),

  create: adminProcedure
    .input(z.object({ name: nameSchema }))
    .output(z.object({ token: z.string(), record: wallboardTokenSchema }))
    .mutation(({ ctx, input }) =>
      ctx.services.db.wallboardTokens.create({ name: input.name, createdBy: ctx.user.id }),
    ),

  revoke: adminProcedure
    .input(z.object({ id: z.string() }))
    .output(wallboardTokenSchema)
    .mutation(({ ctx, input }) => ctx.services.db.wallboardTokens.revoke(input.id)),
});
