"use client";

import { type FlowNodeType, flowNodeTypes } from "@ringflow/core/flow";
import { Search, StickyNote } from "lucide-react";
import { type DragEvent, useMemo, useState } from "react";
import { Input } from "@/components/ui/input";
import { cn } from "@/lib/utils";
import { NODE_TYPE_MIME } from "../canvas/canvas-constants";
import { canAddNodeType } from "../model/new-node";
import { groupNodeTypes, searchNodeTypes } from "../model/node-search";
import { categoryLabel } from "../nodes/node-icons";
import { NodeTypeIcon } from "../nodes/node-type-icon";
import { useEditor } from "../state/editor-context";

/**
 * Every node type from core's registry, grouped, searchable: drag one onto
 * the canvas, or click it to add it in the middle of the view. A type the
 * flow has its most of (the start) is greyed out.
 */
export function NodePalette(props: { onAdd: (type: FlowNodeType) => void; onAddNote: () => void }) {
  const [query, setQuery] = useState("");
  const groups = useMemo(() => groupNodeTypes(searchNodeTypes(query)), [query]);
  // Only the start is limited; re-rendering on each node count change is cheap here.
  const hasStart = useEditor((s) => !canAddNodeType(s.history.present, "start"));
  const onDragStart = (event: DragEvent, type: FlowNodeType) => {
    event.dataTransfer.setData(NODE_TYPE_MIME, type);
    event.dataTransfer.effectAllowed = "copy";
  };
  return (
    <nav aria-label="Node types" className="flex h-full min-h-0 flex-col">
      <div className="relative border-b p-3">
        <Search className="pointer-events-none absolute top-1/2 left-5 size-4 -translate-y-1/2 text-muted-foreground" />
        <Input
          value={query}
          onChange={(e) => setQuery(e.target.value)}
          placeholder="Search nodes"
          aria-label="Search node types"
          className="h-8 pl-8 text-sm"
        />
      </div>
      <div className="min-h-0 flex-1 space-y-4 overflow-y-auto p-3">
        {groups.map(([category, types]) => (
          <section key={category} aria-label={categoryLabel[category]}>
            <h3 className="mb-1.5 px-1 text-[11px] font-medium uppercase tracking-wide text-muted-foreground">
              {categoryLabel[category]}
            </h3>
            <ul className="space-y-1">
              {types.map((type) => {
                const definition = flowNodeTypes[type];
                const disabled = type === "start" && hasStart;
                return (
                  <li key={type}>
                    <button
                      type="button"
                      draggable={!disabled}
                      disabled={disabled}
                      data-testid={`palette-${type}`}
                      onDragStart={(e) => onDragStart(e, type)}
                      onClick={() => props.onAdd(type)}
                      title={
                        disabled
                          ? "A flow has one Start"
                          : `${definition.description} Drag onto the canvas, or click to add.`
                      }
                      className={cn(
                        "flex w-full cursor-grab items-start gap-2.5 rounded-md border bg-card p-2 text-left transition-colors hover:border-primary/50 hover:bg-accent active:cursor-grabbing",
                        disabled &&
                          "cursor-not-allowed opacity-50 hover:border-border hover:bg-card",
                      )}
                    >
                      <NodeTypeIcon type={definition.type} />
                      <span className="min-w-0">
                        <span className="block text-sm font-medium leading-tight">
                          {definition.label}
                        </span>
                        <span className="line-clamp-2 text-[11px] leading-snug text-muted-foreground">
                          {definition.description}
                        </span>
                      </span>
                    </button>
                  </li>
                );
              })}
            </ul>
          </section>
        ))}
        {groups.length === 0 && (
          <p className="px-1 text-sm text-muted-foreground">No node matches “{query}”.</p>
        )}
        <section aria-label="Annotations">
          <h3 className="mb-1.5 px-1 text-[11px] font-medium uppercase tracking-wide text-muted-foreground">
            Annotate
          </h3>
          <button
            type="button"
            onClick={props.onAddNote}
            className="flex w-full items-center gap-2.5 rounded-md border border-dashed p-2 text-left text-sm hover:bg-accent"
          >
            <span className="grid size-7 place-items-center rounded-md bg-yellow-200/60 text-yellow-800">
              <StickyNote className="size-4" aria-hidden />
            </span>
            Sticky note
          </button>
        </section>
      </div>
    </nav>
  );
}
