import { NotFoundError, USER_ROLES } from "@ringflow/db";
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
  /** The agent this user signs in as (role `agent`), or null. */
  agentId: z.string().nullable(),
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
        // Better Auth types the role as its default roles; ours are configured in auth.ts.
        body: { userId: input.id, role: input.role as "admin" },
        headers: ctx.headers,
      });
      // Only agents are linked to an agent: a user who stops being one is unlinked.
      if (input.role !== "agent") {
        const linked = await ctx.services.db.agents.findByUserId(input.id);
        if (linked) await ctx.services.db.agents.linkUser({ agentId: linked.id, userId: null });
      }
      return { ok: true as const };
    }),

  /**
   * Links a user with the `agent` role to the agent they sign in as (taking
   * them from any other), or unlinks them with `agentId: null`.
   */
  linkAgent: adminProcedure
    .input(z.object({ userId: z.string(), agentId: z.string().nullable() }))
    .output(okSchema)
    .mutation(async ({ ctx, input }) => {
      const { db } = ctx.services;
      const user = await db.users.get(input.userId);
      if (!user) throw new NotFoundError("user", input.userId);
      if (input.agentId === null) {
        const linked = await db.agents.findByUserId(user.id);
        if (linked) await db.agents.linkUser({ agentId: linked.id, userId: null });
        return { ok: true as const };
      }
      if (user.role !== "agent") {
        throw new FieldError(
          "BAD_REQUEST",
          "agentId",
          `${user.name} is ${user.role === "admin" ? "an admin" : "a supervisor"}: only users with the agent role are linked to an agent`,
        );
      }
      await db.agents.linkUser({ agentId: input.agentId, userId: user.id });
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
