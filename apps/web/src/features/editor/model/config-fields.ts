import { z } from "zod";

/**
 * The settings form of a node type, read from its zod schema (through
 * `z.toJSONSchema`, input side), so every field, default, bound and help
 * text comes from core's one definition and the form cannot drift from
 * what the validator accepts.
 */

/** What kind of input a field gets. */
export type FieldSpec =
  | { readonly kind: "text"; readonly multiline: boolean; readonly maxLength?: number }
  | {
      readonly kind: "integer";
      readonly minimum?: number;
      readonly maximum?: number;
      /** Empty means `null` (no limit, never...). */
      readonly nullable: boolean;
    }
  | { readonly kind: "boolean" }
  | { readonly kind: "choice"; readonly options: readonly string[] }
  | { readonly kind: "choices"; readonly options: readonly string[] }
  | { readonly kind: "resource"; readonly resource: ResourceKind }
  | {
      readonly kind: "list";
      readonly item: FieldSpec;
      readonly minItems?: number;
      readonly maxItems?: number;
    }
  | { readonly kind: "group"; readonly fields: readonly FormField[] }
  | {
      readonly kind: "variant";
      /** The property that tells the variants apart (`kind` in every schema of core's). */
      readonly discriminator: string;
      readonly variants: readonly {
        readonly value: string;
        readonly fields: readonly FormField[];
      }[];
    }
  | { readonly kind: "map" }
  | { readonly kind: "json" };

/** Records the database lists for a select: queues and agent groups. */
export type ResourceKind = "queue" | "agentGroup";

/** One field of a form. */
export interface FormField {
  /** The property name in the config. */
  readonly key: string;
  readonly description: string | undefined;
  /** Must be given (no default, not optional). */
  readonly required: boolean;
  /** The schema's default, shown when the field is left out. */
  readonly defaultValue: unknown;
  readonly hasDefault: boolean;
  readonly spec: FieldSpec;
}

/** Fields whose value names a database record: a select of those records. */
const resourceFields: Readonly<Record<string, ResourceKind>> = {
  queueId: "queue",
  agentGroupId: "agentGroup",
};

/** Free-text fields long enough for a textarea. */
const multilineFields = new Set(["text"]);

interface JsonSchema {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  enum?: unknown[];
  const?: unknown;
  default?: unknown;
  description?: string;
  minimum?: number;
  maximum?: number;
  maxLength?: number;
  minItems?: number;
  maxItems?: number;
  additionalProperties?: JsonSchema | boolean;
}

function specOf(schema: JsonSchema, key: string): FieldSpec {
  const alternatives = schema.oneOf ?? schema.anyOf;
  if (alternatives) {
    const nonNull = alternatives.filter((s) => s.type !== "null");
    if (nonNull.length === 1 && nonNull[0]?.type === "integer") {
      const only = nonNull[0];
      return {
        kind: "integer",
        nullable: nonNull.length < alternatives.length,
        ...(only.minimum !== undefined && { minimum: only.minimum }),
        ...(only.maximum !== undefined && { maximum: only.maximum }),
      };
    }
    const variants = nonNull.map((s) => {
      const entry = Object.entries(s.properties ?? {}).find(([, p]) => p.const !== undefined);
      return entry ? { discriminator: entry[0], value: String(entry[1].const), schema: s } : null;
    });
    const first = variants[0];
    if (first && variants.every((v) => v && v.discriminator === first.discriminator)) {
      return {
        kind: "variant",
        discriminator: first.discriminator,
        variants: variants.map((v) => ({
          value: (v as NonNullable<typeof v>).value,
          fields: fieldsOfObject((v as NonNullable<typeof v>).schema).filter(
            (f) => f.key !== first.discriminator,
          ),
        })),
      };
    }
    return { kind: "json" };
  }
  if (resourceFields[key] && schema.type === "string") {
    return { kind: "resource", resource: resourceFields[key] };
  }
  if (schema.enum) return { kind: "choice", options: schema.enum.map(String) };
  switch (schema.type) {
    case "string":
      return {
        kind: "text",
        multiline: multilineFields.has(key),
        ...(schema.maxLength !== undefined && { maxLength: schema.maxLength }),
      };
    case "integer":
    case "number":
      return {
        kind: "integer",
        nullable: false,
        ...(schema.minimum !== undefined && { minimum: schema.minimum }),
        ...(schema.maximum !== undefined && { maximum: schema.maximum }),
      };
    case "boolean":
      return { kind: "boolean" };
    case "array": {
      const items = schema.items ?? {};
      if (items.enum) return { kind: "choices", options: items.enum.map(String) };
      return {
        kind: "list",
        item: specOf(items, key),
        ...(schema.minItems !== undefined && { minItems: schema.minItems }),
        ...(schema.maxItems !== undefined && { maxItems: schema.maxItems }),
      };
    }
    case "object":
      if (schema.properties) return { kind: "group", fields: fieldsOfObject(schema) };
      if (typeof schema.additionalProperties === "object") return { kind: "map" };
      return { kind: "json" };
    default:
      return { kind: "json" };
  }
}

function fieldsOfObject(schema: JsonSchema): FormField[] {
  const required = new Set(schema.required ?? []);
  return Object.entries(schema.properties ?? {}).map(([key, property]) => {
    const hasDefault = "default" in property;
    return {
      key,
      description: property.description,
      required: required.has(key) && !hasDefault,
      defaultValue: property.default,
      hasDefault,
      spec: specOf(property, key),
    };
  });
}

const cache = new WeakMap<z.ZodType, readonly FormField[]>();

/** The form fields of a node type's config schema, in the schema's order (cached per schema). */
export function formFieldsOf(schema: z.ZodType): readonly FormField[] {
  let fields = cache.get(schema);
  if (!fields) {
    const json = z.toJSONSchema(schema, { io: "input", unrepresentable: "any" }) as JsonSchema;
    fields = fieldsOfObject(json);
    cache.set(schema, fields);
  }
  return fields;
}

/** A config path: keys and list indexes from the config's root. */
export type ConfigPath = readonly (string | number)[];

/** The value at `path`, or `undefined`. */
export function getAt(value: unknown, path: ConfigPath): unknown {
  let at = value;
  for (const key of path) {
    if (typeof at !== "object" || at === null) return undefined;
    at = (at as Record<string | number, unknown>)[key];
  }
  return at;
}

/**
 * A copy of `value` with `path` set to `next`, copying only the objects and
 * lists along the path. `undefined` removes an object's key (an optional
 * field cleared), so the schema's default applies again.
 */
export function setAt(value: unknown, path: ConfigPath, next: unknown): unknown {
  if (path.length === 0) return next;
  const [key, ...rest] = path as [string | number, ...(string | number)[]];
  if (typeof key === "number") {
    const list = Array.isArray(value) ? [...value] : [];
    list[key] = setAt(list[key], rest, next);
    return list;
  }
  const object =
    typeof value === "object" && value !== null && !Array.isArray(value)
      ? { ...(value as Record<string, unknown>) }
      : {};
  const child = setAt(object[key], rest, next);
  if (child === undefined) delete object[key];
  else object[key] = child;
  return object;
}

/** The messages of a config's schema issues, by dotted path (`options.2.digit`). */
export function configIssues(
  schema: z.ZodType,
  config: unknown,
): ReadonlyMap<string, readonly string[]> {
  const result = schema.safeParse(config);
  const issues = new Map<string, string[]>();
  if (result.success) return issues;
  for (const issue of result.error.issues) {
    const key = issue.path.map(String).join(".");
    issues.set(key, [...(issues.get(key) ?? []), issue.message]);
  }
  return issues;
}
