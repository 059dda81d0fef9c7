"use client";

import { Button } from "@/components/ui/button";
import type { ConfigPath, FieldSpec } from "../model/config-fields";
import { type FieldContext, FieldEditor, valueOfFields } from "./field-editor";
import { choiceLabel } from "./field-labels";

/** A field of several shapes told apart by `kind`: a choice of shape, then that shape's fields. */
export function VariantEditor(props: {
  spec: Extract<FieldSpec, { kind: "variant" }>;
  value: unknown;
  path: ConfigPath;
  fieldKey: string;
  optional: boolean;
  context: FieldContext;
}) {
  const { spec, path, fieldKey, optional, context } = props;
  const object =
    typeof props.value === "object" && props.value !== null
      ? (props.value as Record<string, unknown>)
      : undefined;
  const current = object?.[spec.discriminator];
  const variant = spec.variants.find((v) => v.value === current);
  const choose = (value: string | undefined) => {
    const chosen = spec.variants.find((v) => v.value === value);
    context.onChange(
      path,
      chosen ? { [spec.discriminator]: chosen.value, ...valueOfFields(chosen.fields) } : undefined,
    );
  };
  return (
    <div className="space-y-3">
      <div className="flex flex-wrap gap-1" role="radiogroup">
        {optional && (
          <Button
            type="button"
            size="sm"
            variant={object ? "outline" : "default"}
            className="h-7 px-2 text-xs"
            role="radio"
            aria-checked={!object}
            disabled={context.readOnly}
            onClick={() => choose(undefined)}
          >
            None
          </Button>
        )}
        {spec.variants.map((v) => (
          <Button
            key={v.value}
            type="button"
            size="sm"
            variant={v.value === current ? "default" : "outline"}
            className="h-7 px-2 text-xs"
            role="radio"
            aria-checked={v.value === current}
            disabled={context.readOnly}
            onClick={() => v.value !== current && choose(v.value)}
          >
            {choiceLabel(v.value)}
          </Button>
        ))}
      </div>
      {variant && variant.fields.length > 0 && (
        <div className="space-y-3 border-l-2 pl-3">
          {variant.fields.map((f) => (
            <FieldEditor
              key={f.key}
              field={f}
              value={object?.[f.key]}
              path={[...path, f.key]}
              parent={fieldKey}
              context={context}
            />
          ))}
        </div>
      )}
    </div>
  );
}
