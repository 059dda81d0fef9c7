import { GitBranchIcon } from "lucide-react";
import Link from "next/link";
import { EmptyState } from "@/components/common/states";
import { Button } from "@/components/ui/button";

/** What a page of a flow shows when the flow does not exist (deleted, or a wrong address). */
export function MissingFlow() {
  return (
    <EmptyState
      icon={GitBranchIcon}
      title="This flow does not exist"
      action={
        <Button asChild variant="outline">
          <Link href="/flows">All flows</Link>
        </Button>
      }
    >
      It may have been deleted.
    </EmptyState>
  );
}
