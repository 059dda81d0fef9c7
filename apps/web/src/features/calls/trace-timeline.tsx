import { getNodeType } from "@ringflow/core/flow";
import { AlertCircleIcon, ArrowRightIcon, CircleDotIcon, InfoIcon } from "lucide-react";
import { formatDuration, formatTimeOfDay } from "@/lib/format-time";
import { cn } from "@/lib/utils";
import type { RouterOutputs } from "@/trpc/types";

type Step = NonNullable<RouterOutputs["calls"]["get"]>["steps"][number];

/** What the worker stores per step: the node type, the output taken, and details. */
interface StepData {
  nodeType?: string;
  output?: string;
  detail?: Record<string, unknown>;
}

const kindIcons = {
  enter: CircleDotIcon,
  output: ArrowRightIcon,
  error: AlertCircleIcon,
  note: InfoIcon,
};

function describe(step: Step, data: StepData): string {
  const detail = data.detail ?? {};
  switch (step.kind) {
    case "enter": {
      const label = data.nodeType ? (getNodeType(data.nodeType)?.label ?? data.nodeType) : "step";
      return `Entered ${label}${step.nodeId ? ` · ${step.nodeId}` : ""}`;
    }
    case "output":
      return `Left by “${data.output ?? "?"}”`;
    case "error":
      return `Error ${String(detail.code ?? "")}: ${String(detail.message ?? "")}`;
    default:
      if (detail.event === "prompt" || detail.event === "announcement") {
        return typeof detail.text === "string" && detail.file === undefined
          ? `Said “${detail.text}”`
          : `Played ${String(detail.file ?? detail.text ?? "")}`;
      }
      return String(detail.event ?? "note");
  }
}

/** Details a step's sentence already says. */
const SAID = new Set(["event", "code", "message", "text", "file"]);

/** Details worth reading inline, as `key: value` pairs (everything else stays in the raw view). */
function detailPairs(data: StepData): [string, string][] {
  const detail = data.detail ?? {};
  const spoken = detail.event === "prompt" || detail.event === "announcement";
  return Object.entries(detail)
    .filter(([key]) =>
      spoken ? !SAID.has(key) : key !== "event" && key !== "code" && key !== "message",
    )
    .map(([key, value]) => [
      key,
      key.endsWith("Ms") && typeof value === "number"
        ? formatDuration(value)
        : typeof value === "object"
          ? JSON.stringify(value)
          : String(value),
    ]);
}

/** A call's trace as a timeline: each step's time, its node, what happened, and how long since the start. */
export function TraceTimeline({
  steps,
  startedAt,
  compact = false,
}: {
  steps: readonly Step[];
  startedAt: Date;
  /** A narrow column (the editor's test-call panel): only the time since the start. */
  compact?: boolean;
}) {
  return (
    <ol className="relative grid gap-0" aria-label="Trace">
      {steps.map((step) => {
        const data = (step.data ?? {}) as StepData;
        const Icon = kindIcons[step.kind as keyof typeof kindIcons] ?? InfoIcon;
        const pairs = detailPairs(data);
        return (
          <li
            key={step.seq}
            className={cn(
              "grid gap-x-3",
              compact
                ? "grid-cols-[3rem_1rem_minmax(0,1fr)] gap-x-2"
                : "grid-cols-[5.5rem_1.5rem_minmax(0,1fr)]",
            )}
            data-testid="trace-step"
          >
            <time
              className="pt-0.5 text-right font-mono text-xs text-muted-foreground"
              dateTime={step.at.toISOString()}
            >
              {compact ? null : formatTimeOfDay(step.at)}
              <span className={cn("block", !compact && "text-[10px]")}>
                +{formatDuration(step.at.getTime() - startedAt.getTime())}
              </span>
            </time>
            <div className="flex flex-col items-center">
              <Icon
                className={cn(
                  "size-4 shrink-0",
                  step.kind === "error"
                    ? "text-destructive"
                    : step.kind === "output"
                      ? "text-primary"
                      : "text-muted-foreground",
                )}
              />
              <span className="w-px flex-1 bg-border" />
            </div>
            <div className={cn("min-w-0 break-words", compact ? "pb-2.5" : "pb-4")}>
              <p className={cn("text-sm", step.kind === "enter" && "font-medium")}>
                {describe(step, data)}
              </p>
              {pairs.length ? (
                <dl className="mt-1 flex flex-wrap gap-x-4 gap-y-0.5 text-xs text-muted-foreground">
                  {pairs.map(([key, value]) => (
                    <div key={key} className="flex min-w-0 gap-1">
                      <dt>{key}</dt>
                      <dd className="min-w-0 break-all font-mono text-foreground/80">{value}</dd>
                    </div>
                  ))}
                </dl>
              ) : null}
            </div>
          </li>
        );
      })}
    </ol>
  );
}
