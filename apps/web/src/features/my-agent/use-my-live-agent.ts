"use client";

import {
  applyLiveEvents,
  type LiveAgent,
  type LiveEvent,
  type LiveSnapshot,
} from "@ringflow/core/live";
import { useSubscription } from "@trpc/tanstack-react-query";
import { useCallback, useEffect, useRef, useState } from "react";
import { apiFailure } from "@/lib/api-errors";
import type { BoardMessage } from "@/server/live/board-stream";
import { useTRPC } from "@/trpc/client";

/** What {@link useMyLiveAgent} gives the agent page. */
export interface MyLiveAgent {
  /** False until the stream's first snapshot, and while it reconnects. */
  readonly connected: boolean;
  /** The workers' live state cannot be read (the web server lost them). */
  readonly upstreamDown: boolean;
  /** The agent's live state, from the stream; null when the workers do not hold them. */
  readonly agent: LiveAgent | null;
}

/**
 * The signed-in agent's live state, pushed (`myAgent.live`): each snapshot
 * replaces what is held, events are applied with core's `applyLiveEvents`,
 * as the wall-board does. `onChange` is told of every change (the page
 * reads the configured status again). A stream that fails is started
 * again after 2 s, unless it was refused.
 */
export function useMyLiveAgent(onChange: () => void): MyLiveAgent {
  const trpc = useTRPC();
  const [snapshot, setSnapshot] = useState<LiveSnapshot | null>(null);
  const [upstreamDown, setUpstreamDown] = useState(false);
  const changed = useRef(onChange);
  changed.current = onChange;

  const onData = useCallback((message: BoardMessage) => {
    switch (message.type) {
      case "snapshot":
        setSnapshot(message.snapshot);
        changed.current();
        break;
      case "events":
        setSnapshot((current) =>
          current ? applyLiveEvents(current, message.events as LiveEvent[]) : current,
        );
        changed.current();
        break;
      case "upstream":
        setUpstreamDown(message.state !== "live");
        break;
    }
  }, []);

  const subscription = useSubscription(
    trpc.myAgent.live.subscriptionOptions(undefined, {
      onData,
      onConnectionStateChange: (state) => {
        if (state.state !== "pending") setSnapshot(null);
      },
    }),
  );

  const failure = subscription.error ? apiFailure(subscription.error) : null;
  const refused =
    failure !== null && ["UNAUTHORIZED", "FORBIDDEN", "PRECONDITION_FAILED"].includes(failure.code);
  const { status, reset } = subscription;
  useEffect(() => {
    if (status !== "error" || refused) return;
    setSnapshot(null);
    const timer = setTimeout(reset, 2_000);
    return () => clearTimeout(timer);
  }, [status, reset, refused]);

  return {
    connected: snapshot !== null && status === "pending",
    upstreamDown,
    agent: snapshot?.agents[0] ?? null,
  };
}
