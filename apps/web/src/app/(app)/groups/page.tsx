import { GroupsPage } from "@/features/groups/groups-page";

export const metadata = { title: "Agent groups" };

export default function Page() {
  return <GroupsPage />;
}
