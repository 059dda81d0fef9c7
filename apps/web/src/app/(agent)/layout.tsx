import type { ReactNode } from "react";
import { AppShell } from "@/components/layout/app-shell";
import { requireAgent } from "@/server/current-user";

export const dynamic = "force-dynamic";

/** The agent's frame: the same shell as the staff pages, with their one page in it. */
export default async function AgentLayout({ children }: { children: ReactNode }) {
  const user = await requireAgent();
  return <AppShell user={user}>{children}</AppShell>;
}
