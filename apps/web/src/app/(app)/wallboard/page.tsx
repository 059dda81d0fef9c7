import { MonitorIcon } from "lucide-react";
import Link from "next/link";
import { PageHeader } from "@/components/common/page-header";
import { Button } from "@/components/ui/button";

export const metadata = { title: "Wall-board" };

/** Placeholder until the live wall-board exists: says so, and where to look meanwhile. */
export default function WallboardPage() {
  return (
    <>
      <PageHeader title="Wall-board" description="Live queues and agents for supervisors." />
      <div className="flex flex-col items-center gap-3 rounded-xl border border-dashed px-6 py-16 text-center">
        <MonitorIcon className="size-8 text-muted-foreground" />
        <h2 className="font-semibold">The live wall-board is not built yet</h2>
        <p className="max-w-md text-sm text-muted-foreground">
          It will show callers waiting, agents by state and service level per queue, pushed as it
          happens. Until then, call history shows every call the workers handled.
        </p>
        <Button asChild variant="outline">
          <Link href="/calls">Open call history</Link>
        </Button>
      </div>
    </>
  );
}
