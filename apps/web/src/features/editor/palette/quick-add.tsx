"use client";

import { type FlowNodeType, flowNodeTypes } from "@ringflow/core/flow";
import { useEffect, useState } from "react";
import { Dialog, DialogContent, DialogDescription, DialogTitle } from "@/components/ui/dialog";
import { Input } from "@/components/ui/input";
import { cn } from "@/lib/utils";
import { searchNodeTypes } from "../model/node-search";
import { NodeTypeIcon } from "../nodes/node-type-icon";

/**
 * The quick-add search (`/` or a double-click on the canvas): type a few
 * letters, pick with the arrow keys, Enter adds the node where it was asked.
 */
export function QuickAdd(props: {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  onPick: (type: FlowNodeType) => void;
  isAllowed: (type: FlowNodeType) => boolean;
}) {
  const [query, setQuery] = useState("");
  const [active, setActive] = useState(0);
  const results = searchNodeTypes(query).filter(props.isAllowed);
  // biome-ignore lint/correctness/useExhaustiveDependencies: a new query starts at the top.
  useEffect(() => setActive(0), [query]);
  useEffect(() => {
    if (props.open) setQuery("");
  }, [props.open]);
  const pick = (type: FlowNodeType | undefined) => {
    if (!type) return;
    props.onPick(type);
    props.onOpenChange(false);
  };
  return (
    <Dialog open={props.open} onOpenChange={props.onOpenChange}>
      <DialogContent
        className="gap-0 overflow-hidden p-0 sm:max-w-md"
        aria-describedby="quick-add-help"
      >
        <DialogTitle className="sr-only">Add a node</DialogTitle>
        <DialogDescription id="quick-add-help" className="sr-only">
          Type to search node types; arrow keys choose, Enter adds.
        </DialogDescription>
        <Input
          autoFocus
          value={query}
          onChange={(e) => setQuery(e.target.value)}
          placeholder="Add a node: queue, menu, voicemail…"
          aria-label="Search node types"
          aria-controls="quick-add-results"
          aria-activedescendant={results[active] ? `quick-add-${results[active]}` : undefined}
          className="h-12 rounded-none border-0 border-b text-base shadow-none focus-visible:ring-0"
          onKeyDown={(event) => {
            if (event.key === "ArrowDown") {
              event.preventDefault();
              setActive((i) => Math.min(i + 1, results.length - 1));
            } else if (event.key === "ArrowUp") {
              event.preventDefault();
              setActive((i) => Math.max(i - 1, 0));
            } else if (event.key === "Enter") {
              event.preventDefault();
              pick(results[active]);
            }
          }}
        />
        <div
          id="quick-add-results"
          role="listbox"
          aria-label="Node types"
          className="max-h-80 overflow-y-auto p-1.5"
        >
          {results.map((type, index) => {
            const definition = flowNodeTypes[type];
            return (
              // biome-ignore lint/a11y/useKeyWithClickEvents: the keyboard picks through the search field (arrows, Enter; aria-activedescendant).
              <div
                key={type}
                id={`quick-add-${type}`}
                role="option"
                tabIndex={-1}
                aria-selected={index === active}
                onMouseEnter={() => setActive(index)}
                onMouseDown={(e) => e.preventDefault()}
                onClick={() => pick(type)}
                className={cn(
                  "flex cursor-pointer items-center gap-3 rounded-md px-2.5 py-2",
                  index === active && "bg-accent",
                )}
              >
                <NodeTypeIcon type={definition.type} size="md" />
                <span className="min-w-0">
                  <span className="block text-sm font-medium">{definition.label}</span>
                  <span className="block truncate text-xs text-muted-foreground">
                    {definition.description}
                  </span>
                </span>
              </div>
            );
          })}
          {results.length === 0 && (
            <p className="p-3 text-sm text-muted-foreground">Nothing matches “{query}”.</p>
          )}
        </div>
      </DialogContent>
    </Dialog>
  );
}
