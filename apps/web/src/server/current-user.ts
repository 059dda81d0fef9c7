import "server-only";
import { headers } from "next/headers";
import { redirect } from "next/navigation";
import type { SessionUser } from "./auth";
import { getServices } from "./services";
import { sessionUserOf } from "./trpc/context";

/**
 * The signed-in user of the page being rendered; sends everyone else to
 * sign in (or, before the first admin exists, to the setup page).
 */
export async function requireUser(): Promise<SessionUser> {
  const user = await sessionUserOf(await headers());
  if (user) return user;
  const { db } = await getServices();
  redirect((await db.users.count()) === 0 ? "/setup" : "/sign-in");
}

/** Like {@link requireUser}, for staff pages (admins, supervisors): an agent is sent to their own page. */
export async function requireStaff(): Promise<SessionUser> {
  const user = await requireUser();
  if (user.role === "agent") redirect("/agent");
  return user;
}

/** Like {@link requireUser}, for admin-only pages: a supervisor gets the not-allowed page. */
export async function requireAdmin(): Promise<SessionUser> {
  const user = await requireStaff();
  if (user.role !== "admin") redirect("/forbidden");
  return user;
}

/** Like {@link requireUser}, for the agent page: staff are sent to the staff pages. */
export async function requireAgent(): Promise<SessionUser> {
  const user = await requireUser();
  if (user.role !== "agent") redirect("/flows");
  return user;
}

/** Where a signed-in user starts: agents on their own page, staff on the flows. */
export function homeOf(user: SessionUser): string {
  return user.role === "agent" ? "/agent" : "/flows";
}
