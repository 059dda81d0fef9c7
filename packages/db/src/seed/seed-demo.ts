import type { Db } from "../create-db.js";

/** The number the demo flow answers. */
export const DEMO_NUMBER = "7000";

/** What {@link seedDemo} left in the database. */
export interface DemoSeed {
  flowId: string;
  queueId: string;
  groupId: string;
  agentIds: string[];
  /** False when the demo was already there and nothing changed. */
  created: boolean;
}

const DEMO_AGENTS = [
  { contact: "user/1001", name: "Alice" },
  { contact: "user/1002", name: "Bob" },
  { contact: "user/1003", name: "Carol" },
] as const;

/** What the demo is seeded with. */
export interface SeedDemoOptions {
  /**
   * The demo flow's graph (core's `createDemoFlow()`); passed in so this
   * package stores flows without depending on how they are drawn.
   */
  graph: unknown;
}

/**
 * Seeds the demo: queue `support`, agents user/1001..1003 in group
 * `Support`, and a flow published as version 1 and routed from
 * {@link DEMO_NUMBER}. Idempotent: with the number already routed it only
 * reports what is there.
 */
export async function seedDemo<G>(db: Db<G>, options: SeedDemoOptions): Promise<DemoSeed> {
  const queue = await db.queues.save({
    id: "support",
    name: "Support",
    maxConcurrent: 2,
    maxWaiting: 10,
    timeoutMs: 300_000,
    announcementIntervalMs: 60_000,
  });
  const agentIds: string[] = [];
  for (const agent of DEMO_AGENTS) {
    const existing = await db.agents.findByContact(agent.contact);
    agentIds.push((existing ?? (await db.agents.create({ ...agent, wrapUpMs: 5_000 }))).id);
  }
  const group =
    (await db.groups.findByName("Support")) ??
    (await db.groups.create({ name: "Support", agentIds }));

  const route = await db.routes.get(DEMO_NUMBER);
  if (route) {
    return { flowId: route.flowId, queueId: queue.id, groupId: group.id, agentIds, created: false };
  }
  const flow = await db.flows.create({
    name: "Demo support line",
    description: `Callers to ${DEMO_NUMBER} queue for the Support group, else voicemail.`,
    draftGraph: options.graph,
  });
  await db.versions.publish({ flowId: flow.id, publishedBy: "seed", comment: "Demo flow" });
  await db.routes.set({ number: DEMO_NUMBER, flowId: flow.id });
  return { flowId: flow.id, queueId: queue.id, groupId: group.id, agentIds, created: true };
}
