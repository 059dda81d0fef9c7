"use client";

import { useTheme } from "next-themes";
import { Toaster as Sonner } from "sonner";

/** Where toasts appear; follows the light/dark theme. */
export function Toaster() {
  const { resolvedTheme } = useTheme();
  return (
    <Sonner
      theme={resolvedTheme === "dark" ? "dark" : "light"}
      richColors
      closeButton
      position="bottom-right"
    />
  );
}
