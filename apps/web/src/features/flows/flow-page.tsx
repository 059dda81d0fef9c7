"use client";

import { useQuery } from "@tanstack/react-query";
import { ArrowLeftIcon, GitBranchIcon, PencilRulerIcon, PhoneIcon } from "lucide-react";
import Link from "next/link";
import { PageHeader } from "@/components/common/page-header";
import { EmptyState, ErrorState, TableSkeleton } from "@/components/common/states";
import { useCanEdit } from "@/components/layout/user-context";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { formatDateTime, formatRelative } from "@/lib/format-time";
import { useTRPC } from "@/trpc/client";

/** One flow: its live version at a glance, its numbers, and the way to the editor. */
export function FlowPage({ id }: { id: string }) {
  const trpc = useTRPC();
  const canEdit = useCanEdit();
  const flow = useQuery(trpc.flows.get.queryOptions({ id }));
  const versions = useQuery(trpc.versions.list.queryOptions({ flowId: id, limit: 5 }));
  if (flow.isPending) return <TableSkeleton rows={4} columns={2} />;
  if (flow.isError) return <ErrorState error={flow.error} onRetry={() => void flow.refetch()} />;
  if (!flow.data) {
    return (
      <EmptyState
        icon={GitBranchIcon}
        title="This flow does not exist"
        action={
          <Button asChild variant="outline">
            <Link href="/flows">All flows</Link>
          </Button>
        }
      >
        It may have been deleted.
      </EmptyState>
    );
  }
  const { live, numbers } = flow.data;
  return (
    <>
      <Link
        href="/flows"
        className="mb-3 inline-flex items-center gap-1 text-sm text-muted-foreground hover:text-foreground"
      >
        <ArrowLeftIcon className="size-4" /> Flows
      </Link>
      <PageHeader
        title={flow.data.name}
        description={
          flow.data.description || `Draft last edited ${formatRelative(flow.data.updatedAt)}.`
        }
        actions={
          <Button asChild>
            <Link href={`/flows/${id}/edit`}>
              <PencilRulerIcon /> {canEdit ? "Open in editor" : "View in editor"}
            </Link>
          </Button>
        }
      />
      <div className="grid gap-6 lg:grid-cols-3">
        <Card className="lg:col-span-2">
          <CardHeader>
            <CardTitle className="flex items-center gap-2">
              Live version {live ? <Badge variant="success">v{live.version}</Badge> : null}
            </CardTitle>
            <CardDescription>
              {live
                ? `Published ${formatDateTime(live.publishedAt)} by ${live.publishedBy}${live.comment ? ` — “${live.comment}”` : ""}.`
                : "Not published yet: calls to its numbers are refused until it is."}
            </CardDescription>
          </CardHeader>
          {live ? (
            <CardContent className="grid gap-5">
              <div>
                <h3 className="mb-2 text-sm font-medium">{live.nodeCount} steps</h3>
                <div className="flex flex-wrap gap-2">
                  {live.nodesByType.map((n) => (
                    <Badge key={n.type} variant="secondary">
                      {n.count} × {n.label}
                    </Badge>
                  ))}
                </div>
              </div>
              <div className="grid gap-4 sm:grid-cols-2">
                <div>
                  <h3 className="mb-2 text-sm font-medium">Queues it uses</h3>
                  {live.queues.length ? (
                    <ul className="flex flex-wrap gap-2">
                      {live.queues.map((q) => (
                        <li key={q.id} className="text-sm">
                          {q.name ?? <span className="text-destructive">missing</span>}{" "}
                          <code className="rounded bg-muted px-1.5 py-0.5 text-xs">{q.id}</code>
                        </li>
                      ))}
                    </ul>
                  ) : (
                    <p className="text-sm text-muted-foreground">none</p>
                  )}
                </div>
                <div>
                  <h3 className="mb-2 text-sm font-medium">Agent groups it rings</h3>
                  {live.agentGroups.length ? (
                    <ul className="flex flex-wrap gap-2">
                      {live.agentGroups.map((g) => (
                        <li key={g.id} className="text-sm">
                          {g.name ? (
                            <Link href={`/groups/${g.id}`} className="hover:underline">
                              {g.name}
                            </Link>
                          ) : (
                            <span className="text-destructive">missing group {g.id}</span>
                          )}
                        </li>
                      ))}
                    </ul>
                  ) : (
                    <p className="text-sm text-muted-foreground">none</p>
                  )}
                </div>
              </div>
            </CardContent>
          ) : null}
        </Card>
        <div className="grid h-fit gap-6">
          <Card>
            <CardHeader>
              <CardTitle className="flex items-center gap-2">
                <PhoneIcon className="size-4" /> Numbers
              </CardTitle>
            </CardHeader>
            <CardContent>
              {numbers.length ? (
                <ul className="grid gap-1 font-mono text-sm">
                  {numbers.map((n) => (
                    <li key={n}>{n}</li>
                  ))}
                </ul>
              ) : (
                <p className="text-sm text-muted-foreground">
                  No number routes here.{" "}
                  {canEdit ? (
                    <Link href="/numbers" className="underline">
                      Route one
                    </Link>
                  ) : null}
                </p>
              )}
            </CardContent>
          </Card>
          <Card>
            <CardHeader>
              <CardTitle>Recent versions</CardTitle>
            </CardHeader>
            <CardContent>
              {versions.data?.items.length ? (
                <ol className="grid gap-2 text-sm">
                  {versions.data.items.map((v) => (
                    <li key={v.id} className="flex items-baseline justify-between gap-2">
                      <span>
                        <span className="font-medium">v{v.version}</span>{" "}
                        <span className="text-muted-foreground">{v.comment ?? ""}</span>
                      </span>
                      <span
                        className="shrink-0 text-xs text-muted-foreground"
                        title={formatDateTime(v.publishedAt)}
                      >
                        {formatRelative(v.publishedAt)}
                      </span>
                    </li>
                  ))}
                </ol>
              ) : (
                <p className="text-sm text-muted-foreground">
                  {versions.isPending ? "Loading…" : "None yet."}
                </p>
              )}
            </CardContent>
          </Card>
        </div>
      </div>
    </>
  );
}
