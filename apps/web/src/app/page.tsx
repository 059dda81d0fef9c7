import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { homeOf } from "@/server/current-user";
import { sessionUserOf } from "@/server/trpc/context";

export const dynamic = "force-dynamic";

/** Agents start on their own page, staff on the flows (signing in first if need be). */
export default async function Home() {
  const user = await sessionUserOf(await headers());
  redirect(user ? homeOf(user) : "/flows");
}
