/**
 * A small flow that validates clean: start → queue → ring group (an agent
 * group) → bridge, with the unanswered and timed-out calls hung up.
 */
export function queueFlow(options: { queueId: string; agentGroupId: string; numbers?: string[] }) {
  return {
    schemaVersion: 1,
    nodes: [
      {
        id: "start",
        type: "start",
        position: { x: 0, y: 0 },
        data: { numbers: options.numbers ?? [] },
      },
      {
        id: "queue",
        type: "queue",
        position: { x: 200, y: 0 },
        data: { queueId: options.queueId },
      },
      {
        id: "ring",
        type: "ringGroup",
        position: { x: 400, y: 0 },
        data: {
          targets: { kind: "agentGroup", agentGroupId: options.agentGroupId },
          mode: "parallel",
        },
      },
      {
        id: "connect",
        type: "bridge",
        position: { x: 600, y: 0 },
        data: { to: { kind: "answeredLeg" } },
      },
      { id: "bye", type: "hangup", position: { x: 600, y: 200 }, data: {} },
    ],
    edges: [
      { id: "e1", source: "start", sourceHandle: "next", target: "queue" },
      { id: "e2", source: "queue", sourceHandle: "acquired", target: "ring" },
      { id: "e3", source: "queue", sourceHandle: "timeout", target: "bye" },
      { id: "e4", source: "ring", sourceHandle: "answered", target: "connect" },
      { id: "e5", source: "ring", sourceHandle: "noAnswer", target: "bye" },
      { id: "e6", source: "connect", sourceHandle: "completed", target: "bye" },
      { id: "e7", source: "connect", sourceHandle: "failed", target: "bye" },
    ],
  };
}
