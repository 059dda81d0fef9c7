"use client";

import { Plus } from "lucide-react";
import { Button } from "@/components/ui/button";
import type { ConfigPath, FieldSpec } from "../model/config-fields";
import { emptyValueOf, type FieldContext, FieldEditor, Issues, SpecEditor } from "./field-editor";
import { fieldLabel } from "./field-labels";
import { RemoveRowButton } from "./remove-row-button";

/** A list field: one row per item (a sub-form for lists of objects), remove buttons, and Add. */
export function ListEditor(props: {
  spec: Extract<FieldSpec, { kind: "list" }>;
  value: unknown;
  path: ConfigPath;
  fieldKey: string;
  context: FieldContext;
}) {
  const { spec, path, fieldKey, context } = props;
  const items = Array.isArray(props.value) ? (props.value as unknown[]) : [];
  const full = spec.maxItems !== undefined && items.length >= spec.maxItems;
  return (
    <div className="space-y-2">
      {items.map((item, index) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: list items have no ids; the index is their place in the config.
        <div key={index} className="flex items-start gap-1.5">
          <div className="min-w-0 flex-1">
            {spec.item.kind === "group" ? (
              <div className="space-y-3 rounded-md border p-3">
                {spec.item.fields.map((f) => (
                  <FieldEditor
                    key={f.key}
                    field={f}
                    value={(item as Record<string, unknown>)?.[f.key]}
                    path={[...path, index, f.key]}
                    parent={fieldKey}
                    context={context}
                  />
                ))}
              </div>
            ) : (
              <SpecEditor
                id={`${path.join(".")}.${index}`}
                spec={spec.item}
                value={item}
                path={[...path, index]}
                fieldKey={fieldKey}
                placeholder={undefined}
                optional={false}
                invalid={context.issues.has([...path, index].join("."))}
                context={context}
                ariaLabel={`${fieldLabel(fieldKey)} ${index + 1}`}
              />
            )}
            <Issues
              messages={
                spec.item.kind === "group"
                  ? undefined
                  : context.issues.get([...path, index].join("."))
              }
            />
          </div>
          {!context.readOnly && (
            <RemoveRowButton
              label={`Remove ${fieldLabel(fieldKey)} ${index + 1}`}
              onRemove={() =>
                context.onChange(
                  path,
                  items.filter((_, i) => i !== index),
                )
              }
            />
          )}
        </div>
      ))}
      {!context.readOnly && !full && (
        <Button
          type="button"
          variant="outline"
          size="sm"
          className="h-7 text-xs"
          onClick={() => context.onChange(path, [...items, nextItem(fieldKey, spec, items)])}
        >
          <Plus className="size-3.5" /> Add
        </Button>
      )}
    </div>
  );
}

/** A new list item; a menu's next key is the first one not yet used. */
function nextItem(
  fieldKey: string,
  spec: Extract<FieldSpec, { kind: "list" }>,
  items: readonly unknown[],
): unknown {
  const fresh = emptyValueOf(spec.item);
  if (fieldKey === "options" && typeof fresh === "object" && fresh !== null) {
    const used = new Set(items.map((i) => (i as { digit?: unknown })?.digit));
    const digit = [..."1234567890*#"].find((d) => !used.has(d));
    return { ...fresh, digit: digit ?? "" };
  }
  return fresh;
}
