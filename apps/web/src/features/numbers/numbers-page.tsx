"use client";

import { zodResolver } from "@hookform/resolvers/zod";
import { dialledNumberSchema } from "@ringflow/core/flow";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { PhoneIcon, PlusIcon } from "lucide-react";
import Link from "next/link";
import { useEffect, useState } from "react";
import { useForm } from "react-hook-form";
import { toast } from "sonner";
import { z } from "zod";
import { ConfirmDelete } from "@/components/common/confirm-delete";
import { PageHeader } from "@/components/common/page-header";
import { matchesSearch, SearchInput } from "@/components/common/search-input";
import { EmptyState, ErrorState, TableSkeleton } from "@/components/common/states";
import { useCanEdit } from "@/components/layout/user-context";
import { Badge } from "@/components/ui/badge";
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
import { applyFailure, toastFailure } from "@/lib/api-errors";
import { useTRPC } from "@/trpc/client";

const routeSchema = z.object({
  number: dialledNumberSchema,
  flowId: z.string().min(1, "Choose a flow"),
});

function useFlows() {
  const trpc = useTRPC();
  return useQuery(trpc.flows.list.queryOptions());
}

function NewRouteDialog({
  open,
  onOpenChange,
}: {
  open: boolean;
  onOpenChange: (open: boolean) => void;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const flows = useFlows();
  const create = useMutation(trpc.routes.create.mutationOptions());
  const [failure, setFailure] = useState<string | null>(null);
  const form = useForm<z.infer<typeof routeSchema>>({
    resolver: zodResolver(routeSchema),
    defaultValues: { number: "", flowId: "" },
  });
  useEffect(() => {
    if (open) {
      form.reset({ number: "", flowId: "" });
      setFailure(null);
    }
  }, [open, form]);
  const submit = form.handleSubmit(async (values) => {
    setFailure(null);
    try {
      await create.mutateAsync(values);
      toast.success(`${values.number} now runs its flow`);
      await queryClient.invalidateQueries({ queryKey: trpc.routes.list.queryKey() });
      await queryClient.invalidateQueries({ queryKey: trpc.flows.list.queryKey() });
      onOpenChange(false);
    } catch (error) {
      setFailure(applyFailure(form, error));
    }
  });
  return (
    <Dialog open={open} onOpenChange={onOpenChange}>
      <DialogContent>
        <DialogHeader>
          <DialogTitle>Route a number</DialogTitle>
          <DialogDescription>
            Calls to the number run the flow's live version. The dialplan must send the number to
            the worker (see the worker's README).
          </DialogDescription>
        </DialogHeader>
        <form onSubmit={submit} className="grid gap-4" noValidate aria-label="Number route">
          <FormMessage>{failure}</FormMessage>
          <FormField
            control={form.control}
            name="number"
            label="Number"
            hint="Digits (with * or #), or + and digits, e.g. 7000 or +442079460000."
            render={(field) => <Input placeholder="7000" inputMode="tel" autoFocus {...field} />}
          />
          <FormField
            control={form.control}
            name="flowId"
            label="Flow"
            render={({ value, onChange, id, ...field }) => (
              <Select value={value} onValueChange={onChange}>
                <SelectTrigger id={id} aria-invalid={field["aria-invalid"]}>
                  <SelectValue
                    placeholder={flows.data?.length ? "Choose a flow" : "No flows yet"}
                  />
                </SelectTrigger>
                <SelectContent>
                  {(flows.data ?? []).map((flow) => (
                    <SelectItem key={flow.id} value={flow.id}>
                      {flow.name}
                      {flow.liveVersion ? "" : " (not published)"}
                    </SelectItem>
                  ))}
                </SelectContent>
              </Select>
            )}
          />
          <DialogFooter>
            <Button type="button" variant="outline" onClick={() => onOpenChange(false)}>
              Cancel
            </Button>
            <Button type="submit" disabled={form.formState.isSubmitting}>
              Route number
            </Button>
          </DialogFooter>
        </form>
      </DialogContent>
    </Dialog>
  );
}

/** Number routes: which flow each dialled number runs. */
export function NumbersPage() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const canEdit = useCanEdit();
  const routes = useQuery(trpc.routes.list.queryOptions());
  const flows = useFlows();
  const update = useMutation(trpc.routes.update.mutationOptions());
  const remove = useMutation(trpc.routes.delete.mutationOptions());
  const [search, setSearch] = useState("");
  const [creating, setCreating] = useState(false);
  const live = new Map((flows.data ?? []).map((f) => [f.id, f.liveVersion?.version ?? null]));
  const rows = (routes.data ?? []).filter((r) => matchesSearch(search, r.number, r.flowName));
  const refresh = async () => {
    await queryClient.invalidateQueries({ queryKey: trpc.routes.list.queryKey() });
    await queryClient.invalidateQueries({ queryKey: trpc.flows.list.queryKey() });
  };
  const newButton = canEdit ? (
    <Button onClick={() => setCreating(true)}>
      <PlusIcon /> Route a number
    </Button>
  ) : null;
  return (
    <>
      <PageHeader
        title="Numbers"
        description="Which flow each dialled number runs."
        actions={newButton}
      />
      {routes.isPending ? (
        <TableSkeleton columns={3} />
      ) : routes.isError ? (
        <ErrorState error={routes.error} onRetry={() => void routes.refetch()} />
      ) : routes.data.length === 0 ? (
        <EmptyState icon={PhoneIcon} title="No numbers routed yet" action={newButton}>
          Route a number to a flow; calls to it then run the flow's live version.
        </EmptyState>
      ) : (
        <div className="grid gap-3">
          <SearchInput value={search} onChange={setSearch} placeholder="Search numbers or flows" />
          <div className="rounded-xl border">
            <Table>
              <TableHeader>
                <TableRow>
                  <TableHead>Number</TableHead>
                  <TableHead>Flow</TableHead>
                  <TableHead>Live version</TableHead>
                  {canEdit ? <TableHead className="w-16" /> : null}
                </TableRow>
              </TableHeader>
              <TableBody>
                {rows.map((route) => {
                  const version = live.get(route.flowId);
                  return (
                    <TableRow key={route.number}>
                      <TableCell className="font-mono font-medium">{route.number}</TableCell>
                      <TableCell>
                        {canEdit ? (
                          <Select
                            value={route.flowId}
                            onValueChange={(flowId) =>
                              void update
                                .mutateAsync({
                                  number: route.number,
                                  flowId,
                                  expectedRevision: route.revision,
                                })
                                .then(async () => {
                                  toast.success(`${route.number} now runs another flow`);
                                  await refresh();
                                })
                                .catch((error: unknown) =>
                                  toastFailure(error, `Could not change ${route.number}`),
                                )
                            }
                          >
                            <SelectTrigger className="w-64" aria-label={`Flow of ${route.number}`}>
                              <SelectValue />
                            </SelectTrigger>
                            <SelectContent>
                              {(flows.data ?? []).map((flow) => (
                                <SelectItem key={flow.id} value={flow.id}>
                                  {flow.name}
                                </SelectItem>
                              ))}
                            </SelectContent>
                          </Select>
                        ) : (
                          <Link href={`/flows/${route.flowId}`} className="hover:underline">
                            {route.flowName}
                          </Link>
                        )}
                      </TableCell>
                      <TableCell>
                        {version ? (
                          <Badge variant="success">v{version}</Badge>
                        ) : (
                          <Badge variant="warning">not published: calls are refused</Badge>
                        )}
                      </TableCell>
                      {canEdit ? (
                        <TableCell className="text-right">
                          <ConfirmDelete
                            what={`the route of ${route.number}`}
                            onConfirm={async () => {
                              await remove.mutateAsync({
                                number: route.number,
                                expectedRevision: route.revision,
                              });
                              toast.success(`${route.number} no longer routed`);
                              await refresh();
                            }}
                          >
                            New calls to {route.number} will be refused as an unallocated number;
                            calls in progress finish.
                          </ConfirmDelete>
                        </TableCell>
                      ) : null}
                    </TableRow>
                  );
                })}
              </TableBody>
            </Table>
          </div>
        </div>
      )}
      <NewRouteDialog open={creating} onOpenChange={setCreating} />
    </>
  );
}
