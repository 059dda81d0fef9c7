"use client";

import { useEffect, useState } from "react";

/** The time now (epoch ms), updated every `everyMs`: what makes waits tick on the board. */
export function useNow(everyMs = 1000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), everyMs);
    return () => clearInterval(timer);
  }, [everyMs]);
  return now;
}
