import { z } from "zod";
import { type AgentSnapshot, agentStateSchema, agentStatusSchema } from "./agent.js";
import { deriveAgentState } from "./derive-agent-state.js";

/** An agent's hash in Redis, as written by agents/upsert.lua and the other agent scripts. */
export const agentHashSchema = z.object({
  id: z.string(),
  contact: z.string(),
  groups: z.string().transform((text, ctx) => {
    try {
      return z.array(z.string()).parse(JSON.parse(text));
    } catch {
      ctx.addIssue({ code: "custom", message: "groups is not a JSON array of strings" });
      return z.NEVER;
    }
  }),
  wrapUpMs: z.coerce.number(),
  maxNoAnswer: z.coerce.number(),
  status: agentStatusSchema,
  statusSince: z.coerce.number(),
  state: agentStateSchema,
  stateSince: z.coerce.number(),
  wrapUpUntil: z.coerce.number(),
  noAnswerCount: z.coerce.number(),
});

/** The stored fields of one agent. */
export type StoredAgent = z.infer<typeof agentHashSchema>;

/** An agent as of `now`, from its stored hash and its leases (`[member, score, ...]`). */
export function toSnapshot(
  stored: StoredAgent,
  flatLeases: readonly string[],
  now: number,
): AgentSnapshot {
  let calls = 0;
  let offers = 0;
  const lapsed: number[] = [];
  for (let i = 0; i < flatLeases.length; i += 2) {
    const member = flatLeases[i] as string;
    const expiresAt = Number(flatLeases[i + 1]);
    if (expiresAt <= now) lapsed.push(expiresAt);
    else if (member.startsWith("r:")) offers++;
    else calls++;
  }
  const state = deriveAgentState({ calls, offers, wrapUpUntil: stored.wrapUpUntil }, now);
  // When the stored state is stale (a wrap-up or a dead worker's lease ran
  // out and no script has run since), it changed at the latest such moment.
  const stateSince =
    state === stored.state
      ? stored.stateSince
      : Math.max(
          stored.stateSince,
          ...[stored.wrapUpUntil, ...lapsed].filter((t) => t <= now && t > stored.stateSince),
        );
  return {
    id: stored.id,
    contact: stored.contact,
    groups: stored.groups,
    wrapUpMs: stored.wrapUpMs,
    maxNoAnswer: stored.maxNoAnswer,
    status: stored.status,
    statusSince: stored.statusSince,
    state,
    stateSince,
    wrapUpUntil: stored.wrapUpUntil > 0 ? stored.wrapUpUntil : null,
    noAnswerCount: stored.noAnswerCount,
  };
}
