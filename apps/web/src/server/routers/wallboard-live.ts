import { z } from "zod";
import { streamBoard } from "../live/board-stream";
import { deliverCommand, setAgentStatus } from "../live/set-agent-status";
import {
  authedProcedure,
  type BoardViewer,
  boardProcedure,
  TvTokenInvalidError,
} from "../trpc/init";

/** Every board read takes the TV token when there is no session (TV mode). */
export const boardInput = z.object({ tvToken: z.string().max(200).optional() });

/** How often a TV's stream checks that its link still works. */
const TV_RECHECK_MS = 30_000;

/** Whether a supervisor's change reached the running workers (the database holds it either way). */
const deliveredSchema = z.object({ delivered: z.boolean() });

/**
 * The board's live side: the stream (a snapshot, then events), who the
 * agents are, and the supervisors' controls.
 */
export const wallboardLiveProcedures = {
  /**
   * The live stream over SSE: a fresh snapshot first (on every connection,
   * so a reconnecting browser never double counts), then events. A TV's
   * stream ends with TV_TOKEN_INVALID once its link is revoked.
   */
  live: boardProcedure.input(boardInput).subscription(async function* ({ ctx, input, signal }) {
    const feed = await ctx.services.live.feed();
    const viewer: BoardViewer = ctx.viewer;
    let checkedAt = Date.now();
    const check =
      viewer.kind === "tv" && input.tvToken
        ? async () => {
            if (Date.now() - checkedAt < TV_RECHECK_MS) return;
            checkedAt = Date.now();
            if (!(await ctx.services.db.wallboardTokens.verify(input.tvToken as string))) {
              throw new TvTokenInvalidError();
            }
          }
        : undefined;
    yield* streamBoard({
      feed,
      signal: signal ?? new AbortController().signal,
      ...(check ? { check } : {}),
    });
  }),

  /** Who the agents are (names) and which agent groups serve each queue. */
  roster: boardProcedure
    .input(boardInput)
    .output(
      z.object({
        agents: z.array(
          z.object({ id: z.string(), name: z.string(), contact: z.string(), status: z.string() }),
        ),
        groups: z.array(z.object({ id: z.string(), name: z.string() })),
        queueGroups: z.record(z.string(), z.array(z.string())),
      }),
    )
    .query(async ({ ctx }) => {
      const { db } = ctx.services;
      const [agents, groups, queueGroups] = await Promise.all([
        db.agents.list(),
        db.groups.list(),
        db.queueStats.agentGroupsByQueue(),
      ]);
      return {
        agents: agents.map(({ id, name, contact, status }) => ({ id, name, contact, status })),
        groups: groups.map(({ id, name }) => ({ id, name })),
        queueGroups,
      };
    }),

  /**
   * Sets an agent's status (available, on a break, logged out) from the
   * board: stored first (workers started later read it), then sent to the
   * running workers.
   */
  setAgentStatus: authedProcedure
    .input(z.object({ agentId: z.string(), status: z.enum(["available", "onBreak", "loggedOut"]) }))
    .output(deliveredSchema)
    .mutation(({ ctx, input }) => setAgentStatus(ctx.services, input)),

  /**
   * Pauses a queue (it grants no slots; callers keep their places and hear
   * hold music) or resumes it (served in order): stored, then sent to the
   * running workers.
   */
  setQueuePaused: authedProcedure
    .input(z.object({ queueId: z.string().min(1).max(200), paused: z.boolean() }))
    .output(deliveredSchema)
    .mutation(async ({ ctx, input }) => {
      const { db, live } = ctx.services;
      await db.queueStates.setPaused(input.queueId, input.paused);
      return deliverCommand(live, {
        type: "setQueuePaused",
        queueId: input.queueId,
        paused: input.paused,
      });
    }),
};
