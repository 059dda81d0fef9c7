import type { Db } from "@ringflow/db";
import { betterAuthDatabase } from "@ringflow/db/auth";
import { betterAuth } from "better-auth";
import { APIError, createAuthMiddleware } from "better-auth/api";
import { admin } from "better-auth/plugins";
import { createAccessControl } from "better-auth/plugins/access";
import { adminAc, defaultStatements } from "better-auth/plugins/admin/access";

/** Sign-in attempts allowed per account (any address) in {@link ACCOUNT_WINDOW_MS}. */
export const ACCOUNT_ATTEMPTS = 10;
/** The window of {@link ACCOUNT_ATTEMPTS}. */
export const ACCOUNT_WINDOW_MS = 15 * 60_000;
/** Sign-in attempts allowed per address (any account) per minute. */
export const ADDRESS_ATTEMPTS_PER_MINUTE = 10;

const access = createAccessControl(defaultStatements);

/**
 * What each role may do with users and sessions (Better Auth's admin
 * plugin): an admin manages users; a supervisor or an agent manages
 * nobody. Everything else a role may do is decided by the tRPC procedures
 * (`authedProcedure`, `adminProcedure`, `agentProcedure`).
 */
const roles = {
  admin: access.newRole(adminAc.statements),
  supervisor: access.newRole({ user: [], session: [] }),
  agent: access.newRole({ user: [], session: [] }),
};

/**
 * Without a configured public address, the origin a request may come from
 * is the one it was sent to (its Host): a same-origin check, whatever name
 * people use for the machine (localhost, 127.0.0.1, its LAN address).
 * Cross-site posts carry another Origin and are refused.
 */
function sameOrigin(request?: Request): string[] {
  const host = request?.headers.get("host");
  if (!host) return [];
  return [`http://${host}`, `https://${host}`];
}

/** Options of {@link createAuth}. */
export interface CreateAuthOptions {
  readonly db: Db<unknown>;
  /** Signs session cookies. */
  readonly secret: string;
  /** The public address, when known; otherwise taken from each request. */
  readonly baseURL?: string | undefined;
}

/**
 * Sign-in for the web app: e-mail and password (scrypt hashes), sessions
 * stored in the database behind an httpOnly, SameSite=Lax cookie, no
 * self sign-up (admins create users; the first admin comes from the setup
 * page or the environment), users managed by admins through Better Auth's
 * admin plugin (create, change role, set password, deactivate = ban, which
 * also ends the user's sessions). Sign-in attempts are limited per address
 * (Better Auth's limiter) and per account (a counter per e-mail), so
 * guessing a password from many addresses is slowed as well.
 */
export function createAuth({ db, secret, baseURL }: CreateAuthOptions) {
  return betterAuth({
    appName: "Ringflow",
    secret,
    ...(baseURL ? { baseURL } : { trustedOrigins: sameOrigin }),
    database: betterAuthDatabase(db),
    telemetry: { enabled: false },
    emailAndPassword: {
      enabled: true,
      disableSignUp: true,
      minPasswordLength: 12,
      maxPasswordLength: 256,
    },
    session: { expiresIn: 7 * 24 * 3600, updateAge: 24 * 3600 },
    rateLimit: {
      enabled: true,
      storage: "database",
      window: 60,
      max: 300,
      customRules: { "/sign-in/email": { window: 60, max: ADDRESS_ATTEMPTS_PER_MINUTE } },
    },
    advanced: {
      cookiePrefix: "ringflow",
      // Explicit: Better Auth turns the check off by itself under NODE_ENV=test.
      disableOriginCheck: false,
      useSecureCookies: baseURL?.startsWith("https://") ?? false,
      defaultCookieAttributes: { httpOnly: true, sameSite: "lax" },
    },
    plugins: [admin({ ac: access, roles, defaultRole: "supervisor", adminRoles: ["admin"] })],
    hooks: {
      before: createAuthMiddleware(async (ctx) => {
        if (ctx.path !== "/sign-in/email") return;
        const email = String((ctx.body as { email?: unknown } | undefined)?.email ?? "")
          .trim()
          .toLowerCase();
        const { allowed, retryAfterMs } = await db.rateLimits.consume({
          key: `acct:${email}`,
          windowMs: ACCOUNT_WINDOW_MS,
          max: ACCOUNT_ATTEMPTS,
        });
        if (!allowed) {
          throw new APIError("TOO_MANY_REQUESTS", {
            code: "ACCOUNT_LOCKED",
            message: `Too many sign-in attempts for this account. Try again in ${Math.ceil(retryAfterMs / 60_000)} min.`,
          });
        }
      }),
    },
  });
}

/** The sign-in service. */
export type Auth = ReturnType<typeof createAuth>;

/** The roles of the web app: admins and supervisors are staff; an agent sees only their own page. */
export type SessionRole = "admin" | "supervisor" | "agent";

/** A signed-in user as the server sees them. */
export interface SessionUser {
  readonly id: string;
  readonly email: string;
  readonly name: string;
  readonly role: SessionRole;
}

/**
 * The role of a stored user as the server acts on it. A role it does not
 * know (a hand-edited row) is the least it can be: `agent`, who can reach
 * nothing but an agent page they have no agent for.
 */
export function sessionRoleOf(role: unknown): SessionRole {
  return role === "admin" || role === "supervisor" ? role : "agent";
}
