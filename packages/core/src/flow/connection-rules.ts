import { draftNodeOutputs } from "./draft-node-outputs.js";
import { describeNode } from "./node-name.js";
import type { FlowOutput, NodeTypeDefinition } from "./node-type.js";
import { getNodeType } from "./node-types.js";
import type { FlowProblemCode } from "./validate/flow-problem.js";

/**
 * What the connection rules need to know of a node at one end of an edge.
 */
export interface ConnectionEnd {
  readonly id: string;
  /** `undefined` for a node of an unknown type: nothing is judged of it. */
  readonly definition: NodeTypeDefinition | undefined;
  /** `undefined` while they are unknown (the config is broken): any handle is let through. */
  readonly outputs: readonly FlowOutput[] | undefined;
  /** How messages name it (see `describeNode`). */
  readonly name: string;
}

/** The problem codes a connection can be refused with; each is also a `validateFlow` code. */
export type ConnectionRefusalCode = Extract<
  FlowProblemCode,
  | "edgeSourceMissing"
  | "edgeTargetMissing"
  | "edgeIntoStart"
  | "edgeFromTerminal"
  | "unknownOutput"
  | "outputConnectedTwice"
  | "loopWithoutWait"
>;

/** Why an edge may not exist. */
export interface ConnectionRefusal {
  readonly code: ConnectionRefusalCode;
  /** The part of the edge at fault, for placing the problem. */
  readonly at: "source" | "sourceHandle" | "target";
  /** One sentence for people, e.g. `"Start" is where calls enter: nothing can lead into it`. */
  readonly reason: string;
}

/** An edge as the rules see it: its ends resolved, or `undefined` when that node does not exist. */
export interface EdgeEnds {
  readonly sourceId: string;
  readonly sourceHandle: string;
  readonly targetId: string;
  readonly source: ConnectionEnd | undefined;
  readonly target: ConnectionEnd | undefined;
  /** The name of the node another edge on the same output already leads to, if any. */
  readonly outputTakenBy?: string | undefined;
}

/**
 * The rules one edge must keep for the interpreter to follow it, in the
 * order they are judged: both ends exist; it does not enter a node that
 * takes no input (`start`); it does not leave a node that ends the call; it
 * leaves by an output its source has (unknown outputs are let through);
 * its output has no other edge (each output leads to one place). Every
 * refusal is returned; an edge with none is followable.
 *
 * `validateFlow` reports these for stored edges and the editor refuses a
 * connection with them, so the canvas never offers what publishing refuses.
 */
export function edgeRefusals(edge: EdgeEnds): ConnectionRefusal[] {
  const refusals: ConnectionRefusal[] = [];
  const { source, target, sourceHandle } = edge;
  if (!source) {
    refusals.push({
      code: "edgeSourceMissing",
      at: "source",
      reason: `It starts at a missing node ${edge.sourceId}`,
    });
  }
  if (!target) {
    refusals.push({
      code: "edgeTargetMissing",
      at: "target",
      reason: `It leads to a missing node ${edge.targetId}`,
    });
  } else if (target.definition && !target.definition.acceptsInput) {
    refusals.push({
      code: "edgeIntoStart",
      at: "target",
      reason: `${target.name} is where calls enter: nothing can lead into it`,
    });
  }
  if (!source) return refusals;
  if (source.definition?.terminal) {
    refusals.push({
      code: "edgeFromTerminal",
      at: "sourceHandle",
      reason: `${source.name} ends the call; it cannot lead on`,
    });
    return refusals;
  }
  if (source.outputs && !source.outputs.some((o) => o.id === sourceHandle)) {
    const names = source.outputs.map((o) => o.id).join(", ");
    refusals.push({
      code: "unknownOutput",
      at: "sourceHandle",
      reason: `${source.name} has no output "${sourceHandle}" (it has: ${names || "none"})`,
    });
    return refusals;
  }
  if (edge.outputTakenBy !== undefined) {
    const label = source.outputs?.find((o) => o.id === sourceHandle)?.label ?? sourceHandle;
    refusals.push({
      code: "outputConnectedTwice",
      at: "sourceHandle",
      reason: `Output "${label}" of ${source.name} already leads to ${edge.outputTakenBy}: an output leads to one place`,
    });
  }
  return refusals;
}

/** The parts of a flow (a draft, a parsed graph, the editor's state) the connection check reads. */
export interface ConnectableFlow {
  readonly nodes: readonly {
    readonly id: string;
    readonly type: string;
    readonly data?: unknown;
  }[];
  readonly edges: readonly {
    readonly id: string;
    readonly source: string;
    readonly sourceHandle?: string | null;
    readonly target: string;
  }[];
}

/** A connection being drawn: React Flow's `Connection` fits. */
export interface NewConnection {
  readonly source: string;
  readonly sourceHandle?: string | null;
  readonly target: string;
}

/** The rules' view of a flow node. */
export function connectionEndOf(node: ConnectableFlow["nodes"][number]): ConnectionEnd {
  return {
    id: node.id,
    definition: getNodeType(node.type),
    outputs: draftNodeOutputs(node.type, node.data),
    name: describeNode(node),
  };
}

/**
 * Whether `connection` may be added to `flow`, and if not, why: the edge
 * rules of {@link edgeRefusals} (its first refusal), and a loop from a node
 * straight back to itself where the node does not wait (it would spin: the
 * `loopWithoutWait` rule; a menu may lead back to itself to ask again).
 * `null` when it may.
 *
 * `replacing` names an edge the connection replaces (an edge being dragged
 * to a new target), which is then not counted as taking the output.
 */
export function checkConnection(
  flow: ConnectableFlow,
  connection: NewConnection,
  options: { readonly replacing?: string } = {},
): ConnectionRefusal | null {
  const sourceNode = flow.nodes.find((n) => n.id === connection.source);
  const targetNode = flow.nodes.find((n) => n.id === connection.target);
  const sourceHandle = connection.sourceHandle ?? "";
  const taken = flow.edges.find(
    (e) =>
      e.id !== options.replacing &&
      e.source === connection.source &&
      (e.sourceHandle ?? "") === sourceHandle,
  );
  const takenTarget = taken && flow.nodes.find((n) => n.id === taken.target);
  const source = sourceNode && connectionEndOf(sourceNode);
  const [first] = edgeRefusals({
    sourceId: connection.source,
    sourceHandle,
    targetId: connection.target,
    source,
    target: targetNode && connectionEndOf(targetNode),
    outputTakenBy: taken && (takenTarget ? describeNode(takenTarget) : taken.target),
  });
  if (first) return first;
  if (source?.definition && connection.source === connection.target && !source.definition.waits) {
    return {
      code: "loopWithoutWait",
      at: "target",
      reason: `${source.name} would lead straight back to itself without waiting: the call would spin`,
    };
  }
  return null;
}
