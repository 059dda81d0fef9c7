import {
  type FlowDraft,
  type FlowPosition,
  flowDraftSchema,
  flowEdgeSchema,
  flowNoteSchema,
  getNodeType,
} from "@ringflow/core/flow";
import { z } from "zod";
import type { NewElementId } from "./element-ids";

type DraftNode = FlowDraft["nodes"][number];
type DraftEdge = FlowDraft["edges"][number];
type DraftNote = NonNullable<FlowDraft["notes"]>[number];

/** A copied part of a flow: nodes, notes and the edges with both ends among them. */
export interface FlowClipboard {
  readonly kind: typeof CLIPBOARD_KIND;
  readonly nodes: readonly DraftNode[];
  readonly edges: readonly DraftEdge[];
  readonly notes: readonly DraftNote[];
}

const CLIPBOARD_KIND = "ringflow/selection@1";

const clipboardSchema = z.object({
  kind: z.literal(CLIPBOARD_KIND),
  nodes: flowDraftSchema.shape.nodes,
  edges: z.array(flowEdgeSchema),
  notes: z.array(flowNoteSchema),
});

/**
 * Copies the elements with the given ids (nodes and notes) and every edge
 * running between two of them; edges to the rest of the flow are left
 * behind. `null` when nothing is selected.
 */
export function copySelection(graph: FlowDraft, ids: ReadonlySet<string>): FlowClipboard | null {
  const nodes = graph.nodes.filter((n) => ids.has(n.id));
  const notes = (graph.notes ?? []).filter((n) => ids.has(n.id));
  if (nodes.length === 0 && notes.length === 0) return null;
  const inside = new Set(nodes.map((n) => n.id));
  const edges = graph.edges.filter((e) => inside.has(e.source) && inside.has(e.target));
  return structuredClone({ kind: CLIPBOARD_KIND, nodes, edges, notes });
}

/** The clipboard as text, for the system clipboard (so a copy can be pasted in another tab). */
export function serializeClipboard(clipboard: FlowClipboard): string {
  return JSON.stringify(clipboard);
}

/** A clipboard read back from text; `null` when the text is not one (someone copied a word). */
export function parseClipboard(text: string): FlowClipboard | null {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return null;
  }
  const parsed = clipboardSchema.safeParse(json);
  return parsed.success ? parsed.data : null;
}

/** The result of a paste. */
export interface PasteResult {
  readonly graph: FlowDraft;
  /** Ids of the new nodes and notes, to select them. */
  readonly pasted: readonly string[];
  /** Types left out because the flow already has as many as it may (one `start`). */
  readonly skippedTypes: readonly string[];
}

function topLeft(clipboard: FlowClipboard): FlowPosition {
  const positions = [...clipboard.nodes, ...clipboard.notes].map((e) => e.position);
  return {
    x: Math.min(...positions.map((p) => p.x)),
    y: Math.min(...positions.map((p) => p.y)),
  };
}

/**
 * Adds a clipboard's elements to `graph` under new ids, the edges between
 * them remapped to the copies. Placed with their top-left corner `at`, or
 * moved by `offset` from where they were copied. A type the flow already
 * has its most of (`maxPerFlow`: the start) is skipped, with its edges.
 */
export function pasteClipboard(
  graph: FlowDraft,
  clipboard: FlowClipboard,
  options: {
    readonly newId: NewElementId;
    readonly at?: FlowPosition;
    readonly offset?: FlowPosition;
  },
): PasteResult {
  const corner = topLeft(clipboard);
  const shift = options.at
    ? { x: options.at.x - corner.x, y: options.at.y - corner.y }
    : (options.offset ?? { x: 40, y: 40 });
  const move = (p: FlowPosition) => ({ x: p.x + shift.x, y: p.y + shift.y });
  const counts = new Map<string, number>();
  for (const node of graph.nodes) counts.set(node.type, (counts.get(node.type) ?? 0) + 1);

  const idMap = new Map<string, string>();
  const skipped = new Set<string>();
  const nodes: DraftNode[] = [];
  for (const node of clipboard.nodes) {
    const max = getNodeType(node.type)?.maxPerFlow;
    const count = counts.get(node.type) ?? 0;
    if (max !== undefined && count >= max) {
      skipped.add(node.type);
      continue;
    }
    counts.set(node.type, count + 1);
    const id = options.newId(node.type);
    idMap.set(node.id, id);
    nodes.push({ ...structuredClone(node), id, position: move(node.position) });
  }
  const edges: DraftEdge[] = clipboard.edges.flatMap((edge) => {
    const source = idMap.get(edge.source);
    const target = idMap.get(edge.target);
    return source && target ? [{ ...edge, id: options.newId("edge"), source, target }] : [];
  });
  const notes: DraftNote[] = clipboard.notes.map((note) => {
    const id = options.newId("note");
    idMap.set(note.id, id);
    return { ...structuredClone(note), id, position: move(note.position) };
  });
  const allNotes = [...(graph.notes ?? []), ...notes];
  return {
    graph: {
      ...graph,
      nodes: [...graph.nodes, ...nodes],
      edges: [...graph.edges, ...edges],
      ...(allNotes.length > 0 && { notes: allNotes }),
    },
    pasted: [...idMap.values()],
    skippedTypes: [...skipped],
  };
}

/** Copies and pastes the selection in one go, next to itself. */
export function duplicateSelection(
  graph: FlowDraft,
  ids: ReadonlySet<string>,
  options: { readonly newId: NewElementId; readonly offset?: FlowPosition },
): PasteResult | null {
  const clipboard = copySelection(graph, ids);
  return clipboard ? pasteClipboard(graph, clipboard, options) : null;
}
