import { TRPCClientError } from "@trpc/client";
import type { FieldValues, Path, UseFormReturn } from "react-hook-form";
import { toast } from "sonner";
import type { AppRouter } from "@/server/routers/app-router";
import type { ErrorData } from "@/server/trpc/init";

/** What the server said about a failed call, read from its structured `data`, never its message. */
export interface ApiFailure extends Partial<ErrorData> {
  /** The tRPC code (`CONFLICT`, `FORBIDDEN`...), or `NETWORK` when the server was not reached. */
  readonly code: string;
  readonly message: string;
}

/** Reads a tRPC client error (or anything thrown) into an {@link ApiFailure}. */
export function apiFailure(error: unknown): ApiFailure {
  if (error instanceof TRPCClientError) {
    const data = (error as TRPCClientError<AppRouter>).data as
      | (Partial<ErrorData> & { code?: string })
      | undefined;
    if (!data)
      return { code: "NETWORK", message: "Could not reach the server. Check your connection." };
    return { ...data, code: data.code ?? "INTERNAL_SERVER_ERROR", message: error.message };
  }
  return { code: "UNKNOWN", message: error instanceof Error ? error.message : String(error) };
}

/** The sentence a person reads for a failure. */
export function describeFailure(failure: ApiFailure): string {
  switch (failure.domainCode ?? failure.code) {
    case "CONFLICT":
      return failure.domainCode === "CONFLICT"
        ? "Someone else saved a change meanwhile. Reload to see it, then make your change again."
        : failure.message;
    case "NETWORK":
      return failure.message;
    case "FORBIDDEN":
      return "Your role does not allow this.";
    case "UNAUTHORIZED":
      return "Your session has ended. Sign in again.";
    case "INTERNAL_SERVER_ERROR":
      return "Something went wrong on the server. Try again; if it keeps failing, check the server log.";
    default:
      return failure.message;
  }
}

/**
 * Shows a failed change: field errors go next to their fields (what the
 * person typed stays), anything else becomes the returned form message.
 */
export function applyFailure<T extends FieldValues>(
  form: UseFormReturn<T>,
  error: unknown,
): string | null {
  const failure = apiFailure(error);
  const fields = Object.entries(failure.fieldErrors ?? {});
  for (const [field, messages] of fields) {
    form.setError(
      field as Path<T>,
      { type: "server", message: messages[0] ?? "Invalid" },
      { shouldFocus: true },
    );
  }
  return fields.length > 0 ? null : describeFailure(failure);
}

/** A toast for a failed action that has no form. */
export function toastFailure(error: unknown, what: string): void {
  const failure = apiFailure(error);
  const usedBy = failure.usedBy?.map((u) => u.name).join(", ");
  toast.error(what, {
    description: usedBy ? `${failure.message}` : describeFailure(failure),
  });
}
