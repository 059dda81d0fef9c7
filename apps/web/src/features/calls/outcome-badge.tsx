import { Badge } from "@/components/ui/badge";
import { type callOutcomeFilters, outcomeLabels } from "./call-filters";

const variants = {
  answered: "success",
  voicemail: "info",
  abandoned: "warning",
  timeout: "warning",
  noAnswer: "secondary",
  failed: "destructive",
  callback: "info",
  workerLost: "destructive",
  inProgress: "outline",
} as const;

/** A call's outcome; a call without one is still in progress. */
export function OutcomeBadge({ outcome }: { outcome: (typeof callOutcomeFilters)[number] | null }) {
  const key = outcome ?? "inProgress";
  return <Badge variant={variants[key]}>{outcomeLabels[key]}</Badge>;
}
