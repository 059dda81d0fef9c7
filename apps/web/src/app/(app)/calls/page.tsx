import { Suspense } from "react";
import { TableSkeleton } from "@/components/common/states";
import { CallsPage } from "@/features/calls/calls-page";

export const metadata = { title: "Calls" };

export default function Page() {
  return (
    <Suspense fallback={<TableSkeleton rows={8} columns={7} />}>
      <CallsPage />
    </Suspense>
  );
}
