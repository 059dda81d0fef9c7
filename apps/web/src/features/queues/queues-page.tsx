"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { ListOrderedIcon, PencilIcon, PlusIcon } from "lucide-react";
import Link from "next/link";
import { useState } from "react";
import { toast } from "sonner";
import { ConfirmDelete } from "@/components/common/confirm-delete";
import { PageHeader } from "@/components/common/page-header";
import { matchesSearch, SearchInput } from "@/components/common/search-input";
import { EmptyState, ErrorState, TableSkeleton } from "@/components/common/states";
import { useCanEdit } from "@/components/layout/user-context";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import {
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableHeader,
  TableRow,
} from "@/components/ui/table";
import { formatSeconds } from "@/lib/number-input";
import { useTRPC } from "@/trpc/client";
import type { RouterOutputs } from "@/trpc/types";
import { QueueDialog } from "./queue-dialog";

type Queue = RouterOutputs["queues"]["list"][number];
type Counts = RouterOutputs["queues"]["counts"]["queues"][number];

/** How often the page reads the counts again. */
const COUNTS_REFRESH_MS = 5_000;

/** The queues: their limits and waits; admins create, edit and delete them. */
export function QueuesPage() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const canEdit = useCanEdit();
  const queues = useQuery(trpc.queues.list.queryOptions());
  const counts = useQuery({
    ...trpc.queues.counts.queryOptions({}),
    refetchInterval: COUNTS_REFRESH_MS,
  });
  const countsOf = new Map((counts.data?.queues ?? []).map((c) => [c.queueId, c]));
  const remove = useMutation(trpc.queues.delete.mutationOptions());
  const [search, setSearch] = useState("");
  const [editing, setEditing] = useState<{ queue?: Queue } | null>(null);

  const rows = (queues.data ?? []).filter((q) => matchesSearch(search, q.name, q.id));
  const newButton = canEdit ? (
    <Button onClick={() => setEditing({})}>
      <PlusIcon /> New queue
    </Button>
  ) : null;

  return (
    <>
      <PageHeader
        title="Queues"
        description="Lines callers wait in, and how many of them can be with agents at once."
        actions={newButton}
      />
      {queues.isPending ? (
        <TableSkeleton columns={6} />
      ) : queues.isError ? (
        <ErrorState error={queues.error} onRetry={() => void queues.refetch()} />
      ) : queues.data.length === 0 ? (
        <EmptyState icon={ListOrderedIcon} title="No queues yet" action={newButton}>
          A queue holds callers in order until an agent is free. Create one, then use it in a flow's
          Queue step.
        </EmptyState>
      ) : (
        <div className="grid gap-3">
          <div className="flex flex-wrap items-center justify-between gap-3">
            <SearchInput value={search} onChange={setSearch} placeholder="Search queues" />
            <CountsNote live={counts.data?.live} failed={counts.isError} />
          </div>
          <div className="rounded-xl border">
            <Table>
              <TableHeader>
                <TableRow>
                  <TableHead>Name</TableHead>
                  <TableHead>Id</TableHead>
                  <TableHead className="text-right">Max concurrent</TableHead>
                  <TableHead className="text-right">Max waiting</TableHead>
                  <TableHead>Longest wait</TableHead>
                  <TableHead>Announcements</TableHead>
                  <TableHead className="text-right">Waiting</TableHead>
                  <TableHead className="text-right">In slot</TableHead>
                  <TableHead className="text-right" title="Answered · abandoned · timed out">
                    Today
                  </TableHead>
                  <TableHead className="text-right" title="Pending · failed">
                    Callbacks
                  </TableHead>
                  {canEdit ? <TableHead className="w-24" /> : null}
                </TableRow>
              </TableHeader>
              <TableBody>
                {rows.map((queue) => (
                  <TableRow key={queue.id}>
                    <TableCell className="font-medium">{queue.name}</TableCell>
                    <TableCell>
                      <code className="rounded bg-muted px-1.5 py-0.5 text-xs">{queue.id}</code>
                    </TableCell>
                    <TableCell className="text-right tabular-nums">{queue.maxConcurrent}</TableCell>
                    <TableCell className="text-right tabular-nums">
                      {queue.maxWaiting ?? <span className="text-muted-foreground">no limit</span>}
                    </TableCell>
                    <TableCell>
                      {queue.timeoutSeconds === null
                        ? "no limit"
                        : formatSeconds(queue.timeoutSeconds)}
                    </TableCell>
                    <TableCell>
                      {queue.announceEverySeconds === null ? (
                        <Badge variant="outline">off</Badge>
                      ) : (
                        `every ${formatSeconds(queue.announceEverySeconds)}`
                      )}
                    </TableCell>
                    <QueueCountCells counts={countsOf.get(queue.id)} />
                    {canEdit ? (
                      <TableCell className="text-right">
                        <Button
                          variant="ghost"
                          size="icon-sm"
                          aria-label={`Edit queue ${queue.name}`}
                          onClick={() => setEditing({ queue })}
                        >
                          <PencilIcon />
                        </Button>
                        <ConfirmDelete
                          what={`queue ${queue.name}`}
                          onConfirm={async () => {
                            await remove.mutateAsync({
                              id: queue.id,
                              expectedRevision: queue.revision,
                            });
                            toast.success(`Queue ${queue.name} deleted`);
                            await queryClient.invalidateQueries({
                              queryKey: trpc.queues.list.queryKey(),
                            });
                          }}
                        >
                          Callers already in its line keep waiting; flows can no longer use it.
                        </ConfirmDelete>
                      </TableCell>
                    ) : null}
                  </TableRow>
                ))}
                {rows.length === 0 ? (
                  <TableRow>
                    <TableCell colSpan={11} className="py-8 text-center text-muted-foreground">
                      No queue matches “{search}”.
                    </TableCell>
                  </TableRow>
                ) : null}
              </TableBody>
            </Table>
          </div>
        </div>
      )}
      <QueueDialog
        open={editing !== null}
        onOpenChange={(open) => !open && setEditing(null)}
        queue={editing?.queue}
      />
    </>
  );
}

/** The live and today's counts of one queue (`queues.counts`), a dash while unknown. */
function QueueCountCells({ counts }: { counts: Counts | undefined }) {
  const unknown = <span className="text-muted-foreground">—</span>;
  return (
    <>
      <TableCell className="text-right tabular-nums" data-testid="queue-waiting">
        {counts?.waiting ?? unknown}
      </TableCell>
      <TableCell className="text-right tabular-nums" data-testid="queue-in-slot">
        {counts?.inSlot ?? unknown}
      </TableCell>
      <TableCell className="text-right tabular-nums whitespace-nowrap" data-testid="queue-today">
        {counts ? (
          <span title="Answered · abandoned · timed out">
            <span className="text-emerald-700 dark:text-emerald-400">{counts.completed}</span>
            <span className="text-muted-foreground"> · </span>
            <span className="text-amber-700 dark:text-amber-300">{counts.abandoned}</span>
            <span className="text-muted-foreground"> · </span>
            <span className="text-red-700 dark:text-red-400">{counts.timedOut}</span>
          </span>
        ) : (
          unknown
        )}
      </TableCell>
      <TableCell className="text-right tabular-nums" data-testid="queue-callbacks">
        {counts ? (
          <Link
            href={`/callbacks?${new URLSearchParams({ queue: counts.queueId })}`}
            title="Pending · failed: see them"
            className="underline-offset-2 hover:underline"
          >
            {counts.callbacksPending}
            <span className="text-muted-foreground"> · {counts.callbacksFailed}</span>
          </Link>
        ) : (
          unknown
        )}
      </TableCell>
    </>
  );
}

/** Says when the live counts are unknown (no worker answered), or the counts failed to load. */
function CountsNote({ live, failed }: { live: boolean | undefined; failed: boolean }) {
  if (failed) {
    return <span className="text-sm text-destructive">The counts could not be loaded.</span>;
  }
  if (live === false) {
    return (
      <span className="text-sm text-muted-foreground">
        No worker answered: waiting and in-slot counts are unknown.
      </span>
    );
  }
  return (
    <span className="text-sm text-muted-foreground">
      Today: answered · abandoned · timed out since midnight in each queue's time zone. Callbacks:
      pending · failed.
    </span>
  );
}
