import type { FlowGraph } from "@ringflow/core/flow";
import type { Db } from "@ringflow/db";

/** The number the demo flow answers. */
export const DEMO_DEV_NUMBER = "7000";

/** The simulated agents: their extension in the simulator and their name. */
export const DEMO_AGENTS = [
  { extension: "1001", name: "Ana" },
  { extension: "1002", name: "Ben" },
  { extension: "1003", name: "Chloé" },
  { extension: "1004", name: "Dev" },
] as const;

/** Callers whose number starts so are VIPs in the demo queue. */
export const DEMO_VIP_PREFIX = "+447700900";

/**
 * The demo flow: start → opening hours → queue "sales" (two at a time, VIP
 * numbers first) → ring the Sales team → connect; voicemail when nobody
 * answers, when the wait runs out, and out of hours.
 */
export function demoFlowGraph(agentGroupId: string) {
  return {
    schemaVersion: 1,
    nodes: [
      {
        id: "start",
        type: "start",
        position: { x: 0, y: 160 },
        data: { label: "Sales line", numbers: [DEMO_DEV_NUMBER] },
      },
      {
        id: "hours",
        type: "timeCondition",
        position: { x: 260, y: 160 },
        data: {
          label: "Opening hours",
          timeZone: "Europe/London",
          hours: [
            { days: ["mon", "tue", "wed", "thu", "fri", "sat", "sun"], from: "00:00", to: "24:00" },
          ],
        },
      },
      {
        id: "queue",
        type: "queue",
        position: { x: 520, y: 100 },
        data: {
          label: "Sales queue",
          queueId: "sales",
          maxConcurrent: 2,
          timeoutSeconds: 240,
          vipNumbers: [`${DEMO_VIP_PREFIX}*`],
          announceEverySeconds: 30,
        },
      },
      {
        id: "team",
        type: "ringGroup",
        position: { x: 780, y: 100 },
        data: {
          label: "Sales team",
          targets: { kind: "agentGroup", agentGroupId },
          mode: "parallel",
          legTimeoutSeconds: 20,
          totalTimeoutSeconds: 25,
        },
      },
      {
        id: "connect",
        type: "bridge",
        position: { x: 1040, y: 100 },
        data: { label: "Connect", to: { kind: "answeredLeg" } },
      },
      { id: "bye", type: "hangup", position: { x: 1300, y: 100 }, data: { label: "End" } },
      {
        id: "closed",
        type: "announce",
        position: { x: 520, y: 320 },
        data: {
          label: "Closed",
          message: {
            kind: "speech",
            text: "We are closed. Please leave a message after the tone.",
          },
        },
      },
      {
        id: "voicemail",
        type: "voicemail",
        position: { x: 1040, y: 320 },
        data: { label: "Sales mailbox", mailbox: DEMO_DEV_NUMBER },
      },
    ],
    edges: [
      { id: "start-hours", source: "start", sourceHandle: "next", target: "hours" },
      { id: "hours-queue", source: "hours", sourceHandle: "open", target: "queue" },
      { id: "hours-closed", source: "hours", sourceHandle: "closed", target: "closed" },
      { id: "closed-voicemail", source: "closed", sourceHandle: "next", target: "voicemail" },
      { id: "queue-team", source: "queue", sourceHandle: "acquired", target: "team" },
      { id: "queue-voicemail", source: "queue", sourceHandle: "timeout", target: "voicemail" },
      { id: "team-connect", source: "team", sourceHandle: "answered", target: "connect" },
      { id: "team-voicemail", source: "team", sourceHandle: "noAnswer", target: "voicemail" },
      { id: "connect-bye", source: "connect", sourceHandle: "completed", target: "bye" },
      { id: "connect-voicemail", source: "connect", sourceHandle: "failed", target: "voicemail" },
    ],
  };
}

/**
 * Seeds the demo once: the `sales` queue, four agents in the Sales team,
 * the demo flow published and routed from {@link DEMO_DEV_NUMBER}. With the
 * number already routed it changes nothing (your edits survive restarts).
 */
export async function seedDevDemo(db: Db<FlowGraph>): Promise<{ created: boolean }> {
  if (await db.routes.get(DEMO_DEV_NUMBER)) return { created: false };
  if (!(await db.queues.get("sales"))) {
    await db.queues.save({
      id: "sales",
      name: "Sales",
      maxConcurrent: 2,
      maxWaiting: 30,
      timeoutMs: 240_000,
      announcementIntervalMs: 30_000,
    });
  }
  const agentIds: string[] = [];
  for (const agent of DEMO_AGENTS) {
    const contact = `user/${agent.extension}`;
    const existing = await db.agents.findByContact(contact);
    agentIds.push(
      (existing ?? (await db.agents.create({ contact, name: agent.name, wrapUpMs: 5_000 }))).id,
    );
  }
  const group =
    (await db.groups.findByName("Sales team")) ??
    (await db.groups.create({ name: "Sales team", agentIds }));
  const flow = await db.flows.create({
    name: "Sales line",
    description: `The demo: callers to ${DEMO_DEV_NUMBER} queue for the Sales team, else voicemail.`,
    draftGraph: demoFlowGraph(group.id),
  });
  await db.versions.publish({ flowId: flow.id, publishedBy: "demo", comment: "The demo flow" });
  await db.routes.set({ number: DEMO_DEV_NUMBER, flowId: flow.id });
  return { created: true };
}
