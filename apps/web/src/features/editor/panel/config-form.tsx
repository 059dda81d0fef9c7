"use client";

import { getNodeType } from "@ringflow/core/flow";
import { useMemo } from "react";
import { type ConfigPath, configIssues, formFieldsOf, setAt } from "../model/config-fields";
import { type FieldContext, FieldEditor } from "./field-editor";
import type { ResourceOptions } from "./resource-options";

/**
 * A node's settings as a form built from its type's zod schema, checked by
 * the same schema as it is typed: every field's messages show under it.
 * Each change is one call of `onChange` with the whole new config.
 */
export function ConfigForm(props: {
  nodeId: string;
  type: string;
  config: Record<string, unknown>;
  readOnly: boolean;
  resources: ResourceOptions;
  onChange: (config: Record<string, unknown>, changedPath: ConfigPath) => void;
}) {
  const { nodeId, type, config, readOnly, resources, onChange } = props;
  const definition = getNodeType(type);
  const fields = useMemo(
    () => (definition ? formFieldsOf(definition.dataSchema) : []),
    [definition],
  );
  const issues = useMemo(
    () =>
      definition
        ? configIssues(definition.dataSchema, config)
        : new Map<string, readonly string[]>(),
    [definition, config],
  );
  if (!definition) {
    return (
      <p className="text-sm text-destructive">
        This node's type “{type}” is not one Ringflow knows. Delete it.
      </p>
    );
  }
  const context: FieldContext = {
    readOnly,
    resources,
    issues,
    onChange: (path, value) =>
      onChange(setAt(config, path, value) as Record<string, unknown>, path),
  };
  return (
    <form
      className="space-y-4"
      onSubmit={(e) => e.preventDefault()}
      aria-label="Node settings"
      data-node={nodeId}
    >
      {fields.map((field) => (
        <FieldEditor
          key={field.key}
          field={field}
          value={config[field.key]}
          path={[field.key]}
          context={context}
        />
      ))}
    </form>
  );
}
