import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { getServices } from "@/server/services";
import { SetupForm } from "./setup-form";

export const metadata: Metadata = { title: "Set up" };
export const dynamic = "force-dynamic";

/** First run only: with no user yet, create the first admin. */
export default async function SetupPage() {
  const { db } = await getServices();
  if ((await db.users.count()) > 0) redirect("/sign-in");
  return <SetupForm />;
}
