import type { z } from "zod";

/** One named output of a node: the `sourceHandle` an edge leaves from. */
export interface FlowOutput {
  /** The handle id (React Flow `sourceHandle`), e.g. `next`, `acquired`, `1`. */
  readonly id: string;
  /** Short text for the handle on the canvas. */
  readonly label: string;
  /** When the call leaves through this output. */
  readonly description: string;
}

/**
 * The icons node types are drawn with: names from the Lucide icon set
 * (lucide.dev, kebab-case). The editor maps each to its component once, so
 * the list is closed: an icon is added here before a node type may use it.
 */
export const nodeIconNames = [
  "phone-incoming",
  "megaphone",
  "grid-3x3",
  "clock",
  "list-ordered",
  "bell-ring",
  "phone-forwarded",
  "voicemail",
  "phone-off",
] as const;

/** One of {@link nodeIconNames}. */
export type NodeIconName = (typeof nodeIconNames)[number];

/**
 * Where a node type sits in the editor's palette, in this order: how calls
 * enter, what callers hear and press, how they are routed, how agents are
 * reached, how calls end.
 */
export const nodeCategories = ["entry", "caller", "routing", "agents", "end"] as const;

/** One of {@link nodeCategories}. */
export type NodeCategory = (typeof nodeCategories)[number];

/**
 * What a node type declares: everything the editor and the validator need to
 * know about it, so none of them keeps its own list. How it runs lives in the
 * interpreter's runner map, keyed by the same names (see `node-types.ts`).
 */
export interface NodeTypeDefinition<
  TType extends string = string,
  TSchema extends z.ZodType = z.ZodType,
> {
  /** The node's `type` in the flow JSON (and the React Flow node kind). */
  readonly type: TType;
  /** Name in the editor's palette. */
  readonly label: string;
  /** One sentence of help, shown in the palette and the settings panel. */
  readonly description: string;
  /** The node's icon on the canvas and in the palette. */
  readonly icon: NodeIconName;
  /** The palette group it is listed in. */
  readonly category: NodeCategory;
  /**
   * The node's `data`. Durations are in seconds; every field carries a
   * `.describe()` text the editor shows beside its input.
   */
  readonly dataSchema: TSchema;
  /**
   * The `data` of a node freshly dropped on the canvas. It may leave required
   * fields empty (a queue id, a mailbox) for the admin to fill in; validation
   * points at them until they are.
   */
  readonly defaultData: z.input<TSchema>;
  /** The node's outputs for a given (parsed) config; order is display order. */
  outputs(data: z.output<TSchema>): readonly FlowOutput[];
  /** The call ends at this node: it has no outputs and no outgoing edges. */
  readonly terminal: boolean;
  /**
   * Visiting the node takes the caller's time (plays, listens or waits in
   * line), so a loop through it cannot spin; every loop needs one.
   */
  readonly waits: boolean;
  /** Edges may end at this node (false only for `start`). */
  readonly acceptsInput: boolean;
  /** At most this many nodes of the type per flow (the editor's palette disables it after). */
  readonly maxPerFlow?: number;
}

/** Declares a node type, keeping its literal `type` and schema types. */
export function defineNodeType<TType extends string, TSchema extends z.ZodType>(
  definition: NodeTypeDefinition<TType, TSchema>,
): NodeTypeDefinition<TType, TSchema> {
  return definition;
}
