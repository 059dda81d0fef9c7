import type { LiveEvent, LiveFeed } from "@ringflow/core/live";

/**
 * A view of `feed` holding one agent and nothing else: its snapshots carry
 * only agent `agentId` (no queue, no other agent), and only that agent's
 * events reach subscribers. What an agent's own stream reads, so the
 * server never sends them anyone else's state. Closing it leaves `feed`
 * open (the process shares it).
 */
export function agentOnlyFeed(feed: LiveFeed, agentId: string): LiveFeed {
  const isTheirs = (event: LiveEvent) =>
    (event.type === "agent" && event.agent.id === agentId) ||
    (event.type === "agentRemoved" && event.agentId === agentId);
  return {
    async snapshot() {
      const snapshot = await feed.snapshot();
      return {
        at: snapshot.at,
        queues: [],
        agents: snapshot.agents.filter((agent) => agent.id === agentId),
      };
    },
    subscribe(listener, options) {
      return feed.subscribe((event) => {
        if (isTheirs(event)) listener(event);
      }, options);
    },
    async close() {},
  };
}
