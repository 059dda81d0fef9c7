"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { HeadsetIcon, PencilIcon, PlusIcon } from "lucide-react";
import { useState } from "react";
import { toast } from "sonner";
import { ConfirmDelete } from "@/components/common/confirm-delete";
import { PageHeader } from "@/components/common/page-header";
import { matchesSearch, SearchInput } from "@/components/common/search-input";
import { EmptyState, ErrorState, TableSkeleton } from "@/components/common/states";
import { useCanEdit } from "@/components/layout/user-context";
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
import { AgentDialog } from "./agent-dialog";
import { AgentStatusBadge } from "./status-badge";

type Agent = RouterOutputs["agents"]["list"][number];

/** The agents: who answers, on which phone, and whether they take calls. */
export function AgentsPage() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const canEdit = useCanEdit();
  const agents = useQuery(trpc.agents.list.queryOptions());
  const remove = useMutation(trpc.agents.delete.mutationOptions());
  const [search, setSearch] = useState("");
  const [editing, setEditing] = useState<{ agent?: Agent } | null>(null);
  const rows = (agents.data ?? []).filter((a) => matchesSearch(search, a.name, a.contact));
  const newButton = canEdit ? (
    <Button onClick={() => setEditing({})}>
      <PlusIcon /> New agent
    </Button>
  ) : null;

  return (
    <>
      <PageHeader
        title="Agents"
        description="The people who answer calls, each on one phone."
        actions={newButton}
      />
      {agents.isPending ? (
        <TableSkeleton columns={5} />
      ) : agents.isError ? (
        <ErrorState error={agents.error} onRetry={() => void agents.refetch()} />
      ) : agents.data.length === 0 ? (
        <EmptyState icon={HeadsetIcon} title="No agents yet" action={newButton}>
          Add the people who take calls, then put them in agent groups that flows ring.
        </EmptyState>
      ) : (
        <div className="grid gap-3">
          <SearchInput value={search} onChange={setSearch} placeholder="Search agents" />
          <div className="rounded-xl border">
            <Table>
              <TableHeader>
                <TableRow>
                  <TableHead>Name</TableHead>
                  <TableHead>Phone</TableHead>
                  <TableHead>Status</TableHead>
                  <TableHead>Wrap-up</TableHead>
                  <TableHead className="text-right">Rings before a break</TableHead>
                  {canEdit ? <TableHead className="w-24" /> : null}
                </TableRow>
              </TableHeader>
              <TableBody>
                {rows.map((agent) => (
                  <TableRow key={agent.id}>
                    <TableCell className="font-medium">{agent.name}</TableCell>
                    <TableCell>
                      <code className="text-xs">{agent.contact}</code>
                    </TableCell>
                    <TableCell>
                      <AgentStatusBadge status={agent.status} />
                    </TableCell>
                    <TableCell>{formatSeconds(agent.wrapUpSeconds)}</TableCell>
                    <TableCell className="text-right tabular-nums">{agent.maxNoAnswer}</TableCell>
                    {canEdit ? (
                      <TableCell className="text-right">
                        <Button
                          variant="ghost"
                          size="icon-sm"
                          aria-label={`Edit agent ${agent.name}`}
                          onClick={() => setEditing({ agent })}
                        >
                          <PencilIcon />
                        </Button>
                        <ConfirmDelete
                          what={`agent ${agent.name}`}
                          onConfirm={async () => {
                            await remove.mutateAsync({
                              id: agent.id,
                              expectedRevision: agent.revision,
                            });
                            toast.success(`${agent.name} removed`);
                            await queryClient.invalidateQueries({
                              queryKey: trpc.agents.list.queryKey(),
                            });
                            await queryClient.invalidateQueries({
                              queryKey: trpc.groups.list.queryKey(),
                            });
                          }}
                        >
                          They leave every agent group they are in. Their past calls stay in call
                          history.
                        </ConfirmDelete>
                      </TableCell>
                    ) : null}
                  </TableRow>
                ))}
                {rows.length === 0 ? (
                  <TableRow>
                    <TableCell colSpan={6} className="py-8 text-center text-muted-foreground">
                      No agent matches “{search}”.
                    </TableCell>
                  </TableRow>
                ) : null}
              </TableBody>
            </Table>
          </div>
        </div>
      )}
      <AgentDialog
        open={editing !== null}
        onOpenChange={(open) => !open && setEditing(null)}
        agent={editing?.agent}
      />
    </>
  );
}
