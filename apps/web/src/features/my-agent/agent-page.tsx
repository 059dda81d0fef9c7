"use client";

import type { AgentSelfAction } from "@ringflow/core/agents";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import {
  AlertTriangleIcon,
  CoffeeIcon,
  InfoIcon,
  LinkIcon,
  LogInIcon,
  LogOutIcon,
  PhoneIcon,
  PlayIcon,
} from "lucide-react";
import { type ReactNode, useState } from "react";
import { toast } from "sonner";
import { PageHeader } from "@/components/common/page-header";
import { EmptyState, ErrorState } from "@/components/common/states";
import { Button } from "@/components/ui/button";
import { Skeleton } from "@/components/ui/skeleton";
import { apiFailure, describeFailure } from "@/lib/api-errors";
import { cn } from "@/lib/utils";
import { useTRPC } from "@/trpc/client";
import { AgentStatusBadge } from "../agents/status-badge";
import { agentBuckets, bucketOf } from "../wallboard/agent-states";
import { formatClock } from "../wallboard/board-format";
import { useNow } from "../wallboard/use-now";
import { useMyLiveAgent } from "./use-my-live-agent";

/**
 * How often the page reads its state again besides the pushed changes: a
 * fallback for a status set while no worker could tell the stream.
 */
const REFRESH_MS = 15_000;

const actionDone: Record<AgentSelfAction, string> = {
  logIn: "Logged in: calls can ring you",
  logOut: "Logged out: no calls will ring you",
  startBreak: "On a break: no new calls will ring you",
  endBreak: "Break over: calls can ring you",
};

/**
 * The agent's own page: their live state as the wall-board shows it, and
 * the buttons that do what *50 and *51 do from their phone.
 */
export function AgentPage() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const now = useNow(1000);
  const state = useQuery({ ...trpc.myAgent.state.queryOptions(), refetchInterval: REFRESH_MS });
  const act = useMutation(trpc.myAgent.act.mutationOptions());
  // Pushed: each change of the agent's live state also reads the configured status again.
  const stream = useMyLiveAgent(() => {
    void queryClient.invalidateQueries({ queryKey: trpc.myAgent.state.queryKey() });
  });
  const [problem, setProblem] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);

  const run = async (action: AgentSelfAction) => {
    setProblem(null);
    setNotice(null);
    try {
      const { delivered } = await act.mutateAsync({ action });
      if (delivered) toast.success(actionDone[action]);
      else
        setNotice(
          "Saved, but no worker answered just now: each picks the change up when it next reads the agents.",
        );
    } catch (error) {
      setProblem(describeFailure(apiFailure(error)));
    } finally {
      await queryClient.invalidateQueries({ queryKey: trpc.myAgent.state.queryKey() });
    }
  };

  const header = (
    <PageHeader
      title="My status"
      description="Whether calls ring you. The same as dialling *50 or *51 from your phone."
    />
  );

  if (state.isPending) {
    return (
      <>
        {header}
        <Skeleton className="h-72 max-w-2xl rounded-xl" />
      </>
    );
  }
  if (!state.data) {
    return (
      <>
        {header}
        <ErrorState error={state.error} onRetry={() => void state.refetch()} />
      </>
    );
  }
  const { agent } = state.data;
  // The stream's state once it is connected; until then, what the last read said.
  const live = stream.connected ? stream.agent : state.data.live;
  const liveReadable = stream.connected ? !stream.upstreamDown : state.data.liveReadable;
  // A refresh that failed after a good read: keep what was read, and say it may be old.
  const stale = state.isError;
  if (!agent) {
    return (
      <>
        {header}
        <EmptyState icon={LinkIcon} title="You are not linked to an agent yet">
          An admin links your user to the agent you answer calls as, on the Users page. Then this
          page shows your status and lets you log in, log out and take breaks.
        </EmptyState>
      </>
    );
  }

  const bucket = live ? agentBuckets.find((b) => b.key === bucketOf(live)) : undefined;
  const since = live ? Math.max(live.stateSince, live.statusSince) : null;
  const busy = act.isPending;
  const status = agent.status;

  return (
    <>
      {header}
      <section
        aria-label="Your status"
        data-testid="my-agent"
        data-status={status}
        data-bucket={bucket?.key ?? "unknown"}
        data-live={stream.connected ? "pushed" : "read"}
        className="flex max-w-2xl flex-col gap-6 rounded-xl border bg-card p-6 shadow-sm"
      >
        <div className="flex flex-wrap items-start justify-between gap-4">
          <div className="min-w-0">
            <h2 className="truncate text-lg font-semibold tracking-tight">{agent.name}</h2>
            <p className="flex items-center gap-1.5 font-mono text-xs text-muted-foreground">
              <PhoneIcon className="size-3" /> {agent.contact}
            </p>
          </div>
          <div className="flex items-center gap-2 text-sm text-muted-foreground">
            Set to <AgentStatusBadge status={status} />
          </div>
        </div>

        <div className="flex items-center gap-4 rounded-lg bg-muted/60 px-5 py-4">
          <span
            className={cn(
              "size-4 shrink-0 rounded-full",
              bucket?.dot ?? "bg-muted-foreground/30",
              bucket?.key === "ringing" && "animate-pulse",
            )}
          />
          <div className="min-w-0 flex-1">
            <p className="text-xs font-medium uppercase tracking-wide text-muted-foreground">Now</p>
            <p className="text-3xl font-semibold tracking-tight" data-testid="live-state">
              {bucket?.label ?? (liveReadable ? "Not seen by a worker yet" : "Unknown")}
            </p>
          </div>
          {since !== null ? (
            <div className="text-right">
              <p className="text-xs font-medium uppercase tracking-wide text-muted-foreground">
                For
              </p>
              <p className="font-mono text-xl tabular-nums">{formatClock(now - since)}</p>
            </div>
          ) : null}
        </div>

        {stale ? (
          <Note tone="warn">
            Could not refresh just now ({describeFailure(apiFailure(state.error))}); this may be out
            of date. Trying again…
          </Note>
        ) : !liveReadable ? (
          <Note tone="warn">
            No worker answered, so your live state is unknown. What you set is saved and picked up
            when a worker reads the agents.
          </Note>
        ) : !live ? (
          <Note tone="info">
            The workers have not seen you yet: they will once they next read the agents.
          </Note>
        ) : null}

        <div className="flex flex-wrap gap-3">
          {status === "loggedOut" ? (
            <Button size="lg" disabled={busy} onClick={() => void run("logIn")}>
              <LogInIcon /> Log in
            </Button>
          ) : (
            <>
              {status === "onBreak" ? (
                <Button size="lg" disabled={busy} onClick={() => void run("endBreak")}>
                  <PlayIcon /> End break
                </Button>
              ) : (
                <Button size="lg" disabled={busy} onClick={() => void run("startBreak")}>
                  <CoffeeIcon /> Take a break
                </Button>
              )}
              <Button
                size="lg"
                variant="outline"
                disabled={busy}
                onClick={() => void run("logOut")}
              >
                <LogOutIcon /> Log out
              </Button>
            </>
          )}
        </div>

        {problem ? <Note tone="error">{problem}</Note> : null}
        {notice ? <Note tone="warn">{notice}</Note> : null}

        <p className="border-t pt-4 text-xs text-muted-foreground">
          From your phone: <kbd className="font-mono">*50</kbd> logs you in or out,{" "}
          <kbd className="font-mono">*51</kbd> starts or ends a break. A call you are on is never
          cut off; a break or log-out only stops new calls.
        </p>
      </section>
    </>
  );
}

const noteTones = {
  info: { icon: InfoIcon, className: "border-sky-500/30 bg-sky-500/5" },
  warn: { icon: AlertTriangleIcon, className: "border-amber-500/40 bg-amber-500/10" },
  error: { icon: AlertTriangleIcon, className: "border-destructive/30 bg-destructive/5" },
} as const;

/** A line the agent should read: something to know, something unsure, or a refusal. */
function Note({ tone, children }: { tone: keyof typeof noteTones; children: ReactNode }) {
  const { icon: Icon, className } = noteTones[tone];
  return (
    <div
      role={tone === "error" ? "alert" : "status"}
      data-testid={`note-${tone}`}
      className={cn("flex items-start gap-2.5 rounded-lg border px-4 py-3 text-sm", className)}
    >
      <Icon className={cn("mt-0.5 size-4 shrink-0", tone === "error" ? "text-destructive" : "")} />
      <p>{children}</p>
    </div>
  );
}
