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
 * The node type names, in palette order: the one list every per-type map
 * is checked against. Adding a name here fails to compile until the type
 * has its definition (below), its runner (the interpreter's `nodeRunners`)
 * and its canvas component (the editor's `nodeTypes`).
 */
export const flowNodeTypeNames = [
  "start",
  "announce",
  "menu",
  "timeCondition",
  "queue",
  "ringGroup",
  "bridge",
  "voicemail",
  "hangup",
] as const;

/** A node `type` name: `"start" | "announce" | ... | "hangup"`. */
export type FlowNodeType = (typeof flowNodeTypeNames)[number];

/**
 * Every node type's definition, by its `type`: schema, outputs, palette
 * metadata and the flags the validator reads. The editor's palette, the
 * settings forms and the validator are built from it; the interpreter keys
 * its runners by the same names.
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
} as const satisfies { readonly [T in FlowNodeType]: NodeTypeDefinition<T> };

/** The parsed `data` of a node of type `T`. */
export type NodeData<T extends FlowNodeType> = z.output<(typeof flowNodeTypes)[T]["dataSchema"]>;

/** The `data` of a node of type `T` as written in JSON (fields with defaults may be absent). */
export type NodeDataInput<T extends FlowNodeType> = z.input<
  (typeof flowNodeTypes)[T]["dataSchema"]
>;

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
