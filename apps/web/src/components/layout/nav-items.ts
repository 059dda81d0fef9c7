import {
  ActivityIcon,
  GitBranchIcon,
  HeadsetIcon,
  ListOrderedIcon,
  type LucideIcon,
  MonitorIcon,
  PhoneCallIcon,
  PhoneForwardedIcon,
  PhoneIcon,
  UserCircleIcon,
  UserCogIcon,
  UsersIcon,
} from "lucide-react";
import type { SessionRole } from "@/server/auth";

/** One entry of the sidebar. */
export interface NavItem {
  readonly href: string;
  readonly label: string;
  readonly icon: LucideIcon;
  /**
   * Who sees it: staff (admins and supervisors, the default), admins only,
   * or agents only (the server refuses the rest anyway).
   */
  readonly for?: "staff" | "admin" | "agent";
}

/** The sidebar, in order. */
export const navItems: readonly NavItem[] = [
  { href: "/flows", label: "Flows", icon: GitBranchIcon },
  { href: "/queues", label: "Queues", icon: ListOrderedIcon },
  { href: "/agents", label: "Agents", icon: HeadsetIcon },
  { href: "/groups", label: "Agent groups", icon: UsersIcon },
  { href: "/numbers", label: "Numbers", icon: PhoneIcon },
  { href: "/calls", label: "Calls", icon: PhoneCallIcon },
  { href: "/callbacks", label: "Callbacks", icon: PhoneForwardedIcon },
  { href: "/wallboard", label: "Wall-board", icon: MonitorIcon },
  { href: "/users", label: "Users", icon: UserCogIcon, for: "admin" },
  { href: "/agent", label: "My status", icon: UserCircleIcon, for: "agent" },
];

/** The sidebar entries `role` sees. */
export function navItemsFor(role: SessionRole): readonly NavItem[] {
  return navItems.filter((item) => {
    const audience = item.for ?? "staff";
    if (audience === "agent") return role === "agent";
    if (audience === "admin") return role === "admin";
    return role !== "agent";
  });
}

/** The mark beside the name. */
export const BrandIcon = ActivityIcon;
