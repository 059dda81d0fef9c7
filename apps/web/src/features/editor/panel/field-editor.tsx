"use client";

import { Plus, X } from "lucide-react";
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
import type { ResourceOptions } from "./resource-options";

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

function valueOfFields(fields: readonly FormField[]): Record<string, unknown> {
  return Object.fromEntries(
    fields.filter((f) => f.required).map((f) => [f.key, emptyValueOf(f.spec)]),
  );
}

const NONE = "\u0000none";

function Issues({ messages }: { messages: readonly string[] | undefined }) {
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

function SpecEditor(props: {
  id: string;
  spec: FieldSpec;
  value: unknown;
  path: ConfigPath;
  fieldKey: string;
  placeholder: string | undefined;
  optional: boolean;
  invalid: boolean;
  context: FieldContext;
}) {
  const { id, spec, value, path, fieldKey, placeholder, optional, invalid, context } = props;
  const set = (next: unknown) => context.onChange(path, next);
  const disabled = context.readOnly;
  switch (spec.kind) {
    case "text": {
      const text = typeof value === "string" ? value : "";
      const change = (next: string) => set(next === "" && optional ? undefined : next);
      return spec.multiline ? (
        <Textarea
          id={id}
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
          <SelectTrigger id={id} aria-invalid={invalid} className="w-full">
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

function ListEditor(props: {
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
            <Button
              type="button"
              variant="ghost"
              size="icon"
              className="size-8 shrink-0"
              aria-label={`Remove ${fieldLabel(fieldKey)} ${index + 1}`}
              onClick={() =>
                context.onChange(
                  path,
                  items.filter((_, i) => i !== index),
                )
              }
            >
              <X className="size-4" />
            </Button>
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

function VariantEditor(props: {
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

function MapEditor(props: { value: unknown; path: ConfigPath; context: FieldContext }) {
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
            <Button
              type="button"
              variant="ghost"
              size="icon"
              className="size-8 shrink-0"
              aria-label={`Remove ${name}`}
              onClick={() => write(entries.filter((_, i) => i !== index))}
            >
              <X className="size-4" />
            </Button>
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
