import { AgentsPage } from "@/features/agents/agents-page";

export const metadata = { title: "Agents" };

export default function Page() {
  return <AgentsPage />;
}
