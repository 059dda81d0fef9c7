import { getServices } from "@/server/services";

const TIMEOUT_MS = 2_000;

/** Readiness: the database answers (within two seconds). 503 with the reason otherwise. */
export async function GET(): Promise<Response> {
  try {
    const check = (async () => {
      const { db } = await getServices();
      await db.users.count();
    })();
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer within ${TIMEOUT_MS} ms`)), TIMEOUT_MS);
    });
    await Promise.race([check, timeout]).finally(() => clearTimeout(timer));
    return Response.json({ status: "ready", checks: { database: "ok" } });
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return Response.json({ status: "not ready", checks: { database: reason } }, { status: 503 });
  }
}

export const dynamic = "force-dynamic";
