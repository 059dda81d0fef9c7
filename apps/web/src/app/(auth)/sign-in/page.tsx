import type { Metadata } from "next";
import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { Suspense } from "react";
import { getServices } from "@/server/services";
import { sessionUserOf } from "@/server/trpc/context";
import { SignInForm } from "./sign-in-form";

export const metadata: Metadata = { title: "Sign in" };
export const dynamic = "force-dynamic";

export default async function SignInPage() {
  if (await sessionUserOf(await headers())) redirect("/flows");
  const { db } = await getServices();
  if ((await db.users.count()) === 0) redirect("/setup");
  return (
    <Suspense>
      <SignInForm />
    </Suspense>
  );
}
