"use client";

import { useMutation } from "@tanstack/react-query";
import { ChevronDownIcon, HeadsetIcon } from "lucide-react";
import { useState } from "react";
import { toast } from "sonner";
import {
  AlertDialog,
  AlertDialogAction,
  AlertDialogCancel,
  AlertDialogContent,
  AlertDialogDescription,
  AlertDialogFooter,
  AlertDialogHeader,
  AlertDialogTitle,
} from "@/components/ui/alert-dialog";
import { Button } from "@/components/ui/button";
import {
  DropdownMenu,
  DropdownMenuContent,
  DropdownMenuItem,
  DropdownMenuTrigger,
} from "@/components/ui/dropdown-menu";
import { toastFailure } from "@/lib/api-errors";
import { cn } from "@/lib/utils";
import { useTRPC } from "@/trpc/client";
import { agentBuckets, bucketOf } from "./agent-states";
import { formatClock } from "./board-format";
import type { BoardAgent } from "./board-model";

type Status = "available" | "onBreak" | "loggedOut";

const statusLabels: Record<Status, string> = {
  available: "Available",
  onBreak: "On break",
  loggedOut: "Logged out",
};

/** Every agent's live state, how long they have been in it, and (for supervisors) a way to change their status. */
export function AgentsPanel({
  agents,
  now,
  controls,
}: {
  agents: readonly BoardAgent[];
  now: number;
  controls: boolean;
}) {
  const trpc = useTRPC();
  const setStatus = useMutation(trpc.wallboard.setAgentStatus.mutationOptions());
  const [confirming, setConfirming] = useState<BoardAgent | null>(null);

  const change = async (agent: BoardAgent, status: Status) => {
    try {
      const { delivered } = await setStatus.mutateAsync({ agentId: agent.live.id, status });
      if (delivered) toast.success(`${agent.name}: ${statusLabels[status].toLowerCase()}`);
      else
        toast.warning(`${agent.name}: saved as ${statusLabels[status].toLowerCase()}`, {
          description:
            "No worker answered just now; each picks the change up when it next reads the agents.",
        });
    } catch (error) {
      toastFailure(error, `Could not change ${agent.name}'s status`);
    }
  };

  return (
    <section
      aria-label="Agents"
      className="rounded-xl border bg-card shadow-sm"
      data-testid="agents-panel"
    >
      <header className="flex items-center justify-between border-b px-5 py-3">
        <h2 className="flex items-center gap-2 font-semibold">
          <HeadsetIcon className="size-4 text-muted-foreground" /> Agents
        </h2>
        <span className="text-sm text-muted-foreground tabular-nums">{agents.length}</span>
      </header>
      {agents.length === 0 ? (
        <p className="px-5 py-6 text-sm text-muted-foreground">
          No agent is known to the workers yet.
        </p>
      ) : (
        <ul className="divide-y">
          {agents.map((agent) => {
            const bucket = agentBuckets.find((b) => b.key === bucketOf(agent.live));
            const since = Math.max(agent.live.stateSince, agent.live.statusSince);
            return (
              <li
                key={agent.live.id}
                data-testid="agent-row"
                data-agent-id={agent.live.id}
                data-bucket={bucket?.key}
                className="flex items-center gap-3 px-5 py-2.5"
              >
                <span className={cn("size-2.5 shrink-0 rounded-full", bucket?.dot)} />
                <div className="min-w-0 flex-1">
                  <p className="truncate text-sm font-medium">{agent.name}</p>
                  <p className="truncate font-mono text-xs text-muted-foreground">
                    {agent.live.contact}
                  </p>
                </div>
                <div className="text-right">
                  <p className="text-sm">{bucket?.label}</p>
                  <p className="font-mono text-xs text-muted-foreground tabular-nums">
                    {formatClock(now - since)}
                  </p>
                </div>
                {controls ? (
                  <DropdownMenu>
                    <DropdownMenuTrigger asChild>
                      <Button
                        variant="ghost"
                        size="icon-sm"
                        aria-label={`Change ${agent.name}'s status`}
                      >
                        <ChevronDownIcon />
                      </Button>
                    </DropdownMenuTrigger>
                    <DropdownMenuContent align="end">
                      {(Object.keys(statusLabels) as Status[]).map((status) => (
                        <DropdownMenuItem
                          key={status}
                          disabled={agent.live.status === status}
                          onSelect={() =>
                            status === "loggedOut"
                              ? setConfirming(agent)
                              : void change(agent, status)
                          }
                        >
                          {statusLabels[status]}
                        </DropdownMenuItem>
                      ))}
                    </DropdownMenuContent>
                  </DropdownMenu>
                ) : null}
              </li>
            );
          })}
        </ul>
      )}
      <AlertDialog open={confirming !== null} onOpenChange={(open) => !open && setConfirming(null)}>
        <AlertDialogContent>
          <AlertDialogHeader>
            <AlertDialogTitle>Log {confirming?.name} out?</AlertDialogTitle>
            <AlertDialogDescription>
              No more calls will ring them until they log in again (dial *50 or set them available
              here). A call they are on now is not cut off.
            </AlertDialogDescription>
          </AlertDialogHeader>
          <AlertDialogFooter>
            <AlertDialogCancel>Cancel</AlertDialogCancel>
            <AlertDialogAction
              onClick={() => {
                if (confirming) void change(confirming, "loggedOut");
                setConfirming(null);
              }}
            >
              Log out
            </AlertDialogAction>
          </AlertDialogFooter>
        </AlertDialogContent>
      </AlertDialog>
    </section>
  );
}
