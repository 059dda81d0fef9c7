import type { ReactNode } from "react";
import { BrandIcon } from "@/components/layout/nav-items";

/** The frame of the signed-out pages: the name and one card. */
export default function AuthLayout({ children }: { children: ReactNode }) {
  return (
    <div className="flex min-h-svh flex-col items-center justify-center gap-6 bg-muted/40 p-6">
      <div className="flex items-center gap-2 text-lg font-semibold tracking-tight">
        <span className="flex size-8 items-center justify-center rounded-md bg-primary text-primary-foreground">
          <BrandIcon className="size-4" />
        </span>
        Ringflow
      </div>
      <div className="w-full max-w-sm">{children}</div>
    </div>
  );
}
