"use client";

import { Plus } from "lucide-react";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import type { ConfigPath } from "../model/config-fields";
import type { FieldContext } from "./field-editor";
import { RemoveRowButton } from "./remove-row-button";

/** A name → value field (channel variables): one row per entry. */
export function MapEditor(props: { value: unknown; path: ConfigPath; context: FieldContext }) {
  const { path, context } = props;
  const entries = Object.entries(
    typeof props.value === "object" && props.value !== null
      ? (props.value as Record<string, string>)
      : {},
  );
  const write = (next: [string, string][]) => context.onChange(path, Object.fromEntries(next));
  return (
    <div className="space-y-2">
      {entries.map(([name, value], index) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: a row keeps its place while its name is typed.
        <div key={index} className="flex items-center gap-1.5">
          <Input
            aria-label="Variable name"
            className="font-mono text-xs"
            value={name}
            disabled={context.readOnly}
            onChange={(e) =>
              write(entries.map((entry, i) => (i === index ? [e.target.value, entry[1]] : entry)))
            }
          />
          <Input
            aria-label="Value"
            className="text-xs"
            value={value}
            disabled={context.readOnly}
            onChange={(e) =>
              write(entries.map((entry, i) => (i === index ? [entry[0], e.target.value] : entry)))
            }
          />
          {!context.readOnly && (
            <RemoveRowButton
              label={`Remove ${name}`}
              onRemove={() => write(entries.filter((_, i) => i !== index))}
            />
          )}
        </div>
      ))}
      {!context.readOnly && (
        <Button
          type="button"
          variant="outline"
          size="sm"
          className="h-7 text-xs"
          onClick={() => write([...entries, [`variable_${entries.length + 1}`, ""]])}
        >
          <Plus className="size-3.5" /> Add variable
        </Button>
      )}
    </div>
  );
}
