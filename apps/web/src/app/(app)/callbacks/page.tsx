import { Suspense } from "react";
import { TableSkeleton } from "@/components/common/states";
import { CallbacksPage } from "@/features/callbacks/callbacks-page";

export const metadata = { title: "Callbacks" };

export default function Page() {
  return (
    <Suspense fallback={<TableSkeleton columns={7} />}>
      <CallbacksPage />
    </Suspense>
  );
}
