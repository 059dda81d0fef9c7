"use client";

import { getNodeType } from "@ringflow/core/flow";
import { Copy, MousePointerClick, StickyNote, Trash2 } from "lucide-react";
import { useCallback, useDeferredValue } from "react";
import { Button } from "@/components/ui/button";
import { NOTE_NODE_TYPE } from "../model/canvas-mapping";
import { NodeTypeIcon } from "../nodes/node-type-icon";
import { useEditor, useEditorStore } from "../state/editor-context";
import { ConfigForm } from "./config-form";
import type { ResourceOptions } from "./resource-options";

/**
 * The right-hand panel: the selected node's settings, its problems, and
 * delete/duplicate; a hint when nothing or several things are selected.
 */
export function SettingsPanel(props: { resources: ResourceOptions }) {
  const store = useEditorStore();
  // Deferred: a click selects the node on the canvas at once, and the form
  // (dozens of fields) renders after, without holding up that frame or a drag.
  const selection = useDeferredValue(useEditor((s) => s.selection));
  const readOnly = useEditor((s) => s.mode !== "edit");
  const only = selection.length === 1 ? selection[0] : undefined;
  // The node's type and config, not the node: its object changes on every frame of a drag,
  // its config does not, so the form is left alone while the node moves.
  const type = useEditor((s) => (only ? s.nodes.find((n) => n.id === only)?.type : undefined));
  const data = useEditor((s) => (only ? s.nodes.find((n) => n.id === only)?.data : undefined));
  const node =
    only && type !== undefined && data !== undefined ? { id: only, type, data } : undefined;
  const problems = useEditor((s) => (only ? s.problems.byNode.get(only) : undefined));
  const onChange = useCallback(
    (config: Record<string, unknown>, path: readonly (string | number)[]) => {
      if (!only) return;
      // Typing in one field undoes as one step.
      store.getState().setConfig(only, config, `config:${only}:${path.join(".")}`);
    },
    [only, store],
  );

  if (!node) {
    return (
      <aside
        className="flex h-full flex-col items-center justify-center gap-2 p-6 text-center text-sm text-muted-foreground"
        aria-label="Settings"
      >
        <MousePointerClick className="size-6" aria-hidden />
        {selection.length > 1 ? (
          <p>
            {selection.length} selected. Drag to move them together, or copy, duplicate or delete
            them.
          </p>
        ) : (
          <p>
            Select a node to change its settings. Drag nodes in from the left, or press “/” to
            search.
          </p>
        )}
      </aside>
    );
  }
  if (node.type === NOTE_NODE_TYPE) {
    return (
      <aside className="space-y-2 p-4 text-sm" aria-label="Settings">
        <div className="flex items-center gap-2 font-medium">
          <StickyNote className="size-4" /> Sticky note
        </div>
        <p className="text-muted-foreground">
          Double-click the note to write. Notes are for people; calls never see them.
        </p>
      </aside>
    );
  }
  const definition = getNodeType(node.type);
  return (
    <aside className="flex h-full min-h-0 flex-col" aria-label="Settings">
      <div className="flex items-start gap-3 border-b p-4">
        <NodeTypeIcon type={node.type} size="lg" />
        <div className="min-w-0 flex-1">
          <h2 className="font-semibold leading-tight">{definition?.label ?? node.type}</h2>
          <p className="text-xs text-muted-foreground">{definition?.description}</p>
          <p className="mt-1 font-mono text-[10px] text-muted-foreground">{node.id}</p>
        </div>
        {!readOnly && (
          <div className="flex shrink-0 gap-0.5">
            <Button
              variant="ghost"
              size="icon"
              className="size-8"
              aria-label="Duplicate"
              title="Duplicate (Ctrl+D)"
              onClick={() => store.getState().duplicateSelection()}
            >
              <Copy className="size-4" />
            </Button>
            <Button
              variant="ghost"
              size="icon"
              className="size-8 text-destructive"
              aria-label="Delete"
              title="Delete (Del)"
              onClick={() => store.getState().deleteSelection()}
            >
              <Trash2 className="size-4" />
            </Button>
          </div>
        )}
      </div>
      {problems && problems.problems.length > 0 && (
        <ul
          className="space-y-1 border-b bg-muted/40 px-4 py-2 text-xs"
          aria-label="Problems of this node"
        >
          {problems.problems.map((p) => (
            <li
              key={`${p.code}:${p.edgeId ?? ""}:${p.message}`}
              className={
                p.severity === "error" ? "text-destructive" : "text-amber-700 dark:text-amber-300"
              }
            >
              {p.message}
            </li>
          ))}
        </ul>
      )}
      <div className="min-h-0 flex-1 overflow-y-auto">
        <div className="p-4">
          <ConfigForm
            key={node.id}
            nodeId={node.id}
            type={node.type}
            config={node.data as Record<string, unknown>}
            readOnly={readOnly}
            resources={props.resources}
            onChange={onChange}
          />
        </div>
      </div>
    </aside>
  );
}
