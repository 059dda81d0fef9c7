import { getNodeType } from "@ringflow/core/flow";
import { cn } from "@/lib/utils";
import { categoryTone, nodeIcons } from "./node-icons";

const sizes = {
  sm: ["size-7", "size-4"],
  md: ["size-8", "size-4"],
  lg: ["size-9", "size-5"],
} as const;

/** A node type's icon on its palette group's colour: the same tile on the canvas, the palette and the panel. */
export function NodeTypeIcon(props: { type: string; size?: keyof typeof sizes }) {
  const definition = getNodeType(props.type);
  if (!definition) return null;
  const Icon = nodeIcons[definition.icon];
  const [tile, glyph] = sizes[props.size ?? "sm"];
  return (
    <span
      className={cn(
        "grid shrink-0 place-items-center rounded-md",
        tile,
        categoryTone[definition.category],
      )}
    >
      <Icon className={glyph} aria-hidden />
    </span>
  );
}
