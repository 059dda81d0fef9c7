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
  /** The schema's default: while the field is left out, it applies (and is shown). */
  defaultValue?: unknown;
  context: FieldContext;
}) {
  const { spec, path, fieldKey, optional, context } = props;
  const fallback = describeDefault(props.defaultValue, spec.discriminator);
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
            {fallback ? "Default" : "None"}
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
      {!object && fallback && (
        <p className="text-[11px] leading-snug text-muted-foreground" data-testid="variant-default">
          {fallback}
        </p>
      )}
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

/** A default of a variant field in words (e.g. `Spoken text: "You are number…"`); undefined if none. */
function describeDefault(value: unknown, discriminator: string): string | undefined {
  if (typeof value !== "object" || value === null) return undefined;
  const fields = value as Record<string, unknown>;
  const kind = fields[discriminator];
  if (typeof kind !== "string") return undefined;
  const words = Object.entries(fields).find(
    ([key, field]) => key !== discriminator && typeof field === "string",
  )?.[1] as string | undefined;
  return words ? `${choiceLabel(kind)}: “${words}”` : choiceLabel(kind);
}
