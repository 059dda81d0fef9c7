"use client";

import { outcomeOfCause } from "@ringflow/core/ring-group";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { LoaderCircleIcon, PhoneForwardedIcon, XIcon } from "lucide-react";
import Link from "next/link";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useState } from "react";
import { toast } from "sonner";
import { PageHeader } from "@/components/common/page-header";
import { EmptyState, ErrorState, TableSkeleton } from "@/components/common/states";
import {
  AlertDialog,
  AlertDialogCancel,
  AlertDialogContent,
  AlertDialogDescription,
  AlertDialogFooter,
  AlertDialogHeader,
  AlertDialogTitle,
} from "@/components/ui/alert-dialog";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Label } from "@/components/ui/label";
import {
  Select,
  SelectContent,
  SelectItem,
  SelectTrigger,
  SelectValue,
} from "@/components/ui/select";
import {
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableHeader,
  TableRow,
} from "@/components/ui/table";
import { Tabs, TabsList, TabsTrigger } from "@/components/ui/tabs";
import { toastFailure } from "@/lib/api-errors";
import { formatDateTime, formatRelative } from "@/lib/format-time";
import { useTRPC } from "@/trpc/client";
import type { RouterOutputs } from "@/trpc/types";

type CallbackRequest = RouterOutputs["callbacks"]["list"][number];
type View = "open" | "ended";

/** How often the page reads the requests again. */
const REFRESH_MS = 5_000;
const ANY_QUEUE = "*";

/** Words for the results the dispatcher and the database give a request themselves. */
const RESULT_LABELS: Record<string, string> = {
  completed: "Bridged to an agent",
  connectedBeforeWorkerLost: "Bridged (its worker then stopped)",
  workerLost: "Its worker stopped mid-dial",
  noRingGroup: "No agents to ring in the flow",
  error: "Error",
};

/** Words for what the customer's phone did, from its hangup cause (core's reading of it). */
const CUSTOMER_LABELS: Record<ReturnType<typeof outcomeOfCause>, string> = {
  noAnswer: "No answer",
  busy: "Busy or declined",
  unreachable: "Could not be reached",
  cancelled: "Cancelled",
  lostRace: "Cancelled",
};

/** What a request's last attempt came to, in words; any other result is the customer leg's hangup cause. */
function resultLabel(result: string): string {
  return RESULT_LABELS[result] ?? `${CUSTOMER_LABELS[outcomeOfCause(result)]} (${result})`;
}

/** Callers who asked to be called back: waiting their turn, being dialled, or ended today. */
export function CallbacksPage() {
  const trpc = useTRPC();
  const [view, setView] = useState<View>("open");
  const router = useRouter();
  const pathname = usePathname();
  // The queue lives in the address (`?queue=`), so the queues page can link to its callbacks.
  const queueId = useSearchParams().get("queue") ?? ANY_QUEUE;
  const setQueueId = (next: string) =>
    router.replace(
      next === ANY_QUEUE ? pathname : `${pathname}?${new URLSearchParams({ queue: next })}`,
    );
  const [cancelling, setCancelling] = useState<CallbackRequest | null>(null);
  const queues = useQuery(trpc.queues.list.queryOptions());
  const input = { view, ...(queueId === ANY_QUEUE ? {} : { queueId }) };
  const requests = useQuery({
    ...trpc.callbacks.list.queryOptions(input),
    refetchInterval: REFRESH_MS,
  });
  const queueName = new Map((queues.data ?? []).map((q) => [q.id, q.name]));

  return (
    <>
      <PageHeader
        title="Callbacks"
        description="Callers who chose to be called back instead of waiting: they keep their place in the queue, and an agent calls them when their turn comes."
      />
      <div className="mb-3 flex flex-wrap items-end justify-between gap-3">
        <Tabs value={view} onValueChange={(next) => setView(next as View)}>
          <TabsList>
            <TabsTrigger value="open">Waiting</TabsTrigger>
            <TabsTrigger value="ended">Ended (last 24 h)</TabsTrigger>
          </TabsList>
        </Tabs>
        <div className="grid gap-1.5">
          <Label htmlFor="callbacks-queue">Queue</Label>
          <Select value={queueId} onValueChange={setQueueId}>
            <SelectTrigger id="callbacks-queue" className="min-w-48">
              <SelectValue />
            </SelectTrigger>
            <SelectContent>
              <SelectItem value={ANY_QUEUE}>Every queue</SelectItem>
              {(queues.data ?? []).map((q) => (
                <SelectItem key={q.id} value={q.id}>
                  {q.name}
                </SelectItem>
              ))}
            </SelectContent>
          </Select>
        </div>
      </div>
      {requests.isPending ? (
        <TableSkeleton columns={7} />
      ) : requests.isError ? (
        <ErrorState error={requests.error} onRetry={() => void requests.refetch()} />
      ) : requests.data.length === 0 ? (
        <EmptyState
          icon={PhoneForwardedIcon}
          title={view === "open" ? "No one is waiting for a callback" : "No callback ended today"}
        >
          {view === "open"
            ? "A queue step with a callback offer lets a caller whose wait is long press 1 to be called back; they appear here until an agent has called them."
            : "Callbacks made, failed or cancelled in the last 24 hours appear here."}
        </EmptyState>
      ) : (
        <div className="rounded-xl border">
          <Table>
            <TableHeader>
              <TableRow>
                <TableHead>Caller</TableHead>
                <TableHead>Queue</TableHead>
                <TableHead>Asked</TableHead>
                <TableHead>State</TableHead>
                <TableHead className="text-right">Attempts</TableHead>
                <TableHead>Last result</TableHead>
                {view === "open" ? <TableHead className="w-24" /> : null}
              </TableRow>
            </TableHeader>
            <TableBody>
              {requests.data.map((request) => (
                <TableRow key={request.id} data-testid="callback-row">
                  <TableCell>
                    <div className="font-medium tabular-nums">{request.number}</div>
                    {request.callerName ? (
                      <div className="text-xs text-muted-foreground">{request.callerName}</div>
                    ) : null}
                  </TableCell>
                  <TableCell>{queueName.get(request.queueId) ?? request.queueId}</TableCell>
                  <TableCell title={formatDateTime(request.requestedAt)}>
                    {formatRelative(request.requestedAt)}
                    {request.callUuid ? (
                      <Link
                        href={`/calls/${request.callUuid}`}
                        className="ml-2 text-xs text-muted-foreground underline-offset-2 hover:underline"
                      >
                        the call
                      </Link>
                    ) : null}
                  </TableCell>
                  <TableCell>
                    <StateBadge request={request} />
                  </TableCell>
                  <TableCell className="text-right tabular-nums">
                    {request.attempts} of {request.maxAttempts}
                  </TableCell>
                  <TableCell className="text-muted-foreground">
                    {request.lastResult === null ? "—" : resultLabel(request.lastResult)}
                  </TableCell>
                  {view === "open" ? (
                    <TableCell className="text-right">
                      <Button
                        variant="ghost"
                        size="sm"
                        aria-label={`Cancel the callback to ${request.number}`}
                        onClick={() => setCancelling(request)}
                      >
                        <XIcon /> Cancel
                      </Button>
                    </TableCell>
                  ) : null}
                </TableRow>
              ))}
            </TableBody>
          </Table>
        </div>
      )}
      <CancelCallback request={cancelling} onClose={() => setCancelling(null)} />
    </>
  );
}

/** Where a request is, in words: waiting its turn, retrying at a time, in line or dialled by a worker, or how it ended. */
function StateBadge({ request }: { request: CallbackRequest }) {
  switch (request.status) {
    case "pending":
      return request.nextAttemptAt.getTime() > Date.now() ? (
        <Badge variant="warning" title={formatDateTime(request.nextAttemptAt)}>
          Next try {formatRelative(request.nextAttemptAt)}
        </Badge>
      ) : (
        <Badge variant="info">Waiting its turn</Badge>
      );
    case "dialling":
      return (
        <Badge
          variant={request.dialling ? "success" : "info"}
          title={request.workerId ? `Worker ${request.workerId}` : undefined}
        >
          {request.dialling ? "Dialling" : "In line"}
        </Badge>
      );
    case "completed":
      return <Badge variant="success">Called back</Badge>;
    case "failed":
      return <Badge variant="destructive">Not reached</Badge>;
    case "cancelled":
      return <Badge variant="secondary">Cancelled</Badge>;
  }
}

/** Asks before cancelling a callback; says what happens to one being dialled. */
function CancelCallback({
  request,
  onClose,
}: {
  request: CallbackRequest | null;
  onClose: () => void;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const cancel = useMutation(trpc.callbacks.cancel.mutationOptions());
  const confirm = async () => {
    if (!request) return;
    try {
      const after = await cancel.mutateAsync({ id: request.id });
      if (after.status === "cancelled") toast.success(`Callback to ${request.number} cancelled`);
      else toast.info(`The callback to ${request.number} had already ended`);
      onClose();
    } catch (error) {
      toastFailure(error, "The callback could not be cancelled");
    } finally {
      await queryClient.invalidateQueries({ queryKey: trpc.callbacks.list.pathKey() });
      await queryClient.invalidateQueries({ queryKey: trpc.queues.counts.pathKey() });
    }
  };
  return (
    <AlertDialog open={request !== null} onOpenChange={(open) => !open && onClose()}>
      <AlertDialogContent>
        <AlertDialogHeader>
          <AlertDialogTitle>Cancel the callback to {request?.number}?</AlertDialogTitle>
          <AlertDialogDescription>
            They will not be called back, and lose their place in the queue.
            {request?.status === "dialling"
              ? " It is being dialled now: the worker hangs up what is ringing within a few seconds."
              : ""}
          </AlertDialogDescription>
        </AlertDialogHeader>
        <AlertDialogFooter>
          <AlertDialogCancel>Keep it</AlertDialogCancel>
          <Button variant="destructive" onClick={() => void confirm()} disabled={cancel.isPending}>
            {cancel.isPending ? <LoaderCircleIcon className="animate-spin" /> : <XIcon />}
            Cancel callback
          </Button>
        </AlertDialogFooter>
      </AlertDialogContent>
    </AlertDialog>
  );
}
