import type { NodeCategory, NodeIconName } from "@ringflow/core/flow";
import {
  BellRing,
  Clock,
  Grid3x3,
  ListOrdered,
  type LucideIcon,
  Megaphone,
  PhoneForwarded,
  PhoneIncoming,
  PhoneOff,
  Voicemail,
} from "lucide-react";

/** The component of each icon core's node types name (a closed list, so every name is here). */
export const nodeIcons = {
  "phone-incoming": PhoneIncoming,
  megaphone: Megaphone,
  "grid-3x3": Grid3x3,
  clock: Clock,
  "list-ordered": ListOrdered,
  "bell-ring": BellRing,
  "phone-forwarded": PhoneForwarded,
  voicemail: Voicemail,
  "phone-off": PhoneOff,
} satisfies Record<NodeIconName, LucideIcon>;

/** The colour of each palette group: its icon tile on the canvas and in the palette. */
export const categoryTone = {
  entry: "bg-emerald-500/15 text-emerald-700 dark:text-emerald-300",
  caller: "bg-sky-500/15 text-sky-700 dark:text-sky-300",
  routing: "bg-violet-500/15 text-violet-700 dark:text-violet-300",
  agents: "bg-amber-500/15 text-amber-700 dark:text-amber-300",
  end: "bg-rose-500/15 text-rose-700 dark:text-rose-300",
} satisfies Record<NodeCategory, string>;

/** The palette's heading of each group. */
export const categoryLabel = {
  entry: "Entry",
  caller: "Talk to the caller",
  routing: "Route",
  agents: "Reach agents",
  end: "End the call",
} satisfies Record<NodeCategory, string>;
