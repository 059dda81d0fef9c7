import { z } from "zod";
import { emailSchema, passwordSchema } from "@/features/users/user-schema";
import { nameSchema, okSchema } from "@/lib/schema-helpers";
import { createFirstAdmin } from "../services";
import { createTRPCRouter, publicProcedure, signedInProcedure } from "../trpc/init";

const sessionUserSchema = z.object({
  id: z.string(),
  email: z.string(),
  name: z.string(),
  role: z.enum(["admin", "supervisor", "agent"]),
});

/** Who is signed in, first-run setup, and signing out everywhere. */
export const sessionRouter = createTRPCRouter({
  /** The signed-in user (null if none) and whether the first admin is still to be created. */
  state: publicProcedure
    .output(z.object({ user: sessionUserSchema.nullable(), setupNeeded: z.boolean() }))
    .query(async ({ ctx }) => ({
      user: ctx.user,
      setupNeeded: (await ctx.services.db.users.count()) === 0,
    })),

  /** Creates the first admin; refused (SETUP_DONE) once anyone exists. Then sign in. */
  setup: publicProcedure
    .input(
      z.object({
        email: emailSchema,
        name: nameSchema,
        password: passwordSchema,
      }),
    )
    .output(okSchema)
    .mutation(async ({ ctx, input }) => {
      await createFirstAdmin(ctx.services, input);
      return { ok: true as const };
    }),

  /** Ends every session of the signed-in user, this one included. */
  signOutEverywhere: signedInProcedure.output(okSchema).mutation(async ({ ctx }) => {
    await ctx.services.auth.api.revokeSessions({ headers: ctx.headers });
    return { ok: true as const };
  }),
});
