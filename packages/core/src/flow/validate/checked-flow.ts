import { z } from "zod";
import { type ConnectionEnd, edgeRefusals } from "../connection-rules.js";
import {
  FLOW_SCHEMA_VERSION,
  type FlowNode,
  flowDraftSchema,
  flowEdgeSchema,
  flowNotesSchema,
  MAX_FLOW_EDGES,
  MAX_FLOW_NODES,
} from "../flow-graph.js";
import { type FlowIssue, type FlowPath, flowIssueFrom } from "../flow-issue.js";
import { describeNode as describeAnyNode } from "../node-name.js";
import type { FlowOutput, NodeTypeDefinition } from "../node-type.js";
import { getNodeType } from "../node-types.js";
import type { ProblemList } from "./flow-problem.js";

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
  return describeAnyNode({ id: node.id, type: node.type, data: node.rawData });
}

const envelopeSchema = z.object({
  schemaVersion: z.literal(
    FLOW_SCHEMA_VERSION,
    `Unsupported schemaVersion; this version reads ${FLOW_SCHEMA_VERSION}`,
  ),
  nodes: z.array(z.unknown()).max(MAX_FLOW_NODES),
  edges: z.array(z.unknown()).max(MAX_FLOW_EDGES),
  notes: flowNotesSchema,
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
  const source = nodes.get(edge.source);
  const target = nodes.get(edge.target);
  const taken = outgoing.get(edge.source)?.find((e) => e.sourceHandle === edge.sourceHandle);
  // A node's outputs are known only once its config parses (a menu's come
  // from it); until then its handles are judged later, and its edges still
  // count for reachability, lest one half-edited node turn the rest grey.
  const refusals = edgeRefusals({
    sourceId: edge.source,
    sourceHandle: edge.sourceHandle,
    targetId: edge.target,
    source: source && endOf(source),
    target: target && endOf(target),
    outputTakenBy: taken?.target,
  });
  for (const refusal of refusals) {
    const node = refusal.at === "target" ? target : source;
    report.add(refusal.code, `Edge ${edge.id}: ${refusal.reason}`, {
      edgeId: edge.id,
      ...(node && { nodeId: node.id }),
      path: edgePath(edge.index, refusal.at),
    });
  }
  return refusals.length === 0;
}

function endOf(node: CheckedNode): ConnectionEnd {
  return {
    id: node.id,
    definition: node.definition,
    outputs: node.outputs,
    name: describeNode(node),
  };
}
