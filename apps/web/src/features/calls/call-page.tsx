"use client";

import { useQuery } from "@tanstack/react-query";
import { ArrowLeftIcon, PhoneCallIcon, WorkflowIcon } from "lucide-react";
import Link from "next/link";
import { PageHeader } from "@/components/common/page-header";
import { EmptyState, ErrorState, TableSkeleton } from "@/components/common/states";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { formatDateTime, formatDuration } from "@/lib/format-time";
import { useTRPC } from "@/trpc/client";
import { OutcomeBadge } from "./outcome-badge";
import { TraceTimeline } from "./trace-timeline";

function Field({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <div className="grid gap-0.5">
      <dt className="text-xs text-muted-foreground">{label}</dt>
      <dd className="text-sm">{children ?? <span className="text-muted-foreground">—</span>}</dd>
    </div>
  );
}

/** One call: its record and the steps it took through its flow. */
export function CallPage({ callUuid }: { callUuid: string }) {
  const trpc = useTRPC();
  const call = useQuery(
    trpc.calls.get.queryOptions(
      { callUuid },
      { refetchInterval: (q) => (q.state.data?.record.outcome === null ? 2000 : false) },
    ),
  );
  if (call.isPending) return <TableSkeleton rows={6} columns={3} />;
  if (call.isError) return <ErrorState error={call.error} onRetry={() => void call.refetch()} />;
  if (!call.data) {
    return (
      <EmptyState
        icon={PhoneCallIcon}
        title="No such call"
        action={
          <Button asChild variant="outline">
            <Link href="/calls">Call history</Link>
          </Button>
        }
      >
        The worker has not recorded a call with this id (or it was cleaned up).
      </EmptyState>
    );
  }
  const { record, steps, droppedSteps } = call.data;
  const length = record.endedAt ? record.endedAt.getTime() - record.startedAt.getTime() : null;
  return (
    <>
      <Link
        href="/calls"
        className="mb-3 inline-flex items-center gap-1 text-sm text-muted-foreground hover:text-foreground"
      >
        <ArrowLeftIcon className="size-4" /> Calls
      </Link>
      <PageHeader
        title={
          <span className="flex items-center gap-3">
            {record.callerNumber} → {record.numberDialled} <OutcomeBadge outcome={record.outcome} />
          </span>
        }
        description={`Started ${formatDateTime(record.startedAt)} · ${record.callUuid}`}
        actions={
          record.flowId && record.flowVersion !== null && steps.length > 0 ? (
            <Button asChild variant="outline">
              <Link
                href={`/flows/${record.flowId}/edit?call=${encodeURIComponent(record.callUuid)}`}
              >
                <WorkflowIcon /> Show on flow
              </Link>
            </Button>
          ) : undefined
        }
      />
      <div className="grid gap-6 lg:grid-cols-[360px_1fr]">
        <Card className="h-fit">
          <CardHeader>
            <CardTitle>Record</CardTitle>
          </CardHeader>
          <CardContent>
            <dl className="grid grid-cols-2 gap-4">
              <Field label="Caller">
                {record.callerName
                  ? `${record.callerName} (${record.callerNumber})`
                  : record.callerNumber}
              </Field>
              <Field label="Dialled">{record.numberDialled}</Field>
              <Field label="Flow">
                {record.flowId ? (
                  <Link href={`/flows/${record.flowId}`} className="hover:underline">
                    version {record.flowVersion}
                  </Link>
                ) : null}
              </Field>
              <Field label="Queue">{record.queueId}</Field>
              <Field label="Waited">{formatDuration(record.waitMs)}</Field>
              <Field label="Told to expect">
                {record.estimatedWaitMs === null ? null : formatDuration(record.estimatedWaitMs)}
              </Field>
              <Field label="Agent">{record.agentContact}</Field>
              <Field label="Joined the line">
                {record.enqueuedAt ? formatDateTime(record.enqueuedAt) : null}
              </Field>
              <Field label="Got a slot">
                {record.acquiredAt ? formatDateTime(record.acquiredAt) : null}
              </Field>
              <Field label="Agent answered">
                {record.answeredAt ? formatDateTime(record.answeredAt) : null}
              </Field>
              <Field label="Ended">
                {record.endedAt ? formatDateTime(record.endedAt) : "in progress"}
              </Field>
              <Field label="Length">{length === null ? null : formatDuration(length)}</Field>
              <Field label="Hang-up cause">{record.hangupCause}</Field>
              <Field label="Worker">{record.workerId}</Field>
            </dl>
          </CardContent>
        </Card>
        <Card>
          <CardHeader>
            <CardTitle>Trace</CardTitle>
          </CardHeader>
          <CardContent>
            {steps.length === 0 ? (
              <p className="text-sm text-muted-foreground">
                {record.outcome === null
                  ? "The trace is written when the call ends."
                  : "No steps were recorded."}
              </p>
            ) : (
              <TraceTimeline steps={steps} startedAt={record.startedAt} />
            )}
            {droppedSteps > 0 ? (
              <p className="mt-2 text-xs text-muted-foreground">
                {droppedSteps} later steps were not kept (the trace is capped).
              </p>
            ) : null}
          </CardContent>
        </Card>
      </div>
    </>
  );
}
