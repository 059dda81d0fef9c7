"use client";

import { createContext, type ReactNode, useContext } from "react";
import type { SessionUser } from "@/server/auth";

const UserContext = createContext<SessionUser | null>(null);

export function UserProvider({ user, children }: { user: SessionUser; children: ReactNode }) {
  return <UserContext.Provider value={user}>{children}</UserContext.Provider>;
}

/** The signed-in user. Hide what their role cannot do; the server refuses it anyway. */
export function useCurrentUser(): SessionUser {
  const user = useContext(UserContext);
  if (!user) throw new Error("useCurrentUser outside the signed-in shell");
  return user;
}

/** True when the signed-in user may change things (admins). */
export function useCanEdit(): boolean {
  return useCurrentUser().role === "admin";
}
