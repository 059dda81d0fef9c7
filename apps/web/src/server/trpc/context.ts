import "server-only";
import { type SessionUser, sessionRoleOf } from "../auth";
import { getServices } from "../services";
import { type Context, createContextInner } from "./init";

/** The signed-in user of a request, or null. */
export async function sessionUserOf(headers: Headers): Promise<SessionUser | null> {
  const { auth } = await getServices();
  const session = await auth.api.getSession({ headers });
  if (!session) return null;
  const { id, email, name, role } = session.user as typeof session.user & { role?: string };
  return { id, email, name, role: sessionRoleOf(role) };
}

/** The context of an HTTP request to `/api/trpc`. */
export async function createRequestContext(request: { headers: Headers }): Promise<Context> {
  const services = await getServices();
  return createContextInner({
    services,
    user: await sessionUserOf(request.headers),
    headers: request.headers,
  });
}
