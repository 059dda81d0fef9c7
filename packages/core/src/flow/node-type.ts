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
 * What a node type declares: everything the editor, the validator and the
 * interpreter need to know about it, so none of them keeps its own list.
 */
export interface NodeTypeDefinition<
  TType extends string = string,
  TSchema extends z.ZodType = z.ZodType,
> {
  /** The node's `type` in the flow JSON (and the React Flow node kind). */
  readonly type: TType;
  /** Name in the editor's palette. */
  readonly label: string;
  /** One sentence for the palette's tooltip. */
  readonly description: string;
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
