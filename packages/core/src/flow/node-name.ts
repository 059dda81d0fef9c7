import { getNodeType } from "./node-types.js";

/**
 * How messages name a node: its label in quotes (`"Support queue"`), or,
 * unlabelled, its type's name and its id (`Queue q1`). Takes any node-like
 * value (a draft's, a parsed one, the editor's), so the validator, the
 * connection rules and the editor word nodes alike.
 */
export function describeNode(node: {
  readonly id: string;
  readonly type: string;
  readonly data?: unknown;
}): string {
  const label =
    typeof node.data === "object" && node.data !== null
      ? (node.data as { label?: unknown }).label
      : undefined;
  if (typeof label === "string" && label.trim() !== "") return `"${label.trim()}"`;
  return `${getNodeType(node.type)?.label ?? node.type} ${node.id}`;
}
