import { z } from "zod";
import {
  FLOW_SCHEMA_VERSION,
  type FlowNode,
  flowDraftSchema,
  flowEdgeSchema,
  MAX_FLOW_EDGES,
  MAX_FLOW_NODES,
} from "./flow-graph.js";
import { type FlowIssue, type FlowPath, flowIssueFrom } from "./flow-issue.js";
import type { ProblemList } from "./flow-problem.js";
import type { FlowOutput, NodeTypeDefinition } from "./node-type.js";
import { getNodeType } from "./node-types.js";

/** A node that passed the envelope checks. */
export interface CheckedNode {
  readonly index: number;
  readonly id: string;
  readonly type: string;
  /** Undefined for an unknown type. */
  readonly definition: NodeTypeDefinition | undefined;
  /** `data` as written. */
  readonly rawData: Readonly<Record<string, unknown>>;
  /** The node with its config parsed, when type and config are valid. */
  readonly parsed: FlowNode | undefined;
  /** Outputs, when the config parsed (a menu's depend on it). */
  readonly outputs: readonly FlowOutput[] | undefined;
}

/**
 * An edge the interpreter could follow: both ends exist, it is the first on
 * its output, and the output is real (or not yet known: the source's config
 * is invalid).
 */
export interface CheckedEdge {
  readonly index: number;
  readonly id: string;
  readonly source: string;
  readonly sourceHandle: string;
  readonly target: string;
}

/** The parts of a flow good enough to analyse as a graph. */
export interface CheckedFlow {
  /** By id, first occurrence only, in document order. */
  readonly nodes: ReadonlyMap<string, CheckedNode>;
  /** Followable edges by source node id, in document order. */
  readonly outgoing: ReadonlyMap<string, readonly CheckedEdge[]>;
  readonly start: CheckedNode | undefined;
}

/** The node's label in quotes (`"Support queue"`), or its type and id (`Queue q1`). */
export function describeNode(node: CheckedNode): string {
  const label = node.rawData.label;
  if (typeof label === "string" && label.trim() !== "") return `"${label.trim()}"`;
  return `${node.definition?.label ?? node.type} ${node.id}`;
}

const envelopeSchema = z.object({
  schemaVersion: z.literal(
    FLOW_SCHEMA_VERSION,
    `Unsupported schemaVersion; this version reads ${FLOW_SCHEMA_VERSION}`,
  ),
  nodes: z.array(z.unknown()).max(MAX_FLOW_NODES),
  edges: z.array(z.unknown()).max(MAX_FLOW_EDGES),
});

const looseNodeSchema = flowDraftSchema.shape.nodes.element;

function elementMessage(kind: string, index: number, issue: FlowIssue): string {
  const name = issue.nodeId ?? issue.edgeId ?? `#${index + 1}`;
  const field = issue.path.slice(2).join(".");
  return `${kind} ${name}: ${field === "" ? "" : `${field}: `}${issue.message}`;
}

function nodePath(index: number, ...rest: (string | number)[]): FlowPath {
  return ["nodes", index, ...rest];
}

function edgePath(index: number, ...rest: (string | number)[]): FlowPath {
  return ["edges", index, ...rest];
}

/**
 * Checks a flow document's envelope, nodes and edges one by one, reporting
 * what is malformed, and keeps what is sound enough for the graph checks.
 * Returns `undefined` when the document is not a flow at all.
 */
export function checkFlowElements(flow: unknown, report: ProblemList): CheckedFlow | undefined {
  const envelope = envelopeSchema.safeParse(flow);
  if (!envelope.success) {
    for (const issue of envelope.error.issues) {
      const { path, message } = flowIssueFrom(issue, flow);
      report.add("malformedFlow", message, { path });
    }
    return undefined;
  }

  const nodes = new Map<string, CheckedNode>();
  envelope.data.nodes.forEach((raw, index) => {
    const parsed = looseNodeSchema.safeParse(raw);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        const located = flowIssueFrom(issue, flow, nodePath(index));
        const { message: _, ...where } = located;
        report.add("malformedNode", elementMessage("Node", index, located), where);
      }
      return;
    }
    const { id, type, position, data } = parsed.data;
    if (nodes.has(id)) {
      report.add("duplicateNodeId", `Another node already has the id ${id}`, {
        nodeId: id,
        path: nodePath(index, "id"),
      });
      return;
    }
    const definition = getNodeType(type);
    const node: CheckedNode = {
      index,
      id,
      type,
      definition,
      rawData: data,
      parsed: undefined,
      outputs: undefined,
    };
    if (!definition) {
      report.add("unknownNodeType", `Node ${id} has an unknown type "${type}"`, {
        nodeId: id,
        path: nodePath(index, "type"),
      });
      nodes.set(id, node);
      return;
    }
    const config = definition.dataSchema.safeParse(data);
    if (!config.success) {
      for (const issue of config.error.issues) {
        const { path, message } = flowIssueFrom(issue, undefined, nodePath(index, "data"));
        const field = path.slice(3).join(".");
        report.add(
          "invalidNodeConfig",
          `${describeNode(node)}: ${field === "" ? "" : `${field}: `}${message}`,
          { nodeId: id, path },
        );
      }
      nodes.set(id, node);
      return;
    }
    nodes.set(id, {
      ...node,
      // The type's own schema accepted `data`, which is what flowNodeSchema checks for this type.
      parsed: { id, type, position, data: config.data } as FlowNode,
      outputs: definition.outputs(config.data),
    });
  });

  const outgoing = new Map<string, CheckedEdge[]>();
  const edgeIds = new Set<string>();
  envelope.data.edges.forEach((raw, index) => {
    const parsed = flowEdgeSchema.safeParse(raw);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        const located = flowIssueFrom(issue, flow, edgePath(index));
        const { message: _, ...where } = located;
        report.add("malformedEdge", elementMessage("Edge", index, located), where);
      }
      return;
    }
    const edge: CheckedEdge = { index, ...parsed.data };
    if (edgeIds.has(edge.id)) {
      report.add("duplicateEdgeId", `Another edge already has the id ${edge.id}`, {
        edgeId: edge.id,
        path: edgePath(index, "id"),
      });
      return;
    }
    edgeIds.add(edge.id);
    if (checkEdge(edge, nodes, outgoing, report)) {
      const list = outgoing.get(edge.source) ?? [];
      list.push(edge);
      outgoing.set(edge.source, list);
    }
  });

  const starts = [...nodes.values()].filter((n) => n.type === "start");
  if (starts.length === 0) report.add("missingStart", "The flow needs a Start node");
  for (const extra of starts.slice(1)) {
    report.add("multipleStarts", `A flow has one Start node; ${extra.id} is an extra one`, {
      nodeId: extra.id,
      path: nodePath(extra.index),
    });
  }
  return { nodes, outgoing, start: starts[0] };
}

/** Reports what is wrong with one edge; true when the interpreter could follow it. */
function checkEdge(
  edge: CheckedEdge,
  nodes: ReadonlyMap<string, CheckedNode>,
  outgoing: ReadonlyMap<string, readonly CheckedEdge[]>,
  report: ProblemList,
): boolean {
  const where = { edgeId: edge.id };
  const source = nodes.get(edge.source);
  const target = nodes.get(edge.target);
  let followable = true;
  if (!source) {
    report.add("edgeSourceMissing", `Edge ${edge.id} starts at a missing node ${edge.source}`, {
      ...where,
      path: edgePath(edge.index, "source"),
    });
    followable = false;
  }
  if (!target) {
    report.add("edgeTargetMissing", `Edge ${edge.id} leads to a missing node ${edge.target}`, {
      ...where,
      path: edgePath(edge.index, "target"),
    });
    followable = false;
  } else if (target.definition && !target.definition.acceptsInput) {
    report.add("edgeIntoStart", `Edge ${edge.id} leads into ${describeNode(target)}`, {
      ...where,
      nodeId: target.id,
      path: edgePath(edge.index, "target"),
    });
    followable = false;
  }
  if (!source) return false;
  const handlePath = edgePath(edge.index, "sourceHandle");
  if (source.definition?.terminal) {
    report.add("edgeFromTerminal", `${describeNode(source)} ends the call; it cannot lead on`, {
      ...where,
      nodeId: source.id,
      path: handlePath,
    });
    return false;
  }
  // Without a valid config the outputs are unknown (a menu's come from it), so
  // the handle is judged once the config is fixed; the edge still counts for
  // reachability, lest one half-edited node turn the rest of the flow grey.
  if (source.outputs && !source.outputs.some((o) => o.id === edge.sourceHandle)) {
    const names = source.outputs.map((o) => o.id).join(", ");
    report.add(
      "unknownOutput",
      `${describeNode(source)} has no output "${edge.sourceHandle}" (it has: ${names})`,
      { ...where, nodeId: source.id, path: handlePath },
    );
    return false;
  }
  const taken = outgoing.get(source.id)?.find((e) => e.sourceHandle === edge.sourceHandle);
  if (taken) {
    report.add(
      "outputConnectedTwice",
      `Output "${edge.sourceHandle}" of ${describeNode(source)} already leads to ${taken.target}`,
      { ...where, nodeId: source.id, path: handlePath },
    );
    return false;
  }
  return followable;
}
