import type { ReactNode } from "react";
import { AppShell } from "@/components/layout/app-shell";
import { requireStaff } from "@/server/current-user";

export const dynamic = "force-dynamic";

export default async function SignedInLayout({ children }: { children: ReactNode }) {
  // Agents have their own page (`(agent)/agent`) and nothing else.
  const user = await requireStaff();
  return <AppShell user={user}>{children}</AppShell>;
}
