import type { Metadata } from "next";
import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { Suspense } from "react";
import { homeOf } from "@/server/current-user";
import { getServices } from "@/server/services";
import { sessionUserOf } from "@/server/trpc/context";
import { SignInForm } from "./sign-in-form";

export const metadata: Metadata = { title: "Sign in" };
export const dynamic = "force-dynamic";

export default async function SignInPage() {
  const user = await sessionUserOf(await headers());
  if (user) redirect(homeOf(user));
  const { db } = await getServices();
  if ((await db.users.count()) === 0) redirect("/setup");
  return (
    <Suspense>
      <SignInForm />
    </Suspense>
  );
}
