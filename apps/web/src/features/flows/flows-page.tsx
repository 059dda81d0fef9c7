"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import {
  CopyIcon,
  GitBranchIcon,
  MoreHorizontalIcon,
  PencilIcon,
  PlusIcon,
  Trash2Icon,
} from "lucide-react";
import Link from "next/link";
import { useRouter } from "next/navigation";
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
  DropdownMenu,
  DropdownMenuContent,
  DropdownMenuItem,
  DropdownMenuSeparator,
  DropdownMenuTrigger,
} from "@/components/ui/dropdown-menu";
import {
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableHeader,
  TableRow,
} from "@/components/ui/table";
import { formatDateTime, formatRelative } from "@/lib/format-time";
import { useTRPC } from "@/trpc/client";
import type { RouterOutputs } from "@/trpc/types";
import { FlowNameDialog } from "./flow-name-dialog";

type Flow = RouterOutputs["flows"]["list"][number];
type Naming =
  | { kind: "create" }
  | { kind: "rename"; flow: Flow }
  | { kind: "duplicate"; flow: Flow };

/** The flows: what is live, on which numbers, and when each was last edited. */
export function FlowsPage() {
  const trpc = useTRPC();
  const router = useRouter();
  const queryClient = useQueryClient();
  const canEdit = useCanEdit();
  const flows = useQuery(trpc.flows.list.queryOptions());
  const create = useMutation(trpc.flows.create.mutationOptions());
  const rename = useMutation(trpc.flows.rename.mutationOptions());
  const duplicate = useMutation(trpc.flows.duplicate.mutationOptions());
  const remove = useMutation(trpc.flows.delete.mutationOptions());
  const [search, setSearch] = useState("");
  const [naming, setNaming] = useState<Naming | null>(null);
  const [deleting, setDeleting] = useState<Flow | null>(null);
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.flows.list.queryKey() });
  const rows = (flows.data ?? []).filter((f) =>
    matchesSearch(search, f.name, f.description, ...f.numbers),
  );
  const newButton = canEdit ? (
    <Button onClick={() => setNaming({ kind: "create" })}>
      <PlusIcon /> New flow
    </Button>
  ) : null;

  return (
    <>
      <PageHeader
        title="Flows"
        description="How calls are handled: drawn, published, and live on their numbers."
        actions={newButton}
      />
      {flows.isPending ? (
        <TableSkeleton columns={5} />
      ) : flows.isError ? (
        <ErrorState error={flows.error} onRetry={() => void flows.refetch()} />
      ) : flows.data.length === 0 ? (
        <EmptyState icon={GitBranchIcon} title="No flows yet" action={newButton}>
          A flow says what happens to a call: queue it, ring agents, connect, fall back to
          voicemail. Create one, draw it, publish it, and route a number to it.
        </EmptyState>
      ) : (
        <div className="grid gap-3">
          <SearchInput value={search} onChange={setSearch} placeholder="Search flows or numbers" />
          <div className="rounded-xl border">
            <Table>
              <TableHeader>
                <TableRow>
                  <TableHead>Name</TableHead>
                  <TableHead>Live version</TableHead>
                  <TableHead>Numbers</TableHead>
                  <TableHead>Last edited</TableHead>
                  {canEdit ? <TableHead className="w-12" /> : null}
                </TableRow>
              </TableHeader>
              <TableBody>
                {rows.map((flow) => (
                  <TableRow key={flow.id}>
                    <TableCell>
                      <Link href={`/flows/${flow.id}`} className="font-medium hover:underline">
                        {flow.name}
                      </Link>
                      {flow.description ? (
                        <p className="max-w-sm truncate text-xs text-muted-foreground">
                          {flow.description}
                        </p>
                      ) : null}
                    </TableCell>
                    <TableCell>
                      {flow.liveVersion ? (
                        <span
                          title={`Published ${formatDateTime(flow.liveVersion.publishedAt)} by ${flow.liveVersion.publishedBy}`}
                        >
                          <Badge variant="success">v{flow.liveVersion.version}</Badge>
                        </span>
                      ) : (
                        <Badge variant="outline">draft only</Badge>
                      )}
                    </TableCell>
                    <TableCell className="font-mono text-xs">
                      {flow.numbers.length ? (
                        flow.numbers.join(", ")
                      ) : (
                        <span className="font-sans text-muted-foreground">none</span>
                      )}
                    </TableCell>
                    <TableCell
                      className="text-muted-foreground"
                      title={formatDateTime(flow.updatedAt)}
                    >
                      {formatRelative(flow.updatedAt)}
                    </TableCell>
                    {canEdit ? (
                      <TableCell>
                        <DropdownMenu>
                          <DropdownMenuTrigger asChild>
                            <Button
                              variant="ghost"
                              size="icon-sm"
                              aria-label={`Actions for ${flow.name}`}
                            >
                              <MoreHorizontalIcon />
                            </Button>
                          </DropdownMenuTrigger>
                          <DropdownMenuContent align="end">
                            <DropdownMenuItem onSelect={() => setNaming({ kind: "rename", flow })}>
                              <PencilIcon /> Rename
                            </DropdownMenuItem>
                            <DropdownMenuItem
                              onSelect={() => setNaming({ kind: "duplicate", flow })}
                            >
                              <CopyIcon /> Duplicate
                            </DropdownMenuItem>
                            <DropdownMenuSeparator />
                            <DropdownMenuItem
                              variant="destructive"
                              onSelect={() => setDeleting(flow)}
                            >
                              <Trash2Icon /> Delete
                            </DropdownMenuItem>
                          </DropdownMenuContent>
                        </DropdownMenu>
                      </TableCell>
                    ) : null}
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          </div>
        </div>
      )}
      <FlowNameDialog
        open={naming !== null}
        onOpenChange={(open) => !open && setNaming(null)}
        title={
          naming?.kind === "rename"
            ? "Rename flow"
            : naming?.kind === "duplicate"
              ? "Duplicate flow"
              : "New flow"
        }
        description={
          naming?.kind === "duplicate"
            ? "A copy of the draft, with no versions and no numbers."
            : naming?.kind === "rename"
              ? "Versions and numbers stay as they are."
              : "It starts as an empty draft; draw it in the editor and publish it when ready."
        }
        submitLabel={
          naming?.kind === "rename"
            ? "Rename"
            : naming?.kind === "duplicate"
              ? "Duplicate"
              : "Create flow"
        }
        initial={
          naming?.kind === "rename"
            ? { name: naming.flow.name, description: naming.flow.description }
            : naming?.kind === "duplicate"
              ? { name: `${naming.flow.name} (copy)`, description: naming.flow.description }
              : { name: "", description: "" }
        }
        onSubmit={async (values) => {
          if (naming?.kind === "rename") {
            await rename.mutateAsync({
              ...values,
              id: naming.flow.id,
              expectedRevision: naming.flow.revision,
            });
            toast.success(`Renamed to ${values.name}`);
            await refresh();
          } else if (naming?.kind === "duplicate") {
            const { id } = await duplicate.mutateAsync({ id: naming.flow.id, name: values.name });
            toast.success(`${values.name} created`);
            await refresh();
            router.push(`/flows/${id}`);
          } else {
            const { id } = await create.mutateAsync(values);
            await refresh();
            router.push(`/flows/${id}`);
          }
        }}
      />
      <ConfirmDelete
        what={`flow ${deleting?.name ?? ""}`}
        open={deleting !== null}
        onOpenChange={(open) => !open && setDeleting(null)}
        onConfirm={async () => {
          if (!deleting) return;
          await remove.mutateAsync({ id: deleting.id, expectedRevision: deleting.revision });
          toast.success(`${deleting.name} deleted`);
          await refresh();
        }}
      >
        Its draft and every published version go. Call history keeps its calls.
      </ConfirmDelete>
    </>
  );
}
