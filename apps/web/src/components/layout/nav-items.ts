import {
  ActivityIcon,
  GitBranchIcon,
  HeadsetIcon,
  ListOrderedIcon,
  type LucideIcon,
  MonitorIcon,
  PhoneCallIcon,
  PhoneIcon,
  UserCogIcon,
  UsersIcon,
} from "lucide-react";

/** One entry of the sidebar. */
export interface NavItem {
  readonly href: string;
  readonly label: string;
  readonly icon: LucideIcon;
  /** Shown to admins only (the server refuses the rest anyway). */
  readonly adminOnly?: boolean;
}

/** The sidebar, in order. */
export const navItems: readonly NavItem[] = [
  { href: "/flows", label: "Flows", icon: GitBranchIcon },
  { href: "/queues", label: "Queues", icon: ListOrderedIcon },
  { href: "/agents", label: "Agents", icon: HeadsetIcon },
  { href: "/groups", label: "Agent groups", icon: UsersIcon },
  { href: "/numbers", label: "Numbers", icon: PhoneIcon },
  { href: "/calls", label: "Calls", icon: PhoneCallIcon },
  { href: "/wallboard", label: "Wall-board", icon: MonitorIcon },
  { href: "/users", label: "Users", icon: UserCogIcon, adminOnly: true },
];

/** The mark beside the name. */
export const BrandIcon = ActivityIcon;
