import type { FlowPosition } from "./flow-graph.js";
import { getNodeType } from "./node-types.js";

/** A node as the diff reads it: a draft's, a parsed graph's, the editor's. */
export interface DiffableNode {
  readonly id: string;
  readonly type: string;
  readonly position: FlowPosition;
  readonly data?: unknown;
}

/** An edge as the diff reads it. */
export interface DiffableEdge {
  readonly id: string;
  readonly source: string;
  readonly sourceHandle: string;
  readonly target: string;
}

/** A sticky note as the diff reads it. */
export interface DiffableNote {
  readonly id: string;
  readonly position: FlowPosition;
  readonly text: string;
  readonly width?: number | undefined;
  readonly height?: number | undefined;
}

/** Two flows to compare: drafts, parsed graphs or the editor's state. */
export interface DiffableFlow {
  readonly nodes: readonly DiffableNode[];
  readonly edges: readonly DiffableEdge[];
  readonly notes?: readonly DiffableNote[] | undefined;
}

/** One element in both flows, changed: `fields` are dotted paths, e.g. `data.queueId`, `position`. */
export interface ElementChange<T> {
  readonly before: T;
  readonly after: T;
  readonly fields: readonly string[];
}

/** What became of one kind of element between two flows. */
export interface ElementDiff<T> {
  /** In `after` only, in its order. */
  readonly added: readonly T[];
  /** In `before` only, in its order. */
  readonly removed: readonly T[];
  /** In both, different, in `after`'s order. */
  readonly changed: readonly ElementChange<T>[];
}

/** Everything that differs between two flows (see {@link diffFlows}). */
export interface FlowDiff<
  N extends DiffableNode = DiffableNode,
  E extends DiffableEdge = DiffableEdge,
  M extends DiffableNote = DiffableNote,
> {
  readonly nodes: ElementDiff<N>;
  readonly edges: ElementDiff<E>;
  readonly notes: ElementDiff<M>;
  /** True when nothing at all differs. */
  readonly empty: boolean;
}

/**
 * What changed from `before` to `after` (the live version and the draft, two
 * versions): nodes, edges and notes added, removed and changed, each change
 * with the fields that differ.
 *
 * - **Nodes** are matched by id. Fields: `type`, `position`, and the config as
 *   `data.<path>` down to the first array or scalar that differs
 *   (`data.targets.destinations`). A config its type's schema accepts is
 *   compared with its defaults filled in, so a draft that leaves a default
 *   out does not differ from the stored version that spells it.
 * - **Edges** are matched by the output they leave (`source` and
 *   `sourceHandle`), not by id: an output leads to one place, so an edge
 *   drawn again after deletion is no change, and one that now leads
 *   elsewhere is a `target` change. Several edges on one output (a broken
 *   draft) pair up by target first, then in order.
 * - **Notes** are matched by id; fields `text`, `position`, `size`.
 *
 * A node that only moved has `fields` `["position"]`, so a caller can show
 * or hide moves.
 */
export function diffFlows<
  N extends DiffableNode,
  E extends DiffableEdge,
  M extends DiffableNote = DiffableNote,
>(
  before: {
    readonly nodes: readonly N[];
    readonly edges: readonly E[];
    readonly notes?: readonly M[] | undefined;
  },
  after: {
    readonly nodes: readonly N[];
    readonly edges: readonly E[];
    readonly notes?: readonly M[] | undefined;
  },
): FlowDiff<N, E, M> {
  const nodes = diffById(before.nodes, after.nodes, nodeFields);
  const notes = diffById(before.notes ?? [], after.notes ?? [], noteFields);
  const edges = diffEdges(before.edges, after.edges);
  const empty = [nodes, edges, notes].every(
    (d) => d.added.length === 0 && d.removed.length === 0 && d.changed.length === 0,
  );
  return { nodes, edges, notes, empty };
}

function diffById<T extends { readonly id: string }>(
  before: readonly T[],
  after: readonly T[],
  fieldsOf: (before: T, after: T) => string[],
): ElementDiff<T> {
  const old = new Map<string, T>();
  for (const element of before) if (!old.has(element.id)) old.set(element.id, element);
  const seen = new Set<string>();
  const added: T[] = [];
  const changed: ElementChange<T>[] = [];
  for (const element of after) {
    if (seen.has(element.id)) continue;
    seen.add(element.id);
    const previous = old.get(element.id);
    if (!previous) {
      added.push(element);
      continue;
    }
    const fields = fieldsOf(previous, element);
    if (fields.length > 0) changed.push({ before: previous, after: element, fields });
  }
  const removed = [...old.values()].filter((element) => !seen.has(element.id));
  return { added, removed, changed };
}

function nodeFields(before: DiffableNode, after: DiffableNode): string[] {
  const fields: string[] = [];
  if (before.type !== after.type) fields.push("type");
  if (!samePosition(before.position, after.position)) fields.push("position");
  fields.push(
    ...changedPaths(normalData(before), normalData(after)).map((p) => (p ? `data.${p}` : "data")),
  );
  return fields;
}

function noteFields(before: DiffableNote, after: DiffableNote): string[] {
  const fields: string[] = [];
  if (before.text !== after.text) fields.push("text");
  if (!samePosition(before.position, after.position)) fields.push("position");
  if (before.width !== after.width || before.height !== after.height) fields.push("size");
  return fields;
}

function samePosition(a: FlowPosition, b: FlowPosition): boolean {
  return a.x === b.x && a.y === b.y;
}

/** The config with its type's defaults filled in when it parses; as written otherwise. */
function normalData(node: DiffableNode): unknown {
  const parsed = getNodeType(node.type)?.dataSchema.safeParse(node.data ?? {});
  return parsed?.success ? parsed.data : (node.data ?? {});
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Dotted paths where `a` and `b` differ, descending through plain objects only. */
function changedPaths(a: unknown, b: unknown, prefix = ""): string[] {
  if (isRecord(a) && isRecord(b)) {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    return [...keys].flatMap((key) =>
      changedPaths(a[key], b[key], prefix === "" ? key : `${prefix}.${key}`),
    );
  }
  return deepEqual(a, b) ? [] : [prefix];
}

function deepEqual(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true;
  if (Array.isArray(a) && Array.isArray(b)) {
    return a.length === b.length && a.every((item, i) => deepEqual(item, b[i]));
  }
  if (isRecord(a) && isRecord(b)) {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    return [...keys].every((key) => deepEqual(a[key], b[key]));
  }
  return false;
}

function diffEdges<E extends DiffableEdge>(
  before: readonly E[],
  after: readonly E[],
): ElementDiff<E> {
  const outputOf = (e: DiffableEdge) => `${e.source}\u0000${e.sourceHandle}`;
  const old = new Map<string, E[]>();
  for (const edge of before) {
    const list = old.get(outputOf(edge)) ?? [];
    list.push(edge);
    old.set(outputOf(edge), list);
  }
  // Same output and target first: a second edge on one output pairs with its twin.
  const unmatched: E[] = [];
  for (const edge of after) {
    const list = old.get(outputOf(edge)) ?? [];
    const twin = list.findIndex((e) => e.target === edge.target);
    if (twin >= 0) list.splice(twin, 1);
    else unmatched.push(edge);
  }
  const added: E[] = [];
  const changedByEdge = new Map<E, ElementChange<E>>();
  for (const edge of unmatched) {
    const previous = old.get(outputOf(edge))?.shift();
    if (previous) changedByEdge.set(edge, { before: previous, after: edge, fields: ["target"] });
    else added.push(edge);
  }
  const left = new Set([...old.values()].flat());
  return {
    added,
    removed: before.filter((edge) => left.has(edge)),
    changed: after.flatMap((edge) => {
      const change = changedByEdge.get(edge);
      return change ? [change] : [];
    }),
  };
}
