import {
  type FlowNodeType,
  flowNodeTypeNames,
  flowNodeTypes,
  type NodeCategory,
  nodeCategories,
} from "@ringflow/core/flow";

/** Extra words people search node types by. */
const synonyms: Partial<Record<FlowNodeType, string>> = {
  announce: "message play prompt say speak audio",
  menu: "ivr keypad digit press dtmf options",
  timeCondition: "business hours open closed schedule calendar holiday time",
  queue: "wait line hold music acd",
  ringGroup: "ring agents hunt group call dial parallel sequential",
  bridge: "connect transfer agent dial forward",
  voicemail: "message mailbox record",
  hangup: "end disconnect reject",
  start: "entry number did inbound",
};

/**
 * The node types matching `query` (words in any order, each matching the
 * name, the help, the type or a synonym), in palette order; all of them for
 * an empty query.
 */
export function searchNodeTypes(query: string): FlowNodeType[] {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  return flowNodeTypeNames.filter((type) => {
    const d = flowNodeTypes[type];
    const haystack = `${d.label} ${d.description} ${type} ${synonyms[type] ?? ""}`.toLowerCase();
    return words.every((word) => haystack.includes(word));
  });
}

/** Node types by palette group, groups in their order, empty groups left out. */
export function groupNodeTypes(types: readonly FlowNodeType[]): [NodeCategory, FlowNodeType[]][] {
  return nodeCategories
    .map((category): [NodeCategory, FlowNodeType[]] => [
      category,
      types.filter((t) => flowNodeTypes[t].category === category),
    ])
    .filter(([, list]) => list.length > 0);
}
