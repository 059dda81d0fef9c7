"use client";

import { useCanEdit } from "@/components/layout/user-context";
import { TvLinksDialog } from "./tv-links-dialog";
import { WallboardView } from "./wallboard-view";

/** The supervisors' board, with controls; admins also manage TV links here. */
export function WallboardPage() {
  const isAdmin = useCanEdit();
  return <WallboardView mode="supervisor" header={isAdmin ? <TvLinksDialog /> : null} />;
}
