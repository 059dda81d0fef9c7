"use client";

import type { FlowDraft } from "@ringflow/core/flow";
import { FilePlus2, LayoutTemplate } from "lucide-react";
import {
  Dialog,
  DialogContent,
  DialogDescription,
  DialogHeader,
  DialogTitle,
} from "@/components/ui/dialog";
import { type FlowTemplate, flowTemplates } from "../model/flow-templates";
import { NodeTypeIcon } from "../nodes/node-type-icon";

/** True for the draft of a flow nobody has drawn yet: a start and nothing else. */
export function isBlankDraft(graph: FlowDraft): boolean {
  return graph.nodes.length <= 1 && graph.edges.length === 0 && (graph.notes ?? []).length === 0;
}

function TemplateCard(props: { template: FlowTemplate; onPick: () => void }) {
  const graph = props.template.build();
  const types = [...new Set(graph.nodes.map((n) => n.type))];
  return (
    <button
      type="button"
      onClick={props.onPick}
      data-testid={`template-${props.template.id}`}
      className="flex flex-col gap-3 rounded-lg border bg-card p-4 text-left transition-colors hover:border-primary/60 hover:bg-accent focus-visible:ring-2 focus-visible:ring-ring focus-visible:outline-none"
    >
      <div className="flex items-center gap-1.5">
        {props.template.id === "blank" ? (
          <FilePlus2 className="size-5 text-muted-foreground" aria-hidden />
        ) : (
          types.map((type) => <NodeTypeIcon key={type} type={type} />)
        )}
      </div>
      <div>
        <div className="font-medium">{props.template.name}</div>
        <p className="mt-0.5 text-sm text-muted-foreground">{props.template.description}</p>
      </div>
    </button>
  );
}

/**
 * Offered when a new flow is opened: start blank, or from a template that
 * already validates (only the numbers are left to fill in).
 */
export function TemplatePicker(props: {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  onPick: (graph: FlowDraft | null) => void;
}) {
  const timeZone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  return (
    <Dialog open={props.open} onOpenChange={props.onOpenChange}>
      <DialogContent className="sm:max-w-3xl">
        <DialogHeader>
          <DialogTitle className="flex items-center gap-2">
            <LayoutTemplate className="size-5" /> How should this flow start?
          </DialogTitle>
          <DialogDescription>
            Pick a starting point; everything can be changed afterwards, and undo takes you back.
          </DialogDescription>
        </DialogHeader>
        <div className="grid gap-3 sm:grid-cols-3">
          {flowTemplates.map((template) => (
            <TemplateCard
              key={template.id}
              template={template}
              onPick={() =>
                props.onPick(template.id === "blank" ? null : template.build({ timeZone }))
              }
            />
          ))}
        </div>
      </DialogContent>
    </Dialog>
  );
}
