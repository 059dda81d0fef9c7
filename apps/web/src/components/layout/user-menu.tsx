"use client";

import { useMutation } from "@tanstack/react-query";
import { ChevronsUpDownIcon, LogOutIcon, MonitorSmartphoneIcon } from "lucide-react";
import { useRouter } from "next/navigation";
import { toast } from "sonner";
import { Badge } from "@/components/ui/badge";
import {
  DropdownMenu,
  DropdownMenuContent,
  DropdownMenuItem,
  DropdownMenuLabel,
  DropdownMenuSeparator,
  DropdownMenuTrigger,
} from "@/components/ui/dropdown-menu";
import { toastFailure } from "@/lib/api-errors";
import { authClient } from "@/lib/auth-client";
import type { SessionUser } from "@/server/auth";
import { useTRPC } from "@/trpc/client";

/** The signed-in user, their role, and signing out (here or everywhere). */
export function UserMenu({ user }: { user: SessionUser }) {
  const router = useRouter();
  const trpc = useTRPC();
  const everywhere = useMutation(
    trpc.session.signOutEverywhere.mutationOptions({
      onSuccess: () => {
        toast.success("Signed out on every device");
        router.replace("/sign-in");
        router.refresh();
      },
      onError: (error) => toastFailure(error, "Could not sign out everywhere"),
    }),
  );
  const signOut = async () => {
    await authClient.signOut();
    router.replace("/sign-in");
    router.refresh();
  };
  return (
    <DropdownMenu>
      <DropdownMenuTrigger
        className="flex min-w-0 flex-1 items-center gap-2 rounded-md px-2 py-1.5 text-left hover:bg-sidebar-accent/70 focus-visible:ring-2 focus-visible:ring-ring focus-visible:outline-none"
        aria-label="Account"
      >
        <span className="flex size-8 shrink-0 items-center justify-center rounded-full bg-primary/15 text-sm font-semibold text-primary">
          {user.name.slice(0, 1).toUpperCase()}
        </span>
        <span className="min-w-0 flex-1">
          <span className="block truncate text-sm font-medium" data-testid="current-user">
            {user.name}
          </span>
          <span
            className="block truncate text-xs text-muted-foreground capitalize"
            data-testid="sidebar-role"
          >
            {user.role}
          </span>
        </span>
        <ChevronsUpDownIcon className="size-4 opacity-60" />
      </DropdownMenuTrigger>
      <DropdownMenuContent align="start" className="w-60">
        <DropdownMenuLabel className="flex items-center justify-between gap-2">
          <span className="truncate font-normal text-muted-foreground">{user.email}</span>
          <Badge
            variant={user.role === "admin" ? "default" : "secondary"}
            data-testid="current-role"
          >
            {user.role}
          </Badge>
        </DropdownMenuLabel>
        <DropdownMenuSeparator />
        <DropdownMenuItem onSelect={() => void signOut()}>
          <LogOutIcon /> Sign out
        </DropdownMenuItem>
        <DropdownMenuItem onSelect={() => everywhere.mutate()} disabled={everywhere.isPending}>
          <MonitorSmartphoneIcon /> Sign out everywhere
        </DropdownMenuItem>
      </DropdownMenuContent>
    </DropdownMenu>
  );
}
