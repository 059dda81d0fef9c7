import type { FlowGraphInput } from "@ringflow/core/flow";

/** Queues of the soak, with the limit their flows give them. */
export const SOAK_QUEUES = { support: 4, sales: 2 } as const;

/** Callers from these numbers are VIPs in the support queue. */
export const VIP_PREFIX = "+44794600";

const at = (x: number, y = 0) => ({ x: x * 200, y: y * 150 });

/**
 * The support line: queue `support` (4 at a time, VIPs first, 20 s stay at
 * most, position announced every 10 s) → the logged-in agents of
 * `agentGroupId`, in parallel → bridge → hang up. Nobody answering, or a
 * failed bridge: a message, then the line again; out of time: voicemail.
 */
export function supportFlow(numbers: readonly string[], agentGroupId: string): FlowGraphInput {
  return {
    schemaVersion: 1,
    nodes: [
      { id: "start", type: "start", position: at(0), data: { numbers: [...numbers] } },
      {
        id: "queue",
        type: "queue",
        position: at(1),
        data: {
          queueId: "support",
          maxConcurrent: SOAK_QUEUES.support,
          timeoutSeconds: 20,
          vipNumbers: [`${VIP_PREFIX}*`],
          vipPriority: 0,
          announceEverySeconds: 10,
        },
      },
      {
        id: "agents",
        type: "ringGroup",
        position: at(2),
        data: {
          targets: { kind: "agentGroup", agentGroupId },
          mode: "parallel",
          legTimeoutSeconds: 4,
          totalTimeoutSeconds: 6,
        },
      },
      { id: "connect", type: "bridge", position: at(3), data: { to: { kind: "answeredLeg" } } },
      { id: "bye", type: "hangup", position: at(4), data: {} },
      {
        id: "busy",
        type: "announce",
        position: at(2, 1),
        data: { message: { kind: "file", file: "ivr/ivr-all_agents_busy.wav" } },
      },
      { id: "mailbox", type: "voicemail", position: at(3, 1), data: { mailbox: "7100" } },
    ],
    edges: [
      { id: "e1", source: "start", sourceHandle: "next", target: "queue" },
      { id: "e2", source: "queue", sourceHandle: "acquired", target: "agents" },
      { id: "e3", source: "queue", sourceHandle: "timeout", target: "mailbox" },
      { id: "e4", source: "agents", sourceHandle: "answered", target: "connect" },
      { id: "e5", source: "agents", sourceHandle: "noAnswer", target: "busy" },
      { id: "e6", source: "busy", sourceHandle: "next", target: "queue" },
      { id: "e7", source: "connect", sourceHandle: "completed", target: "bye" },
      { id: "e8", source: "connect", sourceHandle: "failed", target: "busy" },
    ],
  };
}

/**
 * The sales line: a menu (1: queue `sales`, 2 at a time, then two agents in
 * sequence; 2: voicemail; no key: a message and goodbye).
 */
export function salesFlow(
  numbers: readonly string[],
  destinations: readonly string[],
): FlowGraphInput {
  return {
    schemaVersion: 1,
    nodes: [
      { id: "start", type: "start", position: at(0), data: { numbers: [...numbers] } },
      {
        id: "menu",
        type: "menu",
        position: at(1),
        data: {
          prompt: { kind: "file", file: "ivr/ivr-welcome.wav" },
          options: [
            { digit: "1", label: "Sales" },
            { digit: "2", label: "Voicemail" },
          ],
          retries: 0,
          timeoutSeconds: 2,
        },
      },
      {
        id: "queue",
        type: "queue",
        position: at(2),
        data: {
          queueId: "sales",
          maxConcurrent: SOAK_QUEUES.sales,
          timeoutSeconds: 15,
          announceEverySeconds: null,
        },
      },
      {
        id: "agents",
        type: "ringGroup",
        position: at(3),
        data: {
          targets: { kind: "destinations", destinations: [...destinations] },
          mode: "sequential",
          legTimeoutSeconds: 3,
          totalTimeoutSeconds: 6,
        },
      },
      { id: "connect", type: "bridge", position: at(4), data: { to: { kind: "answeredLeg" } } },
      { id: "bye", type: "hangup", position: at(5), data: {} },
      { id: "mailbox", type: "voicemail", position: at(3, 1), data: { mailbox: "7200" } },
      {
        id: "goodbye",
        type: "announce",
        position: at(2, 1),
        data: { message: { kind: "file", file: "ivr/ivr-thank_you_for_calling.wav" } },
      },
      { id: "end", type: "hangup", position: at(3, 2), data: {} },
    ],
    edges: [
      { id: "e1", source: "start", sourceHandle: "next", target: "menu" },
      { id: "e2", source: "menu", sourceHandle: "1", target: "queue" },
      { id: "e3", source: "menu", sourceHandle: "2", target: "mailbox" },
      { id: "e4", source: "menu", sourceHandle: "timeout", target: "goodbye" },
      { id: "e5", source: "menu", sourceHandle: "invalid", target: "goodbye" },
      { id: "e6", source: "goodbye", sourceHandle: "next", target: "end" },
      { id: "e7", source: "queue", sourceHandle: "acquired", target: "agents" },
      { id: "e8", source: "queue", sourceHandle: "timeout", target: "mailbox" },
      { id: "e9", source: "agents", sourceHandle: "answered", target: "connect" },
      { id: "e10", source: "agents", sourceHandle: "noAnswer", target: "mailbox" },
      { id: "e11", source: "connect", sourceHandle: "completed", target: "bye" },
      { id: "e12", source: "connect", sourceHandle: "failed", target: "mailbox" },
    ],
  };
}
