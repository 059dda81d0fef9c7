import { MonitorOffIcon } from "lucide-react";

/** A TV link that does not (or no longer) work: said in large type, nothing else shown. */
export function BoardRefused() {
  return (
    <div
      className="flex h-svh flex-col items-center justify-center gap-4 text-center"
      data-testid="board-refused"
    >
      <MonitorOffIcon className="size-12 text-muted-foreground" />
      <h1 className="text-3xl font-semibold">This wall-board link no longer works</h1>
      <p className="max-w-lg text-muted-foreground">
        An admin revoked it, or it was never valid. Ask for a new link from the wall-board's TV
        links.
      </p>
    </div>
  );
}
