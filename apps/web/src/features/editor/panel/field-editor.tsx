"use client";

import { useId } from "react";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import {
  Select,
  SelectContent,
  SelectItem,
  SelectTrigger,
  SelectValue,
} from "@/components/ui/select";
import { Switch } from "@/components/ui/switch";
import { Textarea } from "@/components/ui/textarea";
import { cn } from "@/lib/utils";
import type { ConfigPath, FieldSpec, FormField } from "../model/config-fields";
import { choiceLabel, fieldLabel } from "./field-labels";
import { ListEditor } from "./list-editor";
import { MapEditor } from "./map-editor";
import type { ResourceOptions } from "./resource-options";
import { VariantEditor } from "./variant-editor";

/** What every field editor gets. */
export interface FieldContext {
  readonly readOnly: boolean;
  readonly resources: ResourceOptions;
  /** The schema's messages by dotted path. */
  readonly issues: ReadonlyMap<string, readonly string[]>;
  readonly onChange: (path: ConfigPath, value: unknown) => void;
}

/** A fresh value for a new list item or a newly chosen variant. */
export function emptyValueOf(spec: FieldSpec): unknown {
  switch (spec.kind) {
    case "text":
    case "resource":
      return "";
    case "integer":
      return spec.nullable ? null : (spec.minimum ?? 0);
    case "boolean":
      return false;
    case "choice":
      return spec.options[0];
    case "choices":
    case "list":
      return [];
    case "group":
      return valueOfFields(spec.fields);
    case "variant": {
      const first = spec.variants[0];
      return first ? { [spec.discriminator]: first.value, ...valueOfFields(first.fields) } : {};
    }
    case "map":
    case "json":
      return {};
  }
}

export function valueOfFields(fields: readonly FormField[]): Record<string, unknown> {
  return Object.fromEntries(
    fields.filter((f) => f.required).map((f) => [f.key, emptyValueOf(f.spec)]),
  );
}

const NONE = "\u0000none";

export function Issues({ messages }: { messages: readonly string[] | undefined }) {
  if (!messages || messages.length === 0) return null;
  return (
    <p className="text-xs text-destructive" role="alert">
      {messages.join(" · ")}
    </p>
  );
}

function defaultHint(field: FormField): string | undefined {
  if (!field.hasDefault) return undefined;
  const value = field.defaultValue;
  if (value === null) return "none";
  if (typeof value === "string" || typeof value === "number") return String(value);
  return undefined;
}

/**
 * One field of a node's settings, with its label, help, default and the
 * schema's messages for it; lists, groups and variants nest fields.
 */
export function FieldEditor(props: {
  field: FormField;
  value: unknown;
  path: ConfigPath;
  parent?: string;
  context: FieldContext;
}) {
  const { field, value, path, parent, context } = props;
  const id = useId();
  const key = path.join(".");
  const label = fieldLabel(field.key, parent);
  const hint = defaultHint(field);
  const messages = context.issues.get(key);
  const set = (next: unknown) => context.onChange(path, next);
  const inline = field.spec.kind === "boolean";
  return (
    <div className="space-y-1.5" data-field={key}>
      <div className={cn("flex items-center gap-2", inline && "justify-between")}>
        <Label htmlFor={id} className="text-xs font-medium">
          {label}
          {field.required && <span className="text-destructive"> *</span>}
        </Label>
        {inline && (
          <Switch
            id={id}
            checked={value === undefined ? field.defaultValue === true : value === true}
            disabled={context.readOnly}
            onCheckedChange={(checked) => set(checked)}
          />
        )}
      </div>
      {!inline && (
        <SpecEditor
          id={id}
          spec={field.spec}
          value={value}
          path={path}
          fieldKey={field.key}
          placeholder={hint !== undefined ? `Default: ${hint}` : undefined}
          optional={!field.required}
          defaultValue={field.defaultValue}
          context={context}
          invalid={Boolean(messages)}
        />
      )}
      {field.description && (
        <p className="text-[11px] leading-snug text-muted-foreground">{field.description}</p>
      )}
      <Issues messages={messages} />
    </div>
  );
}

export function SpecEditor(props: {
  id: string;
  spec: FieldSpec;
  value: unknown;
  path: ConfigPath;
  fieldKey: string;
  placeholder: string | undefined;
  optional: boolean;
  invalid: boolean;
  context: FieldContext;
  /** For inputs without a visible label of their own (list rows). */
  ariaLabel?: string;
  /** The schema's default, which applies while the field is left out. */
  defaultValue?: unknown;
}) {
  const { id, spec, value, path, fieldKey, placeholder, optional, invalid, context, ariaLabel } =
    props;
  const set = (next: unknown) => context.onChange(path, next);
  const disabled = context.readOnly;
  switch (spec.kind) {
    case "text": {
      const text = typeof value === "string" ? value : "";
      const change = (next: string) => set(next === "" && optional ? undefined : next);
      return spec.multiline ? (
        <Textarea
          id={id}
          aria-label={ariaLabel}
          value={text}
          disabled={disabled}
          aria-invalid={invalid}
          placeholder={placeholder}
          rows={3}
          onChange={(e) => change(e.target.value)}
        />
      ) : (
        <Input
          id={id}
          aria-label={ariaLabel}
          value={text}
          disabled={disabled}
          aria-invalid={invalid}
          placeholder={placeholder}
          onChange={(e) => change(e.target.value)}
        />
      );
    }
    case "integer": {
      const shown = typeof value === "number" ? String(value) : "";
      return (
        <Input
          id={id}
          aria-label={ariaLabel}
          type="number"
          inputMode="numeric"
          value={shown}
          disabled={disabled}
          aria-invalid={invalid}
          min={spec.minimum}
          max={spec.maximum}
          placeholder={spec.nullable && value === null ? "None" : placeholder}
          onChange={(e) => {
            const raw = e.target.value;
            if (raw === "") set(spec.nullable ? null : undefined);
            else set(Number(raw));
          }}
        />
      );
    }
    case "choice":
    case "resource": {
      const options =
        spec.kind === "choice"
          ? spec.options.map((o) => ({ id: o, name: choiceLabel(o) }))
          : context.resources[spec.resource];
      const current = typeof value === "string" && value !== "" ? value : undefined;
      const known = current === undefined || options.some((o) => o.id === current);
      return (
        <Select
          value={current ?? (optional && spec.kind === "resource" ? NONE : "")}
          disabled={disabled}
          onValueChange={(next) => set(next === NONE ? undefined : next)}
        >
          <SelectTrigger id={id} aria-label={ariaLabel} aria-invalid={invalid} className="w-full">
            <SelectValue
              placeholder={
                spec.kind === "resource"
                  ? `Choose a ${spec.resource === "queue" ? "queue" : "group"}`
                  : placeholder
              }
            />
          </SelectTrigger>
          <SelectContent>
            {optional && spec.kind === "resource" && <SelectItem value={NONE}>None</SelectItem>}
            {options.map((o) => (
              <SelectItem key={o.id} value={o.id}>
                {o.name === o.id ? o.id : `${o.name} (${o.id})`}
              </SelectItem>
            ))}
            {!known && current !== undefined && (
              <SelectItem value={current}>{current} (not found)</SelectItem>
            )}
            {options.length === 0 && spec.kind === "resource" && (
              <div className="px-2 py-1.5 text-xs text-muted-foreground">
                None yet: add one under {spec.resource === "queue" ? "Queues" : "Agents"}.
              </div>
            )}
          </SelectContent>
        </Select>
      );
    }
    case "choices": {
      const chosen = new Set(Array.isArray(value) ? (value as string[]) : []);
      return (
        <fieldset className="flex flex-wrap gap-1" aria-labelledby={id}>
          {spec.options.map((option) => (
            <Button
              key={option}
              type="button"
              size="sm"
              variant={chosen.has(option) ? "default" : "outline"}
              className="h-7 px-2 text-xs"
              aria-pressed={chosen.has(option)}
              disabled={disabled}
              onClick={() =>
                set(spec.options.filter((o) => (o === option ? !chosen.has(o) : chosen.has(o))))
              }
            >
              {choiceLabel(option)}
            </Button>
          ))}
        </fieldset>
      );
    }
    case "list":
      return (
        <ListEditor spec={spec} value={value} path={path} fieldKey={fieldKey} context={context} />
      );
    case "group":
      return (
        <div className="space-y-3 rounded-md border p-3">
          {spec.fields.map((f) => (
            <FieldEditor
              key={f.key}
              field={f}
              value={(value as Record<string, unknown> | undefined)?.[f.key]}
              path={[...path, f.key]}
              parent={fieldKey}
              context={context}
            />
          ))}
        </div>
      );
    case "variant":
      return (
        <VariantEditor
          spec={spec}
          value={value}
          path={path}
          fieldKey={fieldKey}
          optional={optional}
          defaultValue={props.defaultValue}
          context={context}
        />
      );
    case "map":
      return <MapEditor value={value} path={path} context={context} />;
    case "boolean":
    case "json":
      return (
        <p className="text-xs text-muted-foreground">
          Edit this in the flow's JSON (export, edit, import).
        </p>
      );
  }
}
