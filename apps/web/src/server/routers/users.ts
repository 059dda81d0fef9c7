import { USER_ROLES } from "@ringflow/db";
import { TRPCError } from "@trpc/server";
import { z } from "zod";
import { passwordSchema, userCreateSchema } from "@/features/users/user-schema";
import { okSchema } from "@/lib/schema-helpers";
import { adminProcedure, createTRPCRouter, FieldError } from "../trpc/init";

/** A user of the web app as admins see them. */
export const userSchema = z.object({
  id: z.string(),
  email: z.string(),
  name: z.string(),
  role: z.enum(USER_ROLES),
  active: z.boolean(),
  createdAt: z.date(),
  updatedAt: z.date(),
});

/**
 * Users: admins invite people by setting a first password, change roles,
 * reset passwords and deactivate. Better Auth's admin API does the work,
 * with the caller's session, so it checks the caller's role a second time.
 */
export const usersRouter = createTRPCRouter({
  list: adminProcedure.output(z.array(userSchema)).query(({ ctx }) => ctx.services.db.users.list()),

  create: adminProcedure
    .meta({ fieldOf: { ALREADY_EXISTS: "email" } })
    .input(userCreateSchema)
    .output(z.object({ id: z.string() }))
    .mutation(async ({ ctx, input }) => {
      if (await ctx.services.db.users.findByEmail(input.email)) {
        throw new FieldError("CONFLICT", "email", "Someone has this e-mail already");
      }
      const { user } = await ctx.services.auth.api.createUser({
        body: input,
        headers: ctx.headers,
      });
      return { id: user.id };
    }),

  setRole: adminProcedure
    .input(z.object({ id: z.string(), role: z.enum(USER_ROLES) }))
    .output(okSchema)
    .mutation(async ({ ctx, input }) => {
      if (input.id === ctx.user.id && input.role !== "admin") {
        throw new TRPCError({
          code: "BAD_REQUEST",
          message: "You cannot take away your own admin role",
        });
      }
      await ctx.services.auth.api.setRole({
        body: { userId: input.id, role: input.role },
        headers: ctx.headers,
      });
      return { ok: true as const };
    }),

  setPassword: adminProcedure
    .input(z.object({ id: z.string(), password: passwordSchema }))
    .output(okSchema)
    .mutation(async ({ ctx, input }) => {
      await ctx.services.auth.api.setUserPassword({
        body: { userId: input.id, newPassword: input.password },
        headers: ctx.headers,
      });
      return { ok: true as const };
    }),

  /** Deactivates (signs out everywhere, refuses sign-in) or reactivates a user. */
  setActive: adminProcedure
    .input(z.object({ id: z.string(), active: z.boolean() }))
    .output(okSchema)
    .mutation(async ({ ctx, input }) => {
      if (input.id === ctx.user.id) {
        throw new TRPCError({ code: "BAD_REQUEST", message: "You cannot deactivate yourself" });
      }
      if (input.active) {
        await ctx.services.auth.api.unbanUser({ body: { userId: input.id }, headers: ctx.headers });
      } else {
        await ctx.services.auth.api.banUser({
          body: { userId: input.id, banReason: "Deactivated by an admin" },
          headers: ctx.headers,
        });
      }
      return { ok: true as const };
    }),
});
