import type { DatabaseProvider } from "@ringflow/db";
import { createTestDatabase, type TestDatabase } from "@ringflow/db/testing";
import { TRPCError } from "@trpc/server";
import { type SessionRole, type SessionUser, sessionRoleOf } from "@/server/auth";
import { webEnvSchema } from "@/server/env";
import type { LiveServices } from "@/server/live/live-services";
import { createCaller } from "@/server/routers/app-router";
import { createFirstAdmin, createServices, type Services } from "@/server/services";
import { createContextInner, type ErrorData, errorDataOf } from "@/server/trpc/init";

/** The API as one signed-in person (or nobody) calls it, with the request headers it sends. */
export type Caller = ReturnType<typeof createCaller> & { readonly headers: Headers };

/** A test's own database and services, and callers for the people in it. */
export interface ApiHarness {
  readonly services: Services;
  readonly database: TestDatabase;
  /** The API as nobody signed in. */
  readonly anonymous: Caller;
  /** The first admin, created by the setup. */
  readonly admin: Caller;
  /** Signs `email` in and returns their caller. */
  signIn(email: string, password: string): Promise<Caller>;
  /** Creates a user through the API as the admin and signs them in. */
  addUser(role: SessionRole): Promise<{ caller: Caller; email: string; id: string }>;
  close(): Promise<void>;
}

export const ADMIN = {
  email: "admin@example.com",
  password: "correct horse battery",
  name: "Ada Admin",
};

let users = 0;

/**
 * Opens a fresh database on `provider`, migrated, with services built as
 * the web app builds them (no Redis; `options.env` adds variables,
 * `options.live` stands in for the workers' live feed), and the first
 * admin set up.
 */
export async function openApiHarness(
  provider: DatabaseProvider,
  options: { readonly env?: Record<string, string>; readonly live?: LiveServices } = {},
): Promise<ApiHarness> {
  const database = await createTestDatabase(provider);
  const services = await createServices(
    webEnvSchema.parse({
      DATABASE_URL: database.url,
      RINGFLOW_PUBLIC_URL: "http://localhost:3000",
      ...options.env,
    }),
    options.live ? { live: options.live } : {},
  );

  const callerFor = (user: SessionUser | null, headers: Headers): Caller =>
    Object.assign(createCaller(createContextInner({ services, user, headers })), { headers });

  const signIn = async (email: string, password: string): Promise<Caller> => {
    const response = await services.auth.api.signInEmail({
      body: { email, password },
      asResponse: true,
    });
    if (!response.ok)
      throw new Error(`sign-in of ${email} failed: ${response.status} ${await response.text()}`);
    const cookie = response.headers
      .getSetCookie()
      .map((c) => c.split(";")[0])
      .join("; ");
    const headers = new Headers({ cookie });
    const session = await services.auth.api.getSession({ headers });
    if (!session) throw new Error(`no session after signing in ${email}`);
    const { id, name, role } = session.user as typeof session.user & { role: string };
    return callerFor({ id, email, name, role: sessionRoleOf(role) }, headers);
  };

  await createFirstAdmin(services, ADMIN);
  const admin = await signIn(ADMIN.email, ADMIN.password);

  return {
    services,
    database,
    anonymous: callerFor(null, new Headers()),
    admin,
    signIn,
    async addUser(role) {
      users += 1;
      const email = `${role}-${users}-${Date.now()}@example.com`;
      const password = "a long enough password";
      const { id } = await admin.users.create({ email, name: `${role} ${users}`, role, password });
      return { caller: await signIn(email, password), email, id };
    },
    async close() {
      await services.close();
      await database.drop();
    },
  };
}

/** The error a call rejected with: its tRPC code and the `data` the browser would get. */
export async function refusal(
  call: Promise<unknown>,
): Promise<{ code: string; data: ErrorData; message: string }> {
  try {
    await call;
  } catch (error) {
    if (!(error instanceof TRPCError)) throw error;
    return { code: error.code, message: error.message, data: errorDataOf(error) };
  }
  throw new Error("expected the call to be refused, but it succeeded");
}
