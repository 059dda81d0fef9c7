import type { z } from "zod";
import type { FlowOutput, NodeTypeDefinition } from "./node-type.js";
import { announceNodeType } from "./nodes/announce.js";
import { bridgeNodeType } from "./nodes/bridge.js";
import { hangupNodeType } from "./nodes/hangup.js";
import { menuNodeType } from "./nodes/menu.js";
import { queueNodeType } from "./nodes/queue.js";
import { ringGroupNodeType } from "./nodes/ring-group.js";
import { startNodeType } from "./nodes/start.js";
import { timeConditionNodeType } from "./nodes/time-condition.js";
import { voicemailNodeType } from "./nodes/voicemail.js";

/**
 * Every node type, by its `type`: the one list the editor's palette (and its
 * React Flow `nodeTypes` map), the validator and the interpreter are built from.
 * Palette order is this object's key order.
 */
export const flowNodeTypes = {
  start: startNodeType,
  announce: announceNodeType,
  menu: menuNodeType,
  timeCondition: timeConditionNodeType,
  queue: queueNodeType,
  ringGroup: ringGroupNodeType,
  bridge: bridgeNodeType,
  voicemail: voicemailNodeType,
  hangup: hangupNodeType,
} as const;

/** A node `type` name: `"start" | "announce" | ... | "hangup"`. */
export type FlowNodeType = keyof typeof flowNodeTypes;

/** The parsed `data` of a node of type `T`. */
export type NodeData<T extends FlowNodeType> = z.output<(typeof flowNodeTypes)[T]["dataSchema"]>;

/** The `data` of a node of type `T` as written in JSON (fields with defaults may be absent). */
export type NodeDataInput<T extends FlowNodeType> = z.input<
  (typeof flowNodeTypes)[T]["dataSchema"]
>;

/** The node type names, in palette order. */
export const flowNodeTypeNames = Object.keys(flowNodeTypes) as FlowNodeType[];

/** True when `type` names a node type. */
export function isFlowNodeType(type: string): type is FlowNodeType {
  return Object.hasOwn(flowNodeTypes, type);
}

/** The definition of a node type, or `undefined` for an unknown name. */
export function getNodeType(type: string): NodeTypeDefinition | undefined {
  return isFlowNodeType(type) ? (flowNodeTypes[type] as NodeTypeDefinition) : undefined;
}

/**
 * The outputs of a parsed node, as its type computes them from its config
 * (a menu has one per key).
 */
export function nodeOutputs<T extends FlowNodeType>(node: {
  readonly type: T;
  readonly data: NodeData<T>;
}): readonly FlowOutput[] {
  return (flowNodeTypes[node.type] as NodeTypeDefinition).outputs(node.data);
}
