import { hasErrorCode } from "@ringflow/core";
import type { TRPC_ERROR_CODE_KEY } from "@trpc/server";

/**
 * The one table from domain error codes (core's and db's `RingflowError`
 * codes, the setup's) to tRPC codes. A procedure throws the domain error as
 * it is; `mapDomainErrors` turns it into a TRPCError with this code and
 * the domain code in `data.domainCode`, which is what the browser acts on.
 */
export const domainErrorCodes = {
  NOT_FOUND: "NOT_FOUND",
  ALREADY_EXISTS: "CONFLICT",
  CONFLICT: "CONFLICT",
  IN_USE: "PRECONDITION_FAILED",
  FLOW_INVALID: "BAD_REQUEST",
  FLOW_NOT_PUBLISHABLE: "BAD_REQUEST",
  INVALID_CURSOR: "BAD_REQUEST",
  SETUP_DONE: "FORBIDDEN",
  SIMULATOR_UNAVAILABLE: "PRECONDITION_FAILED",
  TEST_CALL_REFUSED: "BAD_REQUEST",
  TV_TOKEN_INVALID: "UNAUTHORIZED",
  AGENT_ACTION_REFUSED: "PRECONDITION_FAILED",
  AGENT_NOT_LINKED: "PRECONDITION_FAILED",
} as const satisfies Record<string, TRPC_ERROR_CODE_KEY>;

/** A domain error code the API knows. */
export type DomainErrorCode = keyof typeof domainErrorCodes;

/** The tRPC code for `error` if it is a domain error the table lists, else undefined. */
export function trpcCodeOf(
  error: unknown,
): { trpc: TRPC_ERROR_CODE_KEY; domain: DomainErrorCode } | undefined {
  for (const domain of Object.keys(domainErrorCodes) as DomainErrorCode[]) {
    if (hasErrorCode(error, domain)) return { trpc: domainErrorCodes[domain], domain };
  }
  return undefined;
}

/** Better Auth's refusals (an `APIError`'s status) as tRPC codes. */
export const authErrorCodes: Partial<Record<string, TRPC_ERROR_CODE_KEY>> = {
  BAD_REQUEST: "BAD_REQUEST",
  UNAUTHORIZED: "UNAUTHORIZED",
  FORBIDDEN: "FORBIDDEN",
  NOT_FOUND: "NOT_FOUND",
  CONFLICT: "CONFLICT",
  UNPROCESSABLE_ENTITY: "UNPROCESSABLE_CONTENT",
  TOO_MANY_REQUESTS: "TOO_MANY_REQUESTS",
};
