"use client";

import { useInfiniteQuery, useQuery } from "@tanstack/react-query";
import { LoaderCircleIcon, PhoneCallIcon, RefreshCwIcon } from "lucide-react";
import Link from "next/link";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useMemo } from "react";
import { PageHeader } from "@/components/common/page-header";
import { EmptyState, ErrorState, TableSkeleton } from "@/components/common/states";
import { Button } from "@/components/ui/button";
import {
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableHeader,
  TableRow,
} from "@/components/ui/table";
import { formatDateTime, formatDuration } from "@/lib/format-time";
import { useTRPC } from "@/trpc/client";
import { type CallFilters, callFiltersSchema } from "./call-filters";
import { CallFiltersBar } from "./call-filters-bar";
import { OutcomeBadge } from "./outcome-badge";

const PAGE = 50;

/** Filters live in the address, so a filtered view can be shared and survives a reload. */
function filtersFromParams(params: URLSearchParams): CallFilters {
  const date = (key: string) => {
    const value = params.get(key);
    const parsed = value ? new Date(value) : undefined;
    return parsed && !Number.isNaN(parsed.getTime()) ? parsed : undefined;
  };
  const text = (key: string) => params.get(key) ?? undefined;
  const parsed = callFiltersSchema.safeParse({
    since: date("since"),
    until: date("until"),
    queueId: text("queue"),
    outcome: text("outcome"),
    number: text("number"),
    agentContact: text("agent"),
  });
  return parsed.success ? parsed.data : {};
}

function paramsFromFilters(filters: CallFilters): string {
  const params = new URLSearchParams();
  if (filters.since) params.set("since", filters.since.toISOString());
  if (filters.until) params.set("until", filters.until.toISOString());
  if (filters.queueId) params.set("queue", filters.queueId);
  if (filters.outcome) params.set("outcome", filters.outcome);
  if (filters.number) params.set("number", filters.number);
  if (filters.agentContact) params.set("agent", filters.agentContact);
  return params.toString();
}

/** Call history: every call the workers recorded, newest first, filtered and paged. */
export function CallsPage() {
  const trpc = useTRPC();
  const router = useRouter();
  const pathname = usePathname();
  const searchParams = useSearchParams();
  const filters = useMemo(
    () => filtersFromParams(new URLSearchParams(searchParams.toString())),
    [searchParams],
  );
  const options = useQuery(trpc.calls.filterOptions.queryOptions());
  const calls = useInfiniteQuery(
    trpc.calls.list.infiniteQueryOptions(
      { filters, limit: PAGE },
      { getNextPageParam: (page) => page.nextCursor ?? undefined },
    ),
  );
  const rows = calls.data?.pages.flatMap((page) => page.items) ?? [];
  const filtered = Object.values(filters).some((v) => v !== undefined);

  return (
    <>
      <PageHeader
        title="Calls"
        description="Every call the workers handled: how it went, where it waited, who answered."
        actions={
          <Button
            variant="outline"
            onClick={() => void calls.refetch()}
            disabled={calls.isFetching}
          >
            <RefreshCwIcon className={calls.isFetching ? "animate-spin" : ""} /> Refresh
          </Button>
        }
      />
      <div className="grid gap-4">
        <CallFiltersBar
          filters={filters}
          options={options.data}
          onApply={(next) => {
            const query = paramsFromFilters(next);
            router.replace(query ? `${pathname}?${query}` : pathname);
          }}
        />
        {calls.isPending ? (
          <TableSkeleton rows={8} columns={7} />
        ) : calls.isError ? (
          <ErrorState error={calls.error} onRetry={() => void calls.refetch()} />
        ) : rows.length === 0 ? (
          <EmptyState
            icon={PhoneCallIcon}
            title={filtered ? "No call matches these filters" : "No calls yet"}
          >
            {filtered
              ? "Widen the dates or clear a filter."
              : "Calls appear here as soon as a worker takes them: publish a flow and route a number to it."}
          </EmptyState>
        ) : (
          <>
            <div className="rounded-xl border">
              <Table>
                <TableHeader>
                  <TableRow>
                    <TableHead>Started</TableHead>
                    <TableHead>Caller</TableHead>
                    <TableHead>Dialled</TableHead>
                    <TableHead>Queue</TableHead>
                    <TableHead>Outcome</TableHead>
                    <TableHead className="text-right">Waited</TableHead>
                    <TableHead>Agent</TableHead>
                    <TableHead className="text-right">Length</TableHead>
                  </TableRow>
                </TableHeader>
                <TableBody>
                  {rows.map((call) => (
                    <TableRow
                      key={call.callUuid}
                      className="cursor-pointer"
                      data-testid="call-row"
                      onClick={() => router.push(`/calls/${call.callUuid}`)}
                    >
                      <TableCell>
                        <Link
                          href={`/calls/${call.callUuid}`}
                          className="hover:underline"
                          onClick={(e) => e.stopPropagation()}
                        >
                          {formatDateTime(call.startedAt)}
                        </Link>
                      </TableCell>
                      <TableCell className="font-mono text-xs">
                        {call.callerNumber}
                        {call.callerName ? (
                          <span className="ml-1 font-sans text-muted-foreground">
                            {call.callerName}
                          </span>
                        ) : null}
                      </TableCell>
                      <TableCell className="font-mono text-xs">{call.numberDialled}</TableCell>
                      <TableCell>
                        {call.queueId ?? <span className="text-muted-foreground">—</span>}
                      </TableCell>
                      <TableCell>
                        <OutcomeBadge outcome={call.outcome} />
                      </TableCell>
                      <TableCell className="text-right tabular-nums">
                        {formatDuration(call.waitMs)}
                      </TableCell>
                      <TableCell className="font-mono text-xs">{call.agentContact ?? ""}</TableCell>
                      <TableCell className="text-right tabular-nums">
                        {call.endedAt
                          ? formatDuration(call.endedAt.getTime() - call.startedAt.getTime())
                          : "live"}
                      </TableCell>
                    </TableRow>
                  ))}
                </TableBody>
              </Table>
            </div>
            <div className="flex items-center justify-between text-sm text-muted-foreground">
              <span>
                {rows.length} call{rows.length === 1 ? "" : "s"} shown
              </span>
              {calls.hasNextPage ? (
                <Button
                  variant="outline"
                  onClick={() => void calls.fetchNextPage()}
                  disabled={calls.isFetchingNextPage}
                >
                  {calls.isFetchingNextPage ? <LoaderCircleIcon className="animate-spin" /> : null}
                  Load older calls
                </Button>
              ) : (
                <span>That is all.</span>
              )}
            </div>
          </>
        )}
      </div>
    </>
  );
}
