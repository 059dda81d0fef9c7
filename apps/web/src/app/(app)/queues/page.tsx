import { QueuesPage } from "@/features/queues/queues-page";

export const metadata = { title: "Queues" };

export default function Page() {
  return <QueuesPage />;
}
