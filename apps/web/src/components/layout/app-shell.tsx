"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import type { ReactNode } from "react";
import { cn } from "@/lib/utils";
import type { SessionUser } from "@/server/auth";
import { BrandIcon, navItemsFor } from "./nav-items";
import { ThemeToggle } from "./theme-toggle";
import { UserProvider } from "./user-context";
import { UserMenu } from "./user-menu";

/** The signed-in frame: sidebar navigation, the user and their role, the page. */
export function AppShell({ user, children }: { user: SessionUser; children: ReactNode }) {
  const pathname = usePathname();
  const items = navItemsFor(user.role);
  return (
    <UserProvider user={user}>
      <div className="flex min-h-svh">
        <aside className="sticky top-0 hidden h-svh w-60 shrink-0 flex-col border-r border-sidebar-border bg-sidebar text-sidebar-foreground md:flex">
          <Link
            href={user.role === "agent" ? "/agent" : "/flows"}
            className="flex h-14 items-center gap-2 px-5 font-semibold tracking-tight"
          >
            <span className="flex size-7 items-center justify-center rounded-md bg-primary text-primary-foreground">
              <BrandIcon className="size-4" />
            </span>
            Ringflow
          </Link>
          <nav aria-label="Main" className="flex flex-1 flex-col gap-0.5 px-3 py-2">
            {items.map((item) => {
              const active = pathname === item.href || pathname.startsWith(`${item.href}/`);
              return (
                <Link
                  key={item.href}
                  href={item.href}
                  aria-current={active ? "page" : undefined}
                  className={cn(
                    "flex items-center gap-3 rounded-md px-3 py-2 text-sm font-medium transition-colors hover:bg-sidebar-accent/70",
                    active && "bg-sidebar-accent text-foreground",
                  )}
                >
                  <item.icon className="size-4 opacity-80" />
                  {item.label}
                </Link>
              );
            })}
          </nav>
          <div className="flex items-center gap-2 border-t border-sidebar-border p-3">
            <UserMenu user={user} />
            <ThemeToggle />
          </div>
        </aside>
        <div className="flex min-w-0 flex-1 flex-col">
          <header className="flex h-14 items-center gap-3 border-b px-4 md:hidden">
            <span className="font-semibold">Ringflow</span>
            <nav aria-label="Main (small screens)" className="flex gap-1 overflow-x-auto">
              {items.map((item) => (
                <Link
                  key={item.href}
                  href={item.href}
                  className="rounded px-2 py-1 text-sm hover:bg-accent"
                >
                  {item.label}
                </Link>
              ))}
            </nav>
          </header>
          <main
            className={cn(
              "mx-auto w-full flex-1 px-4 py-6 md:px-8 md:py-8",
              // The wall-board uses the whole screen; pages of text and tables do not.
              pathname.startsWith("/wallboard") ? "max-w-none" : "max-w-7xl",
            )}
          >
            {children}
          </main>
        </div>
      </div>
    </UserProvider>
  );
}
