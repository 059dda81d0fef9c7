"use client";

import { X } from "lucide-react";
import { Button } from "@/components/ui/button";

/** The ✕ at the end of a list or map row in the settings form. */
export function RemoveRowButton(props: { label: string; onRemove: () => void }) {
  return (
    <Button
      type="button"
      variant="ghost"
      size="icon"
      className="size-8 shrink-0"
      aria-label={props.label}
      onClick={props.onRemove}
    >
      <X className="size-4" />
    </Button>
  );
}
