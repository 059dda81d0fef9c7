import { FLOW_SCHEMA_VERSION, type FlowDraft } from "@ringflow/core/flow";

/**
 * A large, realistic flow for the editor benchmark: `nodes` nodes and
 * exactly `edges` edges, every node reachable from the start, no loops, no
 * errors (only unconnected-output warnings where outputs are left over).
 * Deterministic, so runs compare.
 */
export function createLargeFlow(options: { nodes: number; edges: number }): FlowDraft {
  const kinds = [
    "menu",
    "announce",
    "queue",
    "timeCondition",
    "announce",
    "queue",
    "hangup",
    "voicemail",
  ] as const;
  const nodes: FlowDraft["nodes"] = [
    { id: "start", type: "start", position: { x: 0, y: 0 }, data: { numbers: ["7000"] } },
  ];
  const outputsOf: string[][] = [["next"]];
  for (let i = 1; i < options.nodes; i++) {
    const type = kinds[i % kinds.length] as (typeof kinds)[number];
    const id = `${type}-${i}`;
    // Columns of 12: the layout of a flow drawn left to right.
    const position = { x: Math.floor(i / 12) * 320, y: (i % 12) * 200 };
    const data: Record<string, unknown> =
      type === "menu"
        ? {
            label: `Menu ${i}`,
            prompt: { kind: "speech", text: "For sales press 1, for support press 2." },
            options: [
              { digit: "1", label: "Sales" },
              { digit: "2", label: "Support" },
            ],
          }
        : type === "announce"
          ? { label: `Message ${i}`, message: { kind: "speech", text: "Thank you for calling." } }
          : type === "queue"
            ? { label: `Queue ${i}`, queueId: `queue-${i % 7}`, maxConcurrent: 2 }
            : type === "timeCondition"
              ? { label: `Hours ${i}`, timeZone: "Europe/London" }
              : type === "voicemail"
                ? { mailbox: `box-${i}` }
                : {};
    nodes.push({ id, type, position, data });
    outputsOf.push(
      type === "menu"
        ? ["1", "2", "timeout", "invalid"]
        : type === "queue"
          ? ["acquired", "timeout"]
          : type === "timeCondition"
            ? ["open", "closed"]
            : type === "announce"
              ? ["next"]
              : [],
    );
  }
  const free: { source: number; handle: string }[] = [];
  const edges: FlowDraft["edges"] = [];
  const link = (source: number, handle: string, target: number) =>
    edges.push({
      id: `e${edges.length + 1}`,
      source: (nodes[source] as FlowDraft["nodes"][number]).id,
      sourceHandle: handle,
      target: (nodes[target] as FlowDraft["nodes"][number]).id,
    });
  // First make every node reachable: each takes an edge from the earliest free output.
  let next = 1;
  for (let source = 0; source < nodes.length && next < nodes.length; source++) {
    for (const handle of outputsOf[source] ?? []) {
      if (next < nodes.length && next > source) link(source, handle, next++);
      else free.push({ source, handle });
    }
  }
  for (let source = 0; source < nodes.length; source++) {
    for (const handle of outputsOf[source] ?? []) {
      if (
        !edges.some((e) => e.source === nodes[source]?.id && e.sourceHandle === handle) &&
        !free.some((f) => f.source === source && f.handle === handle)
      ) {
        free.push({ source, handle });
      }
    }
  }
  // Then spend the rest on forward edges (no loops), spread over the flow.
  for (let i = 0; edges.length < options.edges && i < free.length; i++) {
    const { source, handle } = free[(i * 37) % free.length] as (typeof free)[number];
    if (edges.some((e) => e.source === nodes[source]?.id && e.sourceHandle === handle)) continue;
    const target = Math.min(nodes.length - 1, source + 1 + ((i * 13) % 23));
    if (target > source) link(source, handle, target);
  }
  return { schemaVersion: FLOW_SCHEMA_VERSION, nodes, edges };
}
