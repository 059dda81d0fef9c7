import { z } from "zod";
import { nameSchema } from "@/lib/schema-helpers";

/**
 * The roles: admins change everything; supervisors watch (wall-board, call
 * history, read-only views); agents set their own status on their agent page.
 */
export const userRoles = ["admin", "supervisor", "agent"] as const;
export type UserRole = (typeof userRoles)[number];

/** A password as Ringflow accepts one (Better Auth is told the same bounds). */
export const passwordSchema = z
  .string()
  .min(12, "At least 12 characters")
  .max(256, "At most 256 characters");

/** An e-mail address, stored lower-cased. */
export const emailSchema = z.email("Enter an e-mail address").transform((e) => e.toLowerCase());

/** A new user: an admin invites them by setting their first password. */
export const userCreateSchema = z.object({
  email: emailSchema,
  name: nameSchema,
  role: z.enum(userRoles),
  password: passwordSchema,
});
