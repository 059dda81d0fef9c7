"use client";

import { zodResolver } from "@hookform/resolvers/zod";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { ChevronRightIcon, PlusIcon, UsersIcon } from "lucide-react";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { useForm } from "react-hook-form";
import { z } from "zod";
import { PageHeader } from "@/components/common/page-header";
import { matchesSearch, SearchInput } from "@/components/common/search-input";
import { EmptyState, ErrorState, TableSkeleton } from "@/components/common/states";
import { useCanEdit } from "@/components/layout/user-context";
import { Button } from "@/components/ui/button";
import {
  Dialog,
  DialogContent,
  DialogDescription,
  DialogFooter,
  DialogHeader,
  DialogTitle,
} from "@/components/ui/dialog";
import { FormField, FormMessage } from "@/components/ui/form";
import { Input } from "@/components/ui/input";
import {
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableHeader,
  TableRow,
} from "@/components/ui/table";
import { applyFailure } from "@/lib/api-errors";
import { nameSchema } from "@/lib/schema-helpers";
import { useTRPC } from "@/trpc/client";

const newGroupSchema = z.object({ name: nameSchema });

function NewGroupDialog({
  open,
  onOpenChange,
}: {
  open: boolean;
  onOpenChange: (open: boolean) => void;
}) {
  const trpc = useTRPC();
  const router = useRouter();
  const queryClient = useQueryClient();
  const create = useMutation(trpc.groups.create.mutationOptions());
  const [failure, setFailure] = useState<string | null>(null);
  const form = useForm<z.infer<typeof newGroupSchema>>({
    resolver: zodResolver(newGroupSchema),
    defaultValues: { name: "" },
  });
  const submit = form.handleSubmit(async (values) => {
    setFailure(null);
    try {
      const group = await create.mutateAsync({ name: values.name, agentIds: [] });
      await queryClient.invalidateQueries({ queryKey: trpc.groups.list.queryKey() });
      router.push(`/groups/${group.id}`);
    } catch (error) {
      setFailure(applyFailure(form, error));
    }
  });
  return (
    <Dialog open={open} onOpenChange={onOpenChange}>
      <DialogContent>
        <DialogHeader>
          <DialogTitle>New agent group</DialogTitle>
          <DialogDescription>
            Name it; you add its members and their ring order next.
          </DialogDescription>
        </DialogHeader>
        <form onSubmit={submit} className="grid gap-4" noValidate aria-label="Agent group">
          <FormMessage>{failure}</FormMessage>
          <FormField
            control={form.control}
            name="name"
            label="Name"
            render={(field) => <Input placeholder="Support" autoFocus {...field} />}
          />
          <DialogFooter>
            <Button type="button" variant="outline" onClick={() => onOpenChange(false)}>
              Cancel
            </Button>
            <Button type="submit" disabled={form.formState.isSubmitting}>
              Create group
            </Button>
          </DialogFooter>
        </form>
      </DialogContent>
    </Dialog>
  );
}

/** Agent groups: who a flow's ring group rings, in order. */
export function GroupsPage() {
  const trpc = useTRPC();
  const canEdit = useCanEdit();
  const groups = useQuery(trpc.groups.list.queryOptions());
  const [search, setSearch] = useState("");
  const [creating, setCreating] = useState(false);
  const rows = (groups.data ?? []).filter((g) =>
    matchesSearch(search, g.name, ...g.members.map((m) => m.name)),
  );
  const newButton = canEdit ? (
    <Button onClick={() => setCreating(true)}>
      <PlusIcon /> New group
    </Button>
  ) : null;
  return (
    <>
      <PageHeader
        title="Agent groups"
        description="Who a ring group rings, and in which order."
        actions={newButton}
      />
      {groups.isPending ? (
        <TableSkeleton columns={3} />
      ) : groups.isError ? (
        <ErrorState error={groups.error} onRetry={() => void groups.refetch()} />
      ) : groups.data.length === 0 ? (
        <EmptyState icon={UsersIcon} title="No agent groups yet" action={newButton}>
          A group lists agents in ring order. A flow's Ring group step rings a group's available
          agents.
        </EmptyState>
      ) : (
        <div className="grid gap-3">
          <SearchInput value={search} onChange={setSearch} placeholder="Search groups or agents" />
          <div className="rounded-xl border">
            <Table>
              <TableHeader>
                <TableRow>
                  <TableHead>Name</TableHead>
                  <TableHead className="text-right">Members</TableHead>
                  <TableHead>Ring order</TableHead>
                  <TableHead className="w-10" />
                </TableRow>
              </TableHeader>
              <TableBody>
                {rows.map((group) => (
                  <TableRow key={group.id} className="cursor-pointer">
                    <TableCell className="font-medium">
                      <Link href={`/groups/${group.id}`} className="hover:underline">
                        {group.name}
                      </Link>
                    </TableCell>
                    <TableCell className="text-right tabular-nums">
                      {group.members.length}
                    </TableCell>
                    <TableCell className="max-w-md truncate text-muted-foreground">
                      {group.members.map((m) => m.name).join(" → ") || "nobody yet"}
                    </TableCell>
                    <TableCell>
                      <Link href={`/groups/${group.id}`} aria-label={`Open ${group.name}`}>
                        <ChevronRightIcon className="size-4 text-muted-foreground" />
                      </Link>
                    </TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          </div>
        </div>
      )}
      <NewGroupDialog open={creating} onOpenChange={setCreating} />
    </>
  );
}
