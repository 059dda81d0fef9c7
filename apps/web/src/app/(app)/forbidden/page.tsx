import { ShieldXIcon } from "lucide-react";
import Link from "next/link";
import { Button } from "@/components/ui/button";

export const metadata = { title: "Not allowed" };

/** Where a supervisor lands on an admin-only page. */
export default function ForbiddenPage() {
  return (
    <div className="mx-auto flex max-w-md flex-col items-center gap-4 py-24 text-center">
      <ShieldXIcon className="size-10 text-muted-foreground" />
      <h1 className="text-2xl font-semibold">Admins only</h1>
      <p className="text-muted-foreground">
        Your role can see the wall-board, call history and read-only views, but not this page.
      </p>
      <Button asChild variant="outline">
        <Link href="/calls">Go to call history</Link>
      </Button>
    </div>
  );
}
