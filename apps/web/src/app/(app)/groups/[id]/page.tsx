import { GroupPage } from "@/features/groups/group-page";

export const metadata = { title: "Agent group" };

export default async function Page({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  return <GroupPage id={id} />;
}
