import { UsersPage } from "@/features/users/users-page";
import { requireAdmin } from "@/server/current-user";

export const metadata = { title: "Users" };
export const dynamic = "force-dynamic";

export default async function Page() {
  await requireAdmin();
  return <UsersPage />;
}
