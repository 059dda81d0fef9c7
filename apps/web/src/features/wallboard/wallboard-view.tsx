"use client";

import { useQuery } from "@tanstack/react-query";
import { type ReactNode, useMemo } from "react";
import { ErrorState } from "@/components/common/states";
import { Skeleton } from "@/components/ui/skeleton";
import { cn } from "@/lib/utils";
import { useTRPC } from "@/trpc/client";
import { AgentsPanel } from "./agents-panel";
import { BoardCharts } from "./board-charts";
import { type BoardQueue, boardAgents, boardQueues } from "./board-model";
import { BoardRefused } from "./board-refused";
import { LiveMarker } from "./live-marker";
import { QueueTile } from "./queue-tile";
import { useLiveBoard } from "./use-live-board";
import { useNow } from "./use-now";

/**
 * The wall-board: one tile per queue, the agents, and the charts. For
 * supervisors (`mode: "supervisor"`) with controls; on a TV (`mode: "tv"`,
 * through its link's token) read-only, dark and in large type.
 */
export function WallboardView({
  mode,
  tvToken,
  header,
  onPause,
}: {
  mode: "supervisor" | "tv";
  tvToken?: string | undefined;
  /** Extra header actions (supervisors: TV links). */
  header?: ReactNode;
  /** Pauses or resumes a queue (supervisors); absent on a TV. */
  onPause?: ((queue: BoardQueue) => void) | undefined;
}) {
  const trpc = useTRPC();
  const now = useNow(1000);
  const input = tvToken ? { tvToken } : {};
  const board = useLiveBoard(tvToken, now);
  // Today's figures change with each finished call (refreshed on callEnded) and at midnight.
  const figures = useQuery({
    ...trpc.wallboard.figures.queryOptions(input),
    refetchInterval: 60_000,
  });
  const history = useQuery({
    ...trpc.wallboard.history.queryOptions({ ...input, hours: 4 }),
    refetchInterval: 60_000,
  });
  // Counts per state: today's outcomes and callbacks (waiting and in slot come live, below).
  const counts = useQuery({
    ...trpc.queues.counts.queryOptions(input),
    refetchInterval: 60_000,
  });
  const roster = useQuery({
    ...trpc.wallboard.roster.queryOptions(input),
    refetchInterval: 60_000,
  });

  const queues = useMemo(
    () =>
      boardQueues({
        snapshot: board.snapshot,
        figures: figures.data ?? [],
        counts: counts.data?.queues,
        roster: roster.data,
        now,
      }),
    [board.snapshot, figures.data, counts.data, roster.data, now],
  );
  const agents = useMemo(
    () => boardAgents(board.snapshot, roster.data),
    [board.snapshot, roster.data],
  );
  // `queues` is new every clock tick (waits are counted from `now`); the
  // charts are memoised and take only the names, so they re-render when a
  // name changes or the history is refetched, never on a tick.
  const namesKey = JSON.stringify(queues.map((q) => [q.queueId, q.name]));
  const names = useMemo(
    () => new Map<string, string>(JSON.parse(namesKey) as Array<[string, string]>),
    [namesKey],
  );
  const tv = mode === "tv";

  if (board.refusedWith) {
    return <BoardRefused />;
  }

  const totalWaiting = queues.reduce((sum, q) => sum + q.waiting.length, 0);
  const clock = new Date(now).toLocaleTimeString("en-GB", { hour: "2-digit", minute: "2-digit" });

  return (
    <div className={cn("flex flex-col gap-4", tv && "h-svh overflow-hidden p-6")}>
      <div className="flex flex-wrap items-center justify-between gap-4">
        <div className="flex items-baseline gap-4">
          <h1 className={cn("font-semibold tracking-tight", tv ? "text-4xl" : "text-2xl")}>
            Wall-board
          </h1>
          <span className="text-muted-foreground tabular-nums" data-testid="total-waiting">
            {totalWaiting} waiting · {agents.filter((a) => a.live.status !== "loggedOut").length}{" "}
            agents logged in
          </span>
        </div>
        <div className="flex items-center gap-3">
          {tv ? <span className="text-3xl font-semibold tabular-nums">{clock}</span> : null}
          <LiveMarker marker={board.marker} connected={board.snapshot !== null} />
          {header}
        </div>
      </div>

      {figures.isError ? (
        <ErrorState error={figures.error} onRetry={() => void figures.refetch()} />
      ) : null}

      <div
        className={cn(
          "grid gap-4",
          tv
            ? "min-h-0 flex-1 grid-cols-[minmax(0,1fr)_22rem]"
            : "xl:grid-cols-[minmax(0,1fr)_20rem]",
        )}
      >
        <div className={cn("flex min-w-0 flex-col gap-4", tv && "min-h-0")}>
          {board.snapshot === null && figures.isPending ? (
            <div className="grid gap-4 md:grid-cols-2 2xl:grid-cols-3">
              {["a", "b", "c"].map((key) => (
                <Skeleton key={key} className="h-80 rounded-xl" />
              ))}
            </div>
          ) : queues.length === 0 ? (
            <p className="rounded-xl border border-dashed px-6 py-14 text-center text-sm text-muted-foreground">
              No queue yet. Create one on the Queues page and use it in a flow's Queue step.
            </p>
          ) : (
            <div
              className="grid gap-4"
              style={{ gridTemplateColumns: `repeat(auto-fit, minmax(${tv ? 24 : 20}rem, 1fr))` }}
              data-testid="queue-tiles"
            >
              {queues.map((queue) => (
                <QueueTile
                  key={queue.queueId}
                  queue={queue}
                  now={now}
                  onPause={tv ? undefined : onPause}
                  maxCallers={tv ? 5 : 6}
                />
              ))}
            </div>
          )}
          {history.data ? (
            <div className={cn(tv && "min-h-48 flex-1")}>
              <BoardCharts history={history.data} names={names} tv={tv} />
            </div>
          ) : null}
        </div>
        <div className={cn(tv && "min-h-0 overflow-hidden")}>
          <AgentsPanel agents={agents} now={now} controls={!tv} />
        </div>
      </div>
    </div>
  );
}
