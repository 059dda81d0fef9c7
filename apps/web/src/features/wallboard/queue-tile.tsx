"use client";

import { CrownIcon, PauseIcon, PhoneForwardedIcon, PlayIcon } from "lucide-react";
import { memo } from "react";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { cn } from "@/lib/utils";
import { agentBuckets } from "./agent-states";
import {
  formatClock,
  formatEstimate,
  formatPercent,
  SERVICE_LEVEL_TARGET,
  waitToneOf,
} from "./board-format";
import type { BoardQueue } from "./board-model";

const toneRing = {
  ok: "border-t-emerald-500",
  warn: "border-t-amber-400",
  alert: "border-t-red-500",
  idle: "border-t-border",
} as const;

const toneText = {
  ok: "text-foreground",
  warn: "text-amber-600 dark:text-amber-300",
  alert: "text-red-600 dark:text-red-400",
  idle: "text-foreground",
} as const;

/** One queue on the board; `onPause` is left out in TV mode (no controls). */
export const QueueTile = memo(function QueueTile({
  queue,
  now,
  onPause,
  maxCallers = 6,
}: {
  queue: BoardQueue;
  now: number;
  onPause?: ((queue: BoardQueue) => void) | undefined;
  /** How many waiting callers to list; the rest are counted. */
  maxCallers?: number;
}) {
  const f = queue.figures;
  const c = queue.counts;
  const shown = queue.waiting.slice(0, maxCallers);
  const threshold = f?.serviceLevelSeconds ?? 20;
  const waitTone = waitToneOf(queue.longestWaitMs, threshold);
  const serviceLevelTone =
    f?.serviceLevel === null || f?.serviceLevel === undefined
      ? "text-muted-foreground"
      : f.serviceLevel >= SERVICE_LEVEL_TARGET
        ? "text-emerald-600 dark:text-emerald-400"
        : f.serviceLevel >= 0.6
          ? "text-amber-600 dark:text-amber-300"
          : "text-red-600 dark:text-red-400";
  return (
    <section
      aria-label={`Queue ${queue.name}`}
      data-testid="queue-tile"
      data-queue-id={queue.queueId}
      data-tone={queue.tone}
      className={cn(
        "flex min-w-0 flex-col gap-4 rounded-xl border border-t-4 bg-card p-5 shadow-sm",
        toneRing[queue.tone],
      )}
    >
      <header className="flex items-start justify-between gap-3">
        <div className="min-w-0">
          <h2 className="truncate text-lg font-semibold tracking-tight">{queue.name}</h2>
          <p className="font-mono text-xs text-muted-foreground">{queue.queueId}</p>
        </div>
        <div className="flex shrink-0 items-center gap-2">
          {queue.paused ? (
            <Badge variant="warning" data-testid="paused-badge">
              <PauseIcon /> Paused
            </Badge>
          ) : null}
          {onPause ? (
            <Button
              variant="outline"
              size="sm"
              onClick={() => onPause(queue)}
              aria-label={queue.paused ? `Resume ${queue.name}` : `Pause ${queue.name}`}
            >
              {queue.paused ? <PlayIcon /> : <PauseIcon />}
              {queue.paused ? "Resume" : "Pause"}
            </Button>
          ) : null}
        </div>
      </header>

      <div className="grid grid-cols-3 gap-3">
        <Figure label="Waiting" testId="waiting-count">
          <span
            className={cn(
              "text-5xl font-semibold tabular-nums",
              queue.waiting.length === 0 ? "text-muted-foreground" : toneText[waitTone],
            )}
          >
            {queue.waiting.length}
          </span>
        </Figure>
        <Figure label="Longest wait">
          <span
            className={cn(
              "text-3xl font-semibold tabular-nums",
              queue.waiting.length === 0 ? "text-muted-foreground" : toneText[waitTone],
            )}
            data-testid="longest-wait"
          >
            {formatClock(queue.longestWaitMs)}
          </span>
        </Figure>
        <Figure label="In slot">
          <span className="text-3xl font-semibold tabular-nums">
            {queue.inSlot}
            <span className="text-lg text-muted-foreground"> / {queue.maxConcurrent ?? "—"}</span>
          </span>
        </Figure>
      </div>

      <div className="grid grid-cols-3 gap-x-2 gap-y-3 rounded-lg bg-muted/60 p-3 text-center">
        <SmallFigure label={`SL (${threshold} s)`} testId="service-level">
          <span className={serviceLevelTone}>{formatPercent(f?.serviceLevel ?? null)}</span>
        </SmallFigure>
        <SmallFigure label="Answered" testId="answered-today">
          {c?.completed ?? 0}
        </SmallFigure>
        <SmallFigure label="Abandoned" testId="abandoned-today">
          {c?.abandoned ?? 0}
        </SmallFigure>
        <SmallFigure label="Avg wait">
          {f?.averageWaitMs === null || f?.averageWaitMs === undefined
            ? "—"
            : formatClock(f.averageWaitMs)}
        </SmallFigure>
        <SmallFigure label="Timed out" testId="timed-out-today">
          {c?.timedOut ?? 0}
        </SmallFigure>
        <SmallFigure label="Callbacks" testId="callbacks-pending">
          <span title={c && c.callbacksFailed > 0 ? `${c.callbacksFailed} failed` : undefined}>
            {c?.callbacksPending ?? 0}
          </span>
        </SmallFigure>
      </div>

      <AgentStrip queue={queue} />

      <div className="min-h-0">
        <h3 className="mb-1.5 text-xs font-medium uppercase tracking-wide text-muted-foreground">
          Callers waiting
        </h3>
        {shown.length === 0 ? (
          <p className="py-2 text-sm text-muted-foreground">Nobody is waiting.</p>
        ) : (
          <ol className="divide-y text-sm" data-testid="waiting-callers">
            {shown.map((caller) => (
              <li
                key={caller.callUuid}
                data-call-uuid={caller.callUuid}
                className="grid grid-cols-[2rem_1fr_auto_auto] items-center gap-3 py-1.5"
              >
                <span className="font-mono text-muted-foreground tabular-nums">
                  {caller.position}
                </span>
                <span className="flex min-w-0 items-center gap-1.5 truncate font-medium">
                  {caller.vip ? (
                    <CrownIcon
                      className="size-3.5 shrink-0 text-amber-500"
                      aria-label="VIP"
                      data-testid="vip-mark"
                    />
                  ) : null}
                  {caller.callback ? (
                    <span title="Callback: hung up, to be called back" className="shrink-0">
                      <PhoneForwardedIcon
                        className="size-3.5 text-sky-600 dark:text-sky-400"
                        aria-label="Callback"
                        data-testid="callback-mark"
                      />
                    </span>
                  ) : null}
                  <span className="truncate">{caller.callerNumber ?? "Unknown number"}</span>
                </span>
                <span
                  className={cn(
                    "font-mono tabular-nums",
                    toneText[waitToneOf(now - caller.enqueuedAt, threshold)],
                  )}
                >
                  {formatClock(now - caller.enqueuedAt)}
                </span>
                <span className="w-16 text-right text-muted-foreground" title="Estimated wait">
                  {formatEstimate(caller.estimateMs)}
                </span>
              </li>
            ))}
          </ol>
        )}
        {queue.waiting.length > shown.length ? (
          <p className="pt-1 text-xs text-muted-foreground">
            and {queue.waiting.length - shown.length} more
          </p>
        ) : null}
      </div>
    </section>
  );
});

function Figure({
  label,
  children,
  testId,
}: {
  label: string;
  children: React.ReactNode;
  testId?: string;
}) {
  return (
    <div className="flex min-w-0 flex-col" data-testid={testId}>
      <span className="text-xs font-medium uppercase tracking-wide text-muted-foreground">
        {label}
      </span>
      {children}
    </div>
  );
}

function SmallFigure({
  label,
  children,
  testId,
}: {
  label: string;
  children: React.ReactNode;
  testId?: string;
}) {
  return (
    <div className="flex min-w-0 flex-col gap-0.5" data-testid={testId}>
      <span className="text-xl font-semibold tabular-nums">{children}</span>
      <span className="truncate text-[0.7rem] text-muted-foreground">{label}</span>
    </div>
  );
}

/** Agents of the queue's groups by state: a bar, and the counts under it. */
function AgentStrip({ queue }: { queue: BoardQueue }) {
  const total = queue.agentTotal;
  return (
    <div>
      <div className="mb-1.5 flex items-baseline justify-between text-xs">
        <span className="font-medium uppercase tracking-wide text-muted-foreground">Agents</span>
        <span className="text-muted-foreground tabular-nums">{total}</span>
      </div>
      <div className="flex h-2 overflow-hidden rounded-full bg-muted">
        {total > 0
          ? agentBuckets.map((bucket) =>
              queue.agents[bucket.key] > 0 ? (
                <span
                  key={bucket.key}
                  className={bucket.dot}
                  style={{ width: `${(queue.agents[bucket.key] / total) * 100}%` }}
                />
              ) : null,
            )
          : null}
      </div>
      <ul className="mt-2 flex flex-wrap gap-x-3 gap-y-1 text-xs" data-testid="agent-counts">
        {agentBuckets.map((bucket) => (
          <li key={bucket.key} className="flex items-center gap-1.5" data-bucket={bucket.key}>
            <span className={cn("size-2 rounded-full", bucket.dot)} />
            <span className="text-muted-foreground">{bucket.label}</span>
            <span className="font-semibold tabular-nums">{queue.agents[bucket.key]}</span>
          </li>
        ))}
      </ul>
    </div>
  );
}
