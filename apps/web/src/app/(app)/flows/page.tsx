import { FlowsPage } from "@/features/flows/flows-page";

export const metadata = { title: "Flows" };

export default function Page() {
  return <FlowsPage />;
}
