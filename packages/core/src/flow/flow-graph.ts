import { z } from "zod";
import type { NodeTypeDefinition } from "./node-type.js";
import { type FlowNodeType, flowNodeTypeNames, flowNodeTypes } from "./node-types.js";

/** The flow JSON format version this code reads and writes. */
export const FLOW_SCHEMA_VERSION = 1;

/** Most nodes a flow may have: far beyond any real call flow, low enough to bound work per request. */
export const MAX_FLOW_NODES = 500;

/** Most edges a flow may have. */
export const MAX_FLOW_EDGES = 2000;

/** A node or edge id: any non-empty string (React Flow's ids are free-form). */
export const flowElementIdSchema = z.string().min(1, "An id cannot be empty").max(100);

/** A node's place on the canvas (React Flow `position`). */
export const flowPositionSchema = z.object({ x: z.number(), y: z.number() });

/** A node's place on the canvas. */
export type FlowPosition = z.output<typeof flowPositionSchema>;

/**
 * An edge from one node's named output to another node. Extra React Flow
 * fields (`targetHandle`, `animated`, `selected`...) are dropped on parse.
 */
export const flowEdgeSchema = z.object({
  id: flowElementIdSchema,
  source: flowElementIdSchema.describe("Id of the node the call leaves"),
  sourceHandle: z.string().min(1).max(100).describe("The source node's output, e.g. acquired"),
  target: flowElementIdSchema.describe("Id of the node the call goes to next"),
});

/** An edge from `source`'s output `sourceHandle` to `target`. */
export type FlowEdge = z.output<typeof flowEdgeSchema>;

/** Most sticky notes a flow may have. */
export const MAX_FLOW_NOTES = 200;

/**
 * A sticky note on the canvas: a comment for the people who edit the flow.
 * Notes are not nodes; the interpreter and the graph rules never see them.
 */
export const flowNoteSchema = z.object({
  id: flowElementIdSchema,
  position: flowPositionSchema,
  text: z.string().max(5000).describe("The note's text (plain text; line breaks kept)"),
  width: z.number().min(80).max(4000).optional().describe("Width on the canvas, in pixels"),
  height: z.number().min(40).max(4000).optional().describe("Height on the canvas, in pixels"),
});

/** A sticky note (see {@link flowNoteSchema}). */
export type FlowNote = z.output<typeof flowNoteSchema>;

/** A flow's notes: optional, so flows written before notes existed read unchanged. */
export const flowNotesSchema = z.array(flowNoteSchema).max(MAX_FLOW_NOTES).optional();

function nodeSchemaOf<TType extends string, TSchema extends z.ZodType>(
  definition: NodeTypeDefinition<TType, TSchema>,
) {
  return z.object({
    id: flowElementIdSchema,
    type: z.literal(definition.type),
    position: flowPositionSchema,
    data: definition.dataSchema,
  });
}

/**
 * Each node type's node schema, by type name; checked against the names list
 * so a registered type cannot be missing from the union.
 */
const nodeSchemas = {
  start: nodeSchemaOf(flowNodeTypes.start),
  announce: nodeSchemaOf(flowNodeTypes.announce),
  menu: nodeSchemaOf(flowNodeTypes.menu),
  timeCondition: nodeSchemaOf(flowNodeTypes.timeCondition),
  queue: nodeSchemaOf(flowNodeTypes.queue),
  ringGroup: nodeSchemaOf(flowNodeTypes.ringGroup),
  bridge: nodeSchemaOf(flowNodeTypes.bridge),
  voicemail: nodeSchemaOf(flowNodeTypes.voicemail),
  hangup: nodeSchemaOf(flowNodeTypes.hangup),
} satisfies {
  readonly [T in FlowNodeType]: z.ZodObject<{ type: z.ZodLiteral<T> } & z.ZodRawShape>;
};

type AnyNodeSchema = (typeof nodeSchemas)[FlowNodeType];

const nodeSchemaOptions = flowNodeTypeNames.map((type) => nodeSchemas[type]) as [
  AnyNodeSchema,
  ...AnyNodeSchema[],
];

/**
 * A node of any type, `data` checked against its type's schema (defaults
 * filled in). Discriminated on `type`, so `node.data` narrows with it.
 */
export const flowNodeSchema = z.discriminatedUnion("type", nodeSchemaOptions, {
  error: (issue) => {
    if (issue.code !== "invalid_union") return undefined;
    const type = (issue.input as { type?: unknown } | undefined)?.type;
    const known = flowNodeTypeNames.join(", ");
    return type === undefined
      ? `Node type is missing; expected one of ${known}`
      : `Unknown node type ${JSON.stringify(type)}; expected one of ${known}`;
  },
});

/** A parsed node; `data` is typed by `type`. */
export type FlowNode = z.output<typeof flowNodeSchema>;

/** A parsed node of type `T`. */
export type FlowNodeOf<T extends FlowNodeType> = Extract<FlowNode, { type: T }>;

/**
 * A complete flow, every node's config valid. This is the shape the worker
 * runs and the API stores on publish; it says nothing about the graph's
 * soundness (see `validateFlow`).
 */
export const flowGraphSchema = z.object({
  schemaVersion: z.literal(FLOW_SCHEMA_VERSION),
  nodes: z.array(flowNodeSchema).max(MAX_FLOW_NODES),
  edges: z.array(flowEdgeSchema).max(MAX_FLOW_EDGES),
  notes: flowNotesSchema,
});

/** A parsed flow. */
export type FlowGraph = z.output<typeof flowGraphSchema>;

/** A flow as written in JSON: config fields with defaults may be absent. */
export type FlowGraphInput = z.input<typeof flowGraphSchema>;

/**
 * A flow being drawn: the same envelope, but a node's `type` and `data` are
 * not checked, so the API can save a draft whose config is still incomplete.
 * `validateFlow` reports what is wrong with it.
 */
export const flowDraftSchema = z.object({
  schemaVersion: z.literal(FLOW_SCHEMA_VERSION),
  nodes: z
    .array(
      z.object({
        id: flowElementIdSchema,
        type: z.string().min(1).max(100),
        position: flowPositionSchema,
        data: z.record(z.string(), z.unknown()),
      }),
    )
    .max(MAX_FLOW_NODES),
  edges: z.array(flowEdgeSchema).max(MAX_FLOW_EDGES),
  notes: flowNotesSchema,
});

/** A draft flow (see {@link flowDraftSchema}). */
export type FlowDraft = z.output<typeof flowDraftSchema>;
