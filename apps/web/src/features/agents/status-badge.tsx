import { Badge } from "@/components/ui/badge";
import { type agentStatuses, agentStatusLabels } from "./agent-schema";

const variants = { available: "success", onBreak: "warning", loggedOut: "secondary" } as const;

/** An agent's configured status as a coloured badge. */
export function AgentStatusBadge({ status }: { status: (typeof agentStatuses)[number] }) {
  return <Badge variant={variants[status]}>{agentStatusLabels[status]}</Badge>;
}
