import { cn } from "@/lib/utils";
import { formatTimeOfDay } from "./board-format";
import type { LiveMarkerState } from "./use-live-board";

/** "Live", "Reconnecting…" or "Stale since 14:03:22": whether the board can be trusted now. */
export function LiveMarker({
  marker,
  connected,
  className,
}: {
  marker: LiveMarkerState;
  /** False before the first snapshot: "Connecting…". */
  connected: boolean;
  className?: string;
}) {
  const label =
    marker.kind === "live"
      ? "Live"
      : marker.kind === "reconnecting"
        ? connected
          ? "Reconnecting…"
          : "Connecting…"
        : `Stale since ${formatTimeOfDay(marker.since)}`;
  return (
    <output
      aria-live="polite"
      data-testid="live-marker"
      data-state={marker.kind}
      className={cn(
        "inline-flex items-center gap-2 rounded-full border px-3 py-1 text-sm font-medium tabular-nums",
        marker.kind === "live" &&
          "border-emerald-500/30 bg-emerald-500/10 text-emerald-700 dark:text-emerald-300",
        marker.kind === "reconnecting" &&
          "border-amber-500/30 bg-amber-500/10 text-amber-700 dark:text-amber-300",
        marker.kind === "stale" && "border-red-500/40 bg-red-500/10 text-red-700 dark:text-red-300",
        className,
      )}
    >
      <span className="relative flex size-2.5">
        {marker.kind === "live" ? (
          <span className="absolute inline-flex size-full animate-ping rounded-full bg-emerald-500 opacity-60" />
        ) : null}
        <span
          className={cn(
            "relative inline-flex size-2.5 rounded-full",
            marker.kind === "live" && "bg-emerald-500",
            marker.kind === "reconnecting" && "bg-amber-500",
            marker.kind === "stale" && "bg-red-500",
          )}
        />
      </span>
      {label}
    </output>
  );
}
