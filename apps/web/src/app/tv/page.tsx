import { TvBoard } from "@/features/wallboard/tv-board";
import { getServices } from "@/server/services";

export const metadata = { title: "Wall-board" };
export const dynamic = "force-dynamic";

/**
 * The TV board: read-only, dark, large type, reachable without signing in
 * through a link an admin made (`/tv?token=…`).
 */
export default async function Page({
  searchParams,
}: {
  searchParams: Promise<{ token?: string | string[] }>;
}) {
  const { token } = await searchParams;
  const tvToken = typeof token === "string" ? token : "";
  const { db } = await getServices();
  const valid = tvToken !== "" && (await db.wallboardTokens.verify(tvToken)) !== null;
  return <TvBoard tvToken={valid ? tvToken : null} />;
}
