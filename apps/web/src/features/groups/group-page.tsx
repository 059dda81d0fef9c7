"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { ArrowLeftIcon, LoaderCircleIcon, SaveIcon, UndoIcon, UsersIcon } from "lucide-react";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useEffect, useMemo, useState } from "react";
import { toast } from "sonner";
import { ConfirmDelete } from "@/components/common/confirm-delete";
import { PageHeader } from "@/components/common/page-header";
import { EmptyState, ErrorState, TableSkeleton } from "@/components/common/states";
import { useCanEdit } from "@/components/layout/user-context";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { FormMessage } from "@/components/ui/form";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import {
  Select,
  SelectContent,
  SelectItem,
  SelectTrigger,
  SelectValue,
} from "@/components/ui/select";
import { apiFailure, describeFailure } from "@/lib/api-errors";
import { useTRPC } from "@/trpc/client";
import type { RouterOutputs } from "@/trpc/types";
import { MemberList } from "./member-list";

type Agent = RouterOutputs["agents"]["list"][number];

/** One agent group: its name and members in ring order, edited together and saved at once. */
export function GroupPage({ id }: { id: string }) {
  const trpc = useTRPC();
  const router = useRouter();
  const queryClient = useQueryClient();
  const canEdit = useCanEdit();
  const group = useQuery(trpc.groups.get.queryOptions({ id }));
  const agents = useQuery(trpc.agents.list.queryOptions());
  const update = useMutation(trpc.groups.update.mutationOptions());
  const remove = useMutation(trpc.groups.delete.mutationOptions());
  const [name, setName] = useState("");
  const [members, setMembers] = useState<Agent[]>([]);
  const [adding, setAdding] = useState("");
  const [failure, setFailure] = useState<{ message: string; conflict: boolean } | null>(null);

  const loaded = group.data;
  useEffect(() => {
    if (!loaded) return;
    setName(loaded.name);
    setMembers(loaded.members);
  }, [loaded]);

  const dirty =
    loaded !== undefined &&
    loaded !== null &&
    (name !== loaded.name ||
      members.map((m) => m.id).join() !== loaded.members.map((m) => m.id).join());
  const candidates = useMemo(
    () => (agents.data ?? []).filter((a) => !members.some((m) => m.id === a.id)),
    [agents.data, members],
  );

  if (group.isPending) return <TableSkeleton rows={4} columns={3} />;
  if (group.isError) return <ErrorState error={group.error} onRetry={() => void group.refetch()} />;
  if (!group.data) {
    return (
      <EmptyState
        icon={UsersIcon}
        title="This group does not exist"
        action={
          <Button asChild variant="outline">
            <Link href="/groups">All groups</Link>
          </Button>
        }
      >
        It may have been deleted.
      </EmptyState>
    );
  }
  const current = group.data;

  const save = async () => {
    setFailure(null);
    try {
      await update.mutateAsync({
        id,
        expectedRevision: current.revision,
        ...(name !== current.name ? { name } : {}),
        agentIds: members.map((m) => m.id),
      });
      toast.success(`${name} saved`);
      await queryClient.invalidateQueries({ queryKey: trpc.groups.get.queryKey({ id }) });
      await queryClient.invalidateQueries({ queryKey: trpc.groups.list.queryKey() });
    } catch (error) {
      const f = apiFailure(error);
      setFailure({
        message: f.fieldErrors?.name?.[0] ?? describeFailure(f),
        conflict: f.domainCode === "CONFLICT",
      });
    }
  };

  return (
    <>
      <Link
        href="/groups"
        className="mb-3 inline-flex items-center gap-1 text-sm text-muted-foreground hover:text-foreground"
      >
        <ArrowLeftIcon className="size-4" /> Agent groups
      </Link>
      <PageHeader
        title={current.name}
        description="Ring groups that target this group ring its available members in this order (sequential), all at once (parallel), or least busy first."
        actions={
          canEdit ? (
            <ConfirmDelete
              what={`group ${current.name}`}
              trigger={<Button variant="outline">Delete group</Button>}
              onConfirm={async () => {
                await remove.mutateAsync({ id, expectedRevision: current.revision });
                toast.success(`${current.name} deleted`);
                await queryClient.invalidateQueries({ queryKey: trpc.groups.list.queryKey() });
                router.push("/groups");
              }}
            >
              The agents stay; only the group goes.
            </ConfirmDelete>
          ) : null
        }
      />
      <div className="grid gap-6 lg:grid-cols-[1fr_320px]">
        <Card>
          <CardHeader>
            <CardTitle>Members</CardTitle>
            <CardDescription>
              {canEdit
                ? "Drag the handle or use the arrows to change the ring order, then save."
                : "In ring order."}
            </CardDescription>
          </CardHeader>
          <CardContent className="grid gap-4">
            {failure ? (
              <div className="grid gap-2">
                <FormMessage>{failure.message}</FormMessage>
                {failure.conflict ? (
                  <Button
                    variant="outline"
                    size="sm"
                    className="justify-self-start"
                    onClick={() => {
                      setFailure(null);
                      void group.refetch().then((r) => {
                        if (r.data) {
                          setName(r.data.name);
                          setMembers(r.data.members);
                        }
                      });
                    }}
                  >
                    Load the latest and discard mine
                  </Button>
                ) : null}
              </div>
            ) : null}
            {members.length === 0 ? (
              <p className="rounded-lg border border-dashed p-6 text-center text-sm text-muted-foreground">
                Nobody yet. {canEdit ? "Add agents below." : ""}
              </p>
            ) : (
              <MemberList members={members} editable={canEdit} onChange={setMembers} />
            )}
            {canEdit ? (
              <div className="flex flex-wrap items-end gap-2">
                <div className="grid min-w-56 flex-1 gap-1.5">
                  <Label htmlFor="add-agent">Add an agent</Label>
                  <Select value={adding} onValueChange={setAdding}>
                    <SelectTrigger id="add-agent">
                      <SelectValue
                        placeholder={
                          candidates.length ? "Choose an agent" : "Every agent is in the group"
                        }
                      />
                    </SelectTrigger>
                    <SelectContent>
                      {candidates.map((agent) => (
                        <SelectItem key={agent.id} value={agent.id}>
                          {agent.name} · {agent.contact}
                        </SelectItem>
                      ))}
                    </SelectContent>
                  </Select>
                </div>
                <Button
                  variant="secondary"
                  disabled={!adding}
                  onClick={() => {
                    const agent = candidates.find((a) => a.id === adding);
                    if (agent) setMembers([...members, agent]);
                    setAdding("");
                  }}
                >
                  Add
                </Button>
              </div>
            ) : null}
          </CardContent>
        </Card>
        {canEdit ? (
          <Card className="h-fit">
            <CardHeader>
              <CardTitle>Group</CardTitle>
            </CardHeader>
            <CardContent className="grid gap-4">
              <div className="grid gap-1.5">
                <Label htmlFor="group-name">Name</Label>
                <Input id="group-name" value={name} onChange={(e) => setName(e.target.value)} />
              </div>
              <div className="flex gap-2">
                <Button
                  onClick={() => void save()}
                  disabled={!dirty || update.isPending || name.trim() === ""}
                >
                  {update.isPending ? <LoaderCircleIcon className="animate-spin" /> : <SaveIcon />}
                  Save changes
                </Button>
                <Button
                  variant="ghost"
                  disabled={!dirty}
                  onClick={() => {
                    setName(current.name);
                    setMembers(current.members);
                    setFailure(null);
                  }}
                >
                  <UndoIcon /> Discard
                </Button>
              </div>
              {dirty ? (
                <p className="text-xs text-amber-600 dark:text-amber-400">Unsaved changes</p>
              ) : null}
            </CardContent>
          </Card>
        ) : null}
      </div>
    </>
  );
}
