import { AgentPage } from "@/features/my-agent/agent-page";

export const metadata = { title: "My status" };

export default function Page() {
  return <AgentPage />;
}
