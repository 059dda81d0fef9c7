import type { ReactNode } from "react";
import { UserProvider } from "@/components/layout/user-context";
import { requireStaff } from "@/server/current-user";

export const dynamic = "force-dynamic";

/** The editor's frame: staff signed in, the whole window for the canvas (no sidebar). */
export default async function EditorLayout({ children }: { children: ReactNode }) {
  const user = await requireStaff();
  return (
    <UserProvider user={user}>
      <div className="h-svh overflow-hidden">{children}</div>
    </UserProvider>
  );
}
