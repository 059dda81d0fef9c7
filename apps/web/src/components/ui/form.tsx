"use client";

import type { ReactNode } from "react";
import {
  type Control,
  Controller,
  type ControllerFieldState,
  type ControllerRenderProps,
  type FieldPath,
  type FieldValues,
} from "react-hook-form";
import { Label } from "@/components/ui/label";
import { cn } from "@/lib/utils";

/** Props a field's input gets: the value binding plus its id and error state. */
export type FieldInputProps<T extends FieldValues, N extends FieldPath<T>> = ControllerRenderProps<
  T,
  N
> & { id: string; "aria-invalid": boolean; "aria-describedby": string };

/**
 * One labelled form field bound to react-hook-form: the label, the input,
 * a hint, and the field's error (from the zod resolver or the server).
 */
export function FormField<T extends FieldValues, N extends FieldPath<T>>({
  control,
  name,
  label,
  hint,
  className,
  render,
}: {
  control: Control<T>;
  name: N;
  label: ReactNode;
  hint?: ReactNode;
  className?: string;
  render: (input: FieldInputProps<T, N>, state: ControllerFieldState) => ReactNode;
}) {
  const id = `field-${String(name).replaceAll(".", "-")}`;
  return (
    <Controller
      control={control}
      name={name}
      render={({ field, fieldState }) => (
        <div
          className={cn("grid gap-1.5", className)}
          data-invalid={fieldState.invalid || undefined}
        >
          <Label htmlFor={id} className={cn(fieldState.invalid && "text-destructive")}>
            {label}
          </Label>
          {render(
            {
              ...field,
              id,
              "aria-invalid": fieldState.invalid,
              "aria-describedby": `${id}-hint ${id}-error`,
            },
            fieldState,
          )}
          {hint && !fieldState.error ? (
            <p id={`${id}-hint`} className="text-xs text-muted-foreground">
              {hint}
            </p>
          ) : null}
          {fieldState.error?.message ? (
            <p id={`${id}-error`} role="alert" className="text-xs font-medium text-destructive">
              {fieldState.error.message}
            </p>
          ) : null}
        </div>
      )}
    />
  );
}

/** A message for the whole form (a refusal not about one field). */
export function FormMessage({ children }: { children: ReactNode }) {
  if (!children) return null;
  return (
    <p
      role="alert"
      className="rounded-md border border-destructive/30 bg-destructive/10 px-3 py-2 text-sm text-destructive"
    >
      {children}
    </p>
  );
}
