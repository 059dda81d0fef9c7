"use client";

import { type NodeProps, NodeResizer } from "@xyflow/react";
import { memo, useState } from "react";
import { cn } from "@/lib/utils";
import type { NoteCanvasNode } from "../model/canvas-mapping";
import { useEditor, useEditorStore } from "../state/editor-context";

/**
 * A sticky note: a comment on the canvas, not part of the call flow.
 * Double-click to write; drag the corners to resize.
 */
export const NoteNode = memo(function NoteNode({ id, data, selected }: NodeProps<NoteCanvasNode>) {
  const store = useEditorStore();
  const editable = useEditor((s) => s.mode === "edit");
  const [editing, setEditing] = useState(data.text === "" && editable);
  return (
    <div
      data-testid={`note-${id}`}
      className={cn(
        "h-full w-full rounded-md border border-yellow-300 bg-yellow-100/90 p-2.5 text-sm text-yellow-950 shadow-sm dark:border-yellow-700 dark:bg-yellow-900/60 dark:text-yellow-50",
        selected && "ring-2 ring-yellow-500/60",
      )}
    >
      <NodeResizer
        isVisible={selected && editable}
        minWidth={120}
        minHeight={60}
        color="rgb(234 179 8)"
      />
      {editing ? (
        <textarea
          // biome-ignore lint/a11y/noAutofocus: the note was just opened for writing.
          autoFocus
          aria-label="Note text"
          className="nodrag nowheel h-full w-full resize-none bg-transparent outline-none placeholder:text-yellow-800/60"
          placeholder="Write a note for whoever edits this flow…"
          value={data.text}
          onChange={(event) => store.getState().setNoteText(id, event.target.value)}
          onBlur={() => setEditing(false)}
          onKeyDown={(event) => {
            // Keep the editor's shortcuts (delete, undo...) out of the text.
            event.stopPropagation();
            if (event.key === "Escape") setEditing(false);
          }}
        />
      ) : (
        <button
          type="button"
          aria-label="Edit note"
          className="block h-full w-full cursor-[inherit] overflow-hidden text-left whitespace-pre-wrap break-words"
          onDoubleClick={() => editable && setEditing(true)}
          onKeyDown={(event) => {
            if (event.key === "Enter" && editable) setEditing(true);
          }}
        >
          {data.text || <span className="text-yellow-800/60">Double-click to write</span>}
        </button>
      )}
    </div>
  );
});
