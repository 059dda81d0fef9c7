import {
  type FlowDraft,
  type FlowNodeType,
  type FlowPosition,
  flowNodeTypes,
} from "@ringflow/core/flow";
import type { NewElementId } from "./element-ids";

/**
 * A node freshly dropped on the canvas: its type's default config (a copy,
 * so no two nodes share one object), at `position`.
 */
export function createFlowNode(
  type: FlowNodeType,
  position: FlowPosition,
  newId: NewElementId,
): FlowDraft["nodes"][number] {
  return {
    id: newId(type),
    type,
    position: { x: position.x, y: position.y },
    data: structuredClone(flowNodeTypes[type].defaultData) as Record<string, unknown>,
  };
}

/**
 * Whether another node of `type` may be added: false once the flow has its
 * type's `maxPerFlow` (the palette greys the start out after the first).
 */
export function canAddNodeType(graph: Pick<FlowDraft, "nodes">, type: FlowNodeType): boolean {
  const max = flowNodeTypes[type].maxPerFlow;
  return max === undefined || graph.nodes.filter((n) => n.type === type).length < max;
}
