"use client";

import { useMutation } from "@tanstack/react-query";
import { useState } from "react";
import { toast } from "sonner";
import { useCanEdit } from "@/components/layout/user-context";
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
import { toastFailure } from "@/lib/api-errors";
import { useTRPC } from "@/trpc/client";
import type { BoardQueue } from "./board-model";
import { TvLinksDialog } from "./tv-links-dialog";
import { WallboardView } from "./wallboard-view";

/**
 * The supervisors' board, with controls: pausing a queue asks first,
 * resuming does not; admins also manage TV links here.
 */
export function WallboardPage() {
  const isAdmin = useCanEdit();
  const trpc = useTRPC();
  const setPaused = useMutation(trpc.wallboard.setQueuePaused.mutationOptions());
  const [pausing, setPausing] = useState<BoardQueue | null>(null);

  const apply = async (queue: BoardQueue, paused: boolean) => {
    try {
      const { delivered } = await setPaused.mutateAsync({ queueId: queue.queueId, paused });
      const done = `${queue.name} ${paused ? "paused" : "resumed"}`;
      if (delivered) toast.success(done);
      else
        toast.warning(done, {
          description:
            "Saved, but no worker answered just now; each applies it when it next reads the queue.",
        });
    } catch (error) {
      toastFailure(error, `Could not ${paused ? "pause" : "resume"} ${queue.name}`);
    }
  };

  return (
    <>
      <WallboardView
        mode="supervisor"
        header={isAdmin ? <TvLinksDialog /> : null}
        onPause={(queue) => (queue.paused ? void apply(queue, false) : setPausing(queue))}
      />
      <AlertDialog open={pausing !== null} onOpenChange={(open) => !open && setPausing(null)}>
        <AlertDialogContent>
          <AlertDialogHeader>
            <AlertDialogTitle>Pause {pausing?.name}?</AlertDialogTitle>
            <AlertDialogDescription>
              No new caller is put through to an agent until you resume it. Callers waiting keep
              their places and hear hold music; calls with an agent now go on.
            </AlertDialogDescription>
          </AlertDialogHeader>
          <AlertDialogFooter>
            <AlertDialogCancel>Cancel</AlertDialogCancel>
            <AlertDialogAction
              onClick={() => {
                if (pausing) void apply(pausing, true);
                setPausing(null);
              }}
            >
              Pause queue
            </AlertDialogAction>
          </AlertDialogFooter>
        </AlertDialogContent>
      </AlertDialog>
    </>
  );
}
