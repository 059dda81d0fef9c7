"use client";

import {
  closestCenter,
  DndContext,
  type DragEndEvent,
  KeyboardSensor,
  PointerSensor,
  useSensor,
  useSensors,
} from "@dnd-kit/core";
import {
  arrayMove,
  SortableContext,
  sortableKeyboardCoordinates,
  useSortable,
  verticalListSortingStrategy,
} from "@dnd-kit/sortable";
import { CSS } from "@dnd-kit/utilities";
import { ArrowDownIcon, ArrowUpIcon, GripVerticalIcon, XIcon } from "lucide-react";
import { Button } from "@/components/ui/button";
import { AgentStatusBadge } from "@/features/agents/status-badge";
import { cn } from "@/lib/utils";
import type { RouterOutputs } from "@/trpc/types";

type Agent = RouterOutputs["agents"]["list"][number];

function MemberRow({
  agent,
  index,
  count,
  editable,
  onMove,
  onRemove,
}: {
  agent: Agent;
  index: number;
  count: number;
  editable: boolean;
  onMove: (from: number, to: number) => void;
  onRemove: () => void;
}) {
  const { attributes, listeners, setNodeRef, transform, transition, isDragging } = useSortable({
    id: agent.id,
    disabled: !editable,
  });
  return (
    <li
      ref={setNodeRef}
      style={{ transform: CSS.Transform.toString(transform), transition }}
      data-testid="group-member"
      data-agent={agent.name}
      className={cn(
        "flex items-center gap-3 rounded-lg border bg-card px-3 py-2",
        isDragging && "relative z-10 shadow-lg ring-2 ring-primary/40",
      )}
    >
      {editable ? (
        <button
          type="button"
          className="cursor-grab touch-none rounded p-1 text-muted-foreground hover:bg-accent active:cursor-grabbing"
          aria-label={`Drag ${agent.name} to reorder`}
          {...attributes}
          {...listeners}
        >
          <GripVerticalIcon className="size-4" />
        </button>
      ) : null}
      <span className="w-6 text-right text-sm font-semibold tabular-nums text-muted-foreground">
        {index + 1}
      </span>
      <span className="min-w-0 flex-1">
        <span className="block truncate font-medium">{agent.name}</span>
        <code className="text-xs text-muted-foreground">{agent.contact}</code>
      </span>
      <AgentStatusBadge status={agent.status} />
      {editable ? (
        <span className="flex gap-0.5">
          <Button
            variant="ghost"
            size="icon-sm"
            aria-label={`Move ${agent.name} up`}
            disabled={index === 0}
            onClick={() => onMove(index, index - 1)}
          >
            <ArrowUpIcon />
          </Button>
          <Button
            variant="ghost"
            size="icon-sm"
            aria-label={`Move ${agent.name} down`}
            disabled={index === count - 1}
            onClick={() => onMove(index, index + 1)}
          >
            <ArrowDownIcon />
          </Button>
          <Button
            variant="ghost"
            size="icon-sm"
            aria-label={`Remove ${agent.name} from the group`}
            onClick={onRemove}
          >
            <XIcon />
          </Button>
        </span>
      ) : null}
    </li>
  );
}

/**
 * A group's members in ring order: drag (mouse, touch, or keyboard: space
 * then arrows) or use the arrows to reorder. Changes are local until saved.
 */
export function MemberList({
  members,
  editable,
  onChange,
}: {
  members: readonly Agent[];
  editable: boolean;
  onChange: (members: Agent[]) => void;
}) {
  const sensors = useSensors(
    useSensor(PointerSensor, { activationConstraint: { distance: 4 } }),
    useSensor(KeyboardSensor, { coordinateGetter: sortableKeyboardCoordinates }),
  );
  const move = (from: number, to: number) => onChange(arrayMove([...members], from, to));
  const onDragEnd = ({ active, over }: DragEndEvent) => {
    if (!over || active.id === over.id) return;
    const from = members.findIndex((m) => m.id === active.id);
    const to = members.findIndex((m) => m.id === over.id);
    if (from >= 0 && to >= 0) move(from, to);
  };
  return (
    <DndContext sensors={sensors} collisionDetection={closestCenter} onDragEnd={onDragEnd}>
      <SortableContext items={members.map((m) => m.id)} strategy={verticalListSortingStrategy}>
        <ol className="grid gap-2" aria-label="Members in ring order">
          {members.map((agent, index) => (
            <MemberRow
              key={agent.id}
              agent={agent}
              index={index}
              count={members.length}
              editable={editable}
              onMove={move}
              onRemove={() => onChange(members.filter((m) => m.id !== agent.id))}
            />
          ))}
        </ol>
      </SortableContext>
    </DndContext>
  );
}
