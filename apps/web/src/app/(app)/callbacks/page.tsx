import { CallbacksPage } from "@/features/callbacks/callbacks-page";

export const metadata = { title: "Callbacks" };

export default function Page() {
  return <CallbacksPage />;
}
