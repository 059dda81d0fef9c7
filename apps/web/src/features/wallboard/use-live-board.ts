"use client";

import { applyLiveEvents, type LiveEvent, type LiveSnapshot } from "@ringflow/core/live";
import { useQueryClient } from "@tanstack/react-query";
import { useSubscription } from "@trpc/tanstack-react-query";
import { useCallback, useEffect, useRef, useState } from "react";
import { apiFailure } from "@/lib/api-errors";
import type { BoardMessage } from "@/server/live/board-stream";
import { useTRPC } from "@/trpc/client";

/** The marker's three states. */
export type LiveMarkerState =
  | { readonly kind: "live" }
  | { readonly kind: "reconnecting"; readonly since: number }
  | { readonly kind: "stale"; readonly since: number };

/** After this long without a live stream, "Reconnecting…" becomes "Stale since …". */
export const STALE_AFTER_MS = 5_000;

/** What {@link useLiveBoard} gives the board. */
export interface LiveBoard {
  /** The live state: the last snapshot with every later event applied; null before the first. */
  readonly snapshot: LiveSnapshot | null;
  readonly marker: LiveMarkerState;
  /** The stream was refused for good (a revoked TV link): its domain code. */
  readonly refusedWith: string | null;
}

/**
 * Subscribes to the board's live stream and holds its state: each snapshot
 * replaces it whole, events are applied with core's `applyLiveEvents`
 * (once per animation frame, however many arrive). A call ending, or a
 * callback request stored, completed or failed, refreshes today's figures,
 * the counts and the charts (throttled).
 */
export function useLiveBoard(tvToken: string | undefined, now: number): LiveBoard {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [snapshot, setSnapshot] = useState<LiveSnapshot | null>(null);
  const [upstreamDownSince, setUpstreamDownSince] = useState<number | null>(null);
  const [streamDownSince, setStreamDownSince] = useState<number | null>(() => Date.now());
  const queued = useRef<LiveEvent[]>([]);
  const frame = useRef<number | null>(null);
  const lastRefresh = useRef(0);
  const refreshTimer = useRef<ReturnType<typeof setTimeout> | null>(null);

  const refreshFigures = useCallback(() => {
    const run = () => {
      lastRefresh.current = Date.now();
      refreshTimer.current = null;
      void queryClient.invalidateQueries({ queryKey: trpc.wallboard.figures.queryKey() });
      void queryClient.invalidateQueries({ queryKey: trpc.wallboard.history.queryKey() });
      void queryClient.invalidateQueries({ queryKey: trpc.queues.counts.queryKey() });
    };
    if (refreshTimer.current) return;
    const wait = Math.max(0, 2_000 - (Date.now() - lastRefresh.current));
    refreshTimer.current = setTimeout(run, wait);
  }, [queryClient, trpc]);

  const flush = useCallback(() => {
    frame.current = null;
    const events = queued.current.splice(0);
    if (events.length === 0) return;
    setSnapshot((current) => (current ? applyLiveEvents(current, events) : current));
    if (events.some((event) => event.type === "callEnded" || event.type === "callbacksChanged")) {
      refreshFigures();
    }
  }, [refreshFigures]);

  const onData = useCallback(
    (message: BoardMessage) => {
      switch (message.type) {
        case "snapshot":
          queued.current = [];
          setSnapshot(message.snapshot);
          setStreamDownSince(null);
          refreshFigures();
          break;
        case "events":
          queued.current.push(...message.events);
          frame.current ??= requestAnimationFrame(flush);
          break;
        case "upstream":
          setUpstreamDownSince(message.state === "live" ? null : message.since);
          break;
      }
    },
    [flush, refreshFigures],
  );

  const subscription = useSubscription(
    trpc.wallboard.live.subscriptionOptions(tvToken ? { tvToken } : {}, {
      onData,
      onConnectionStateChange: (state) => {
        if (state.state !== "pending") setStreamDownSince((since) => since ?? Date.now());
      },
    }),
  );

  const failure = subscription.error ? apiFailure(subscription.error) : null;
  const refusedWith =
    failure && (failure.code === "UNAUTHORIZED" || failure.code === "FORBIDDEN")
      ? (failure.domainCode ?? failure.code)
      : null;

  // A stream that failed for passing reasons is started again.
  const { status, reset } = subscription;
  useEffect(() => {
    if (status !== "error" || refusedWith) return;
    setStreamDownSince((since) => since ?? Date.now());
    const timer = setTimeout(reset, 2_000);
    return () => clearTimeout(timer);
  }, [status, reset, refusedWith]);

  useEffect(
    () => () => {
      if (frame.current !== null) cancelAnimationFrame(frame.current);
      if (refreshTimer.current) clearTimeout(refreshTimer.current);
    },
    [],
  );

  const downSince =
    status !== "pending" || streamDownSince !== null ? (streamDownSince ?? now) : upstreamDownSince;
  const marker: LiveMarkerState =
    downSince === null && snapshot
      ? { kind: "live" }
      : now - (downSince ?? now) < STALE_AFTER_MS
        ? { kind: "reconnecting", since: downSince ?? now }
        : { kind: "stale", since: downSince ?? now };
  return { snapshot, marker, refusedWith };
}
