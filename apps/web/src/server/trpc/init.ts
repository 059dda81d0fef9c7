import { RingflowError } from "@ringflow/core";
import type { FlowProblem } from "@ringflow/core/flow";
import { initTRPC, type TRPC_ERROR_CODE_KEY, TRPCError } from "@trpc/server";
import { APIError } from "better-auth/api";
import superjson from "superjson";
import { ZodError } from "zod";
import type { SessionUser } from "../auth";
import type { Services } from "../services";
import { authErrorCodes, type DomainErrorCode, trpcCodeOf } from "./errors";

/**
 * What every procedure sees. Free of HTTP objects but the request headers,
 * which Better Auth's admin endpoints read the caller's session from; tests
 * build it with {@link createContextInner} and call the router in-process.
 */
export interface Context {
  readonly services: Pick<Services, "db" | "auth" | "simulator" | "live">;
  readonly user: SessionUser | null;
  readonly headers: Headers;
}

/** Builds a context from its parts (tests, server components, the HTTP handler). */
export function createContextInner(context: Context): Context {
  return context;
}

/** Per-procedure hints: which input field a domain error is about (shown next to that field). */
export interface ProcedureMeta {
  readonly fieldOf?: Partial<Record<DomainErrorCode, string>>;
}

/** Error `data` the browser reads; it never parses messages. */
export interface ErrorData {
  /** The domain code (`CONFLICT`, `IN_USE`...) when a domain error caused it. */
  readonly domainCode: DomainErrorCode | null;
  /** Messages per input field (dotted path), from the input schema or a domain error. */
  readonly fieldErrors: Record<string, string[]> | null;
  /** A flow's problems, when publishing refused it. */
  readonly problems: readonly FlowProblem[] | null;
  /** What still uses the thing a delete was refused for. */
  readonly usedBy: readonly { kind: string; id: string; name: string }[] | null;
}

/** A refusal about one input field, shown next to it. */
export class FieldError extends TRPCError {
  constructor(
    code: TRPC_ERROR_CODE_KEY,
    readonly field: string,
    message: string,
  ) {
    super({ code, message });
  }
}

class DomainTRPCError extends TRPCError {
  constructor(
    readonly domainCode: DomainErrorCode,
    readonly field: string | undefined,
    cause: Error,
  ) {
    const mapped = trpcCodeOf(cause);
    super({ code: mapped?.trpc ?? "INTERNAL_SERVER_ERROR", message: cause.message, cause });
  }
}

function fieldErrorsOf(error: TRPCError): Record<string, string[]> | null {
  if (error.cause instanceof ZodError) {
    const fields: Record<string, string[]> = {};
    for (const issue of error.cause.issues) {
      const key = issue.path.map(String).join(".") || "_";
      fields[key] = [...(fields[key] ?? []), issue.message];
    }
    return fields;
  }
  if ((error instanceof DomainTRPCError || error instanceof FieldError) && error.field) {
    return { [error.field]: [error.message] };
  }
  return null;
}

/** The structured `data` of an error, as the error formatter sends it (tests read it in-process too). */
export function errorDataOf(error: TRPCError): ErrorData {
  const cause = error.cause as { problems?: unknown; usedBy?: unknown } | undefined;
  return {
    domainCode: error instanceof DomainTRPCError ? error.domainCode : null,
    fieldErrors: fieldErrorsOf(error),
    problems: Array.isArray(cause?.problems) ? (cause.problems as FlowProblem[]) : null,
    usedBy: Array.isArray(cause?.usedBy) ? (cause.usedBy as ErrorData["usedBy"]) : null,
  };
}

const t = initTRPC
  .context<Context>()
  .meta<ProcedureMeta>()
  .create({
    transformer: superjson,
    // Subscriptions (SSE): a ping every 5 s keeps proxies from closing a quiet
    // stream; a client that hears nothing for 12 s reconnects.
    sse: {
      ping: { enabled: true, intervalMs: 5_000 },
      client: { reconnectAfterInactivityMs: 12_000 },
    },
    errorFormatter({ shape, error }) {
      return { ...shape, data: { ...shape.data, ...errorDataOf(error) } };
    },
  });

/**
 * Turns domain errors into TRPCErrors with the code of the one table in
 * `errors.ts`, and Better Auth's refusals into the tRPC code of their status.
 */
const mapDomainErrors = t.middleware(async ({ next, meta }) => {
  const result = await next();
  if (!result.ok) {
    const { cause } = result.error;
    const mapped = trpcCodeOf(cause);
    if (mapped && cause instanceof Error) {
      throw new DomainTRPCError(mapped.domain, meta?.fieldOf?.[mapped.domain], cause);
    }
    const authCode = cause instanceof APIError ? authErrorCodes[String(cause.status)] : undefined;
    if (authCode && cause instanceof Error) {
      throw new TRPCError({ code: authCode, message: cause.message, cause });
    }
  }
  return result;
});

export const createTRPCRouter = t.router;
export const createCallerFactory = t.createCallerFactory;

/** Anyone, signed in or not (sign-in state, first-run setup). */
export const publicProcedure = t.procedure.use(mapDomainErrors);

/** Anyone signed in, whatever their role (their own session). */
export const signedInProcedure = publicProcedure.use(({ ctx, next }) => {
  if (!ctx.user) throw new TRPCError({ code: "UNAUTHORIZED", message: "Sign in first" });
  return next({ ctx: { ...ctx, user: ctx.user } });
});

/** An agent's refusal from staff procedures: they may reach their own page only. */
const agentsOnlyTheirOwn = () =>
  new TRPCError({ code: "FORBIDDEN", message: "Agents can only reach their own page" });

/**
 * Staff: admins and supervisors (read-only views, the wall-board and its
 * controls). Agents are refused (FORBIDDEN): they reach their own page only.
 */
export const authedProcedure = signedInProcedure.use(({ ctx, next }) => {
  if (ctx.user.role === "agent") throw agentsOnlyTheirOwn();
  return next({ ctx });
});

/** Users with the `agent` role only: their own agent page (`myAgent`). */
export const agentProcedure = signedInProcedure.use(({ ctx, next }) => {
  if (ctx.user.role !== "agent") {
    throw new TRPCError({ code: "FORBIDDEN", message: "Only agents have an agent page" });
  }
  return next({ ctx });
});

/** A wall-board link for a TV was revoked, or never existed. */
export class TvTokenInvalidError extends RingflowError {
  readonly code = "TV_TOKEN_INVALID";
  constructor() {
    super("This wall-board link is not valid (it may have been revoked)");
  }
}

/** Who is looking at the wall-board: a signed-in person, or a TV through its token. */
export type BoardViewer =
  | { readonly kind: "user"; readonly user: SessionUser }
  | { readonly kind: "tv"; readonly tokenId: string };

/**
 * The wall-board's reads: staff signed in, or a TV whose input carries a
 * valid `tvToken` (read-only: controls are `authedProcedure`). Agents are refused.
 */
export const boardProcedure = publicProcedure.use(async ({ ctx, next, getRawInput }) => {
  if (ctx.user?.role === "agent") throw agentsOnlyTheirOwn();
  if (ctx.user)
    return next({ ctx: { ...ctx, viewer: { kind: "user", user: ctx.user } as BoardViewer } });
  const raw = (await getRawInput()) as { tvToken?: unknown } | undefined;
  const token = typeof raw?.tvToken === "string" ? raw.tvToken : null;
  if (token === null) throw new TRPCError({ code: "UNAUTHORIZED", message: "Sign in first" });
  const record = await ctx.services.db.wallboardTokens.verify(token);
  if (!record) throw new TvTokenInvalidError();
  return next({ ctx: { ...ctx, viewer: { kind: "tv", tokenId: record.id } as BoardViewer } });
});

/** Admins only: every change to flows, queues, agents, numbers and users. */
export const adminProcedure = authedProcedure.use(({ ctx, next }) => {
  if (ctx.user.role !== "admin") {
    throw new TRPCError({ code: "FORBIDDEN", message: "Only admins can do this" });
  }
  return next({ ctx });
});
