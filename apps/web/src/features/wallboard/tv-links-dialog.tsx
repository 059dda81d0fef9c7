"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { CopyIcon, LoaderCircleIcon, TvIcon } from "lucide-react";
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
  AlertDialogTrigger,
} from "@/components/ui/alert-dialog";
import { Badge } from "@/components/ui/badge";
import { Button, buttonVariants } from "@/components/ui/button";
import {
  Dialog,
  DialogContent,
  DialogDescription,
  DialogHeader,
  DialogTitle,
  DialogTrigger,
} from "@/components/ui/dialog";
import { Input } from "@/components/ui/input";
import { toastFailure } from "@/lib/api-errors";
import { formatRelative } from "@/lib/format-time";
import { useTRPC } from "@/trpc/client";

/**
 * Admins' TV links: a read-only board for a screen, opened by a link with
 * a token. The link is shown once, when made; revoking it stops the
 * screens using it.
 */
export function TvLinksDialog() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [open, setOpen] = useState(false);
  const [name, setName] = useState("");
  const [made, setMade] = useState<{ name: string; url: string } | null>(null);
  const tokens = useQuery({ ...trpc.wallboard.tokens.list.queryOptions(), enabled: open });
  const create = useMutation(trpc.wallboard.tokens.create.mutationOptions());
  const revoke = useMutation(trpc.wallboard.tokens.revoke.mutationOptions());
  const refresh = () =>
    queryClient.invalidateQueries({ queryKey: trpc.wallboard.tokens.list.queryKey() });

  const make = async () => {
    try {
      const { token, record } = await create.mutateAsync({ name });
      setMade({ name: record.name, url: `${window.location.origin}/tv?token=${token}` });
      setName("");
      await refresh();
    } catch (error) {
      toastFailure(error, "Could not make the TV link");
    }
  };

  return (
    <Dialog
      open={open}
      onOpenChange={(next) => {
        setOpen(next);
        if (!next) setMade(null);
      }}
    >
      <DialogTrigger asChild>
        <Button variant="outline">
          <TvIcon /> TV links
        </Button>
      </DialogTrigger>
      <DialogContent className="sm:max-w-xl">
        <DialogHeader>
          <DialogTitle>TV links</DialogTitle>
          <DialogDescription>
            A link opens a read-only board in large type, without signing in. Anyone with the link
            can watch it; revoke it when a screen is retired.
          </DialogDescription>
        </DialogHeader>
        <form
          className="flex gap-2"
          onSubmit={(event) => {
            event.preventDefault();
            void make();
          }}
        >
          <Input
            aria-label="Screen name"
            placeholder="Screen name, e.g. Lobby TV"
            value={name}
            onChange={(e) => setName(e.target.value)}
          />
          <Button type="submit" disabled={name.trim() === "" || create.isPending}>
            {create.isPending ? <LoaderCircleIcon className="animate-spin" /> : null}
            Make link
          </Button>
        </form>
        {made ? (
          <div className="grid gap-2 rounded-lg border border-emerald-500/30 bg-emerald-500/5 p-3">
            <p className="text-sm">
              Link for <strong>{made.name}</strong>: copy it now, it is not shown again.
            </p>
            <div className="flex gap-2">
              <Input
                readOnly
                value={made.url}
                data-testid="tv-link"
                className="font-mono text-xs"
              />
              <Button
                variant="outline"
                size="icon"
                aria-label="Copy link"
                onClick={() =>
                  void navigator.clipboard
                    ?.writeText(made.url)
                    .then(() => toast.success("Link copied"))
                }
              >
                <CopyIcon />
              </Button>
            </div>
          </div>
        ) : null}
        <ul className="divide-y rounded-lg border">
          {(tokens.data ?? []).length === 0 ? (
            <li className="px-4 py-3 text-sm text-muted-foreground">
              {tokens.isPending ? "Loading…" : "No TV link yet."}
            </li>
          ) : null}
          {(tokens.data ?? []).map((token) => (
            <li
              key={token.id}
              className="flex items-center gap-3 px-4 py-2.5"
              data-testid="tv-token-row"
            >
              <div className="min-w-0 flex-1">
                <p className="truncate text-sm font-medium">{token.name}</p>
                <p className="text-xs text-muted-foreground">
                  Made {formatRelative(token.createdAt)} ·{" "}
                  {token.lastUsedAt
                    ? `last used ${formatRelative(token.lastUsedAt)}`
                    : "never used"}
                </p>
              </div>
              {token.revokedAt ? (
                <Badge variant="secondary">Revoked</Badge>
              ) : (
                <AlertDialog>
                  <AlertDialogTrigger asChild>
                    <Button variant="ghost" size="sm">
                      Revoke
                    </Button>
                  </AlertDialogTrigger>
                  <AlertDialogContent>
                    <AlertDialogHeader>
                      <AlertDialogTitle>Revoke the link "{token.name}"?</AlertDialogTitle>
                      <AlertDialogDescription>
                        Screens showing it stop within a minute. This cannot be undone: make a new
                        link for the screen instead.
                      </AlertDialogDescription>
                    </AlertDialogHeader>
                    <AlertDialogFooter>
                      <AlertDialogCancel>Cancel</AlertDialogCancel>
                      <AlertDialogAction
                        className={buttonVariants({ variant: "destructive" })}
                        onClick={() =>
                          void revoke
                            .mutateAsync({ id: token.id })
                            .then(async () => {
                              await refresh();
                              toast.success(`Revoked "${token.name}"`);
                            })
                            .catch((error: unknown) => toastFailure(error, "Could not revoke"))
                        }
                      >
                        Revoke
                      </AlertDialogAction>
                    </AlertDialogFooter>
                  </AlertDialogContent>
                </AlertDialog>
              )}
            </li>
          ))}
        </ul>
      </DialogContent>
    </Dialog>
  );
}
