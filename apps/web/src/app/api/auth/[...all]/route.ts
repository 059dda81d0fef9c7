import { getServices } from "@/server/services";

async function handler(request: Request): Promise<Response> {
  const { auth } = await getServices();
  return auth.handler(request);
}

export { handler as GET, handler as POST };
