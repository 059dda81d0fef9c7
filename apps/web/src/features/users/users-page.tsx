"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { KeyRoundIcon, PlusIcon, UserCogIcon } from "lucide-react";
import { useState } from "react";
import { toast } from "sonner";
import { PageHeader } from "@/components/common/page-header";
import { matchesSearch, SearchInput } from "@/components/common/search-input";
import { EmptyState, ErrorState, TableSkeleton } from "@/components/common/states";
import { useCurrentUser } from "@/components/layout/user-context";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import {
  Select,
  SelectContent,
  SelectItem,
  SelectTrigger,
  SelectValue,
} from "@/components/ui/select";
import { Switch } from "@/components/ui/switch";
import {
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableHeader,
  TableRow,
} from "@/components/ui/table";
import { toastFailure } from "@/lib/api-errors";
import { formatRelative } from "@/lib/format-time";
import { cn } from "@/lib/utils";
import { useTRPC } from "@/trpc/client";
import { InviteUserDialog, ResetPasswordDialog } from "./user-dialogs";
import { type UserRole, userRoles } from "./user-schema";

/** The agent select's value for "no agent". */
const NOT_LINKED = "none";

/** Users: who can sign in, with which role; admins invite, change roles, reset passwords, deactivate. */
export function UsersPage() {
  const trpc = useTRPC();
  const me = useCurrentUser();
  const queryClient = useQueryClient();
  const users = useQuery(trpc.users.list.queryOptions());
  const agents = useQuery(trpc.agents.list.queryOptions());
  const setRole = useMutation(trpc.users.setRole.mutationOptions());
  const linkAgent = useMutation(trpc.users.linkAgent.mutationOptions());
  const setActive = useMutation(trpc.users.setActive.mutationOptions());
  const [search, setSearch] = useState("");
  const [inviting, setInviting] = useState(false);
  const [resetting, setResetting] = useState<{ id: string; name: string } | null>(null);
  const refresh = () =>
    Promise.all([
      queryClient.invalidateQueries({ queryKey: trpc.users.list.queryKey() }),
      queryClient.invalidateQueries({ queryKey: trpc.agents.list.queryKey() }),
    ]);
  const userNames = new Map((users.data ?? []).map((u) => [u.id, u.name]));
  const rows = (users.data ?? []).filter((u) => matchesSearch(search, u.name, u.email));
  return (
    <>
      <PageHeader
        title="Users"
        description="Who can sign in. Admins change everything; supervisors watch; agents set their own status."
        actions={
          <Button onClick={() => setInviting(true)}>
            <PlusIcon /> Invite user
          </Button>
        }
      />
      {users.isPending ? (
        <TableSkeleton columns={6} />
      ) : users.isError ? (
        <ErrorState error={users.error} onRetry={() => void users.refetch()} />
      ) : users.data.length === 0 ? (
        <EmptyState icon={UserCogIcon} title="No users" />
      ) : (
        <div className="grid gap-3">
          <SearchInput value={search} onChange={setSearch} placeholder="Search users" />
          <div className="rounded-xl border">
            <Table>
              <TableHeader>
                <TableRow>
                  <TableHead>Name</TableHead>
                  <TableHead>E-mail</TableHead>
                  <TableHead>Role</TableHead>
                  <TableHead>Signs in as agent</TableHead>
                  <TableHead>Active</TableHead>
                  <TableHead>Since</TableHead>
                  <TableHead className="w-12" />
                </TableRow>
              </TableHeader>
              <TableBody>
                {rows.map((user) => {
                  const self = user.id === me.id;
                  return (
                    <TableRow key={user.id} className={user.active ? "" : "opacity-60"}>
                      <TableCell className="font-medium">
                        {user.name} {self ? <Badge variant="outline">you</Badge> : null}
                      </TableCell>
                      <TableCell>{user.email}</TableCell>
                      <TableCell>
                        <Select
                          value={user.role}
                          disabled={self}
                          onValueChange={(role) =>
                            void setRole
                              .mutateAsync({ id: user.id, role: role as UserRole })
                              .then(async () => {
                                toast.success(`${user.name} is now ${role}`);
                                await refresh();
                              })
                              .catch((error: unknown) =>
                                toastFailure(error, "Could not change the role"),
                              )
                          }
                        >
                          <SelectTrigger className="w-36" aria-label={`Role of ${user.name}`}>
                            <SelectValue />
                          </SelectTrigger>
                          <SelectContent>
                            {userRoles.map((role) => (
                              <SelectItem key={role} value={role}>
                                {role}
                              </SelectItem>
                            ))}
                          </SelectContent>
                        </Select>
                      </TableCell>
                      <TableCell>
                        {user.role === "agent" ? (
                          <Select
                            value={user.agentId ?? NOT_LINKED}
                            disabled={agents.isPending}
                            onValueChange={(value) => {
                              const agentId = value === NOT_LINKED ? null : value;
                              const agentName = agents.data?.find((a) => a.id === agentId)?.name;
                              void linkAgent
                                .mutateAsync({ userId: user.id, agentId })
                                .then(async () => {
                                  toast.success(
                                    agentName
                                      ? `${user.name} signs in as agent ${agentName}`
                                      : `${user.name} is no longer linked to an agent`,
                                  );
                                  await refresh();
                                })
                                .catch((error: unknown) =>
                                  toastFailure(error, "Could not link the agent"),
                                );
                            }}
                          >
                            <SelectTrigger
                              className={cn("w-56", !user.agentId && "text-muted-foreground")}
                              aria-label={`Agent of ${user.name}`}
                            >
                              <SelectValue />
                            </SelectTrigger>
                            <SelectContent>
                              <SelectItem value={NOT_LINKED}>Not linked</SelectItem>
                              {(agents.data ?? []).map((agent) => (
                                <SelectItem key={agent.id} value={agent.id}>
                                  {`${agent.name} · ${agent.contact}`}
                                  {agent.userId && agent.userId !== user.id
                                    ? ` (now ${userNames.get(agent.userId) ?? "another user"})`
                                    : ""}
                                </SelectItem>
                              ))}
                            </SelectContent>
                          </Select>
                        ) : (
                          <span className="text-muted-foreground">—</span>
                        )}
                      </TableCell>
                      <TableCell>
                        <Switch
                          checked={user.active}
                          disabled={self}
                          aria-label={`${user.name} may sign in`}
                          onCheckedChange={(active) =>
                            void setActive
                              .mutateAsync({ id: user.id, active })
                              .then(async () => {
                                toast.success(
                                  active
                                    ? `${user.name} reactivated`
                                    : `${user.name} deactivated and signed out`,
                                );
                                await refresh();
                              })
                              .catch((error: unknown) =>
                                toastFailure(error, "Could not change the user"),
                              )
                          }
                        />
                      </TableCell>
                      <TableCell className="text-muted-foreground">
                        {formatRelative(user.createdAt)}
                      </TableCell>
                      <TableCell>
                        <Button
                          variant="ghost"
                          size="icon-sm"
                          aria-label={`New password for ${user.name}`}
                          onClick={() => setResetting(user)}
                        >
                          <KeyRoundIcon />
                        </Button>
                      </TableCell>
                    </TableRow>
                  );
                })}
              </TableBody>
            </Table>
          </div>
        </div>
      )}
      <InviteUserDialog open={inviting} onOpenChange={setInviting} />
      <ResetPasswordDialog user={resetting} onOpenChange={(open) => !open && setResetting(null)} />
    </>
  );
}
